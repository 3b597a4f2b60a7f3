// Dataset export for the training pipeline: .npy arrays + meta.json (docs/datasets.md).
export { DatasetError } from './errors';
export { NpyWriter, parseNpy, npyHeader, HEADER_BYTES, type ParsedNpy, type NpyArray, type NpyDescr } from './npy';
export { refuseTestRecords, resolveRecords, type RecordRef } from './records';
export { MITDB_DS1, MITDB_DS2, MITDB_PACED, heldForTest, mitdbSplit, type MitdbSplit } from './splits';
export {
  writeBeatDataset,
  recordBeats,
  referenceBeats,
  detectorMarks,
  BEAT_NORMALISATION,
  type BeatDatasetOptions,
  type BeatDatasetMeta,
  type BeatRecordMeta,
  type QrsDetector,
  type BeatRows,
} from './beats';
export { writeRhythmDataset, recordRhythm, type RhythmDatasetOptions, type RhythmDatasetMeta, type RhythmRecordMeta, type RecordRhythm } from './rhythm';
