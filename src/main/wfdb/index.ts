// The WFDB module: header, signal and annotation files of PhysioNet records, read and written.
export { WfdbError, type WfdbErrorCode } from './errors';
export { readHeader, parseHeader, formatHeader, headerPath, databaseOf, type RecordHeader, type SignalSpec } from './header';
export { openRecord, toPhysical, type WfdbRecord, type RawSignal, type ChecksumResult, type PhysicalOptions } from './record';
export { readPhysicalAt } from './at-rate';
export { allocStoredLeads, frameSpans, readStoredInto, type FrameSpan } from './read-into';
export { StoredLead, type StoredSamples } from './stored-lead';
export {
  readAnnotations,
  readAnnotationFile,
  asRdann,
  timeResolutionOf,
  withTimeResolution,
  writeAnnotations,
  decodeAnnotations,
  encodeAnnotations,
  annotationPath,
  type Annotation,
} from './annotations';
export { writeRecord, type WriteRecordInput, type WriteSpec } from './writer';
export { writePhysicalRecord, type PhysicalSignal } from './write-physical';
export { FORMATS, INVALID } from './formats';
export { mnemonic, codeOf, description, isQrs } from './codes';
export { listAnnotators, type AnnotatorInfo } from './annotators';
export { isEcgSignal, ecgSignals, defaultEcgLeads, leadSamplesPerFrame, analysisSamplesPerFrame } from '../../shared/ecg-leads';
