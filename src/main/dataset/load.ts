// Reading what a dataset needs from one record: its ECG leads in mV and its annotations.
import { errorCodeOf } from '../../shared/errors';
import { inMillivolts } from '../../shared/ecg-leads';
import { deadLead } from '../quality';
import { defaultEcgLeads, openRecord, readAnnotations, type Annotation } from '../wfdb';
import { DatasetError } from './errors';
import type { RecordRef } from './records';

export interface LoadedLeads {
  fs: number;
  nFrames: number;
  /** Physical samples (mV) of the chosen leads, NaN where invalid. */
  signals: Float32Array[];
  /** Their descriptions as the header gives them ("MLII", "V5", "ECG"). */
  names: string[];
}

/** The first `maxLeads` of the leads an analysis reads (defaultEcgLeads less a dead lead; the rhythm model reads the first), whole. */
export async function loadLeads(ref: RecordRef, maxLeads: number): Promise<LoadedLeads> {
  const rec = await openRecord(ref.path);
  try {
    const ecg = defaultEcgLeads(rec.header.signals);
    if (ecg.length === 0) throw new DatasetError(`${ref.path}.hea`, 'record has no ECG signal', 'BAD_HEADER');
    for (const i of ecg) {
      if (rec.header.signals[i]!.samplesPerFrame !== 1) {
        throw new DatasetError(
          `${ref.path}.hea`,
          `signal ${i} has ${rec.header.signals[i]!.samplesPerFrame} samples per frame (only 1 is supported)`,
          'UNSUPPORTED_FORMAT'
        );
      }
    }
    const all = inMillivolts(await rec.readPhysical(0, rec.nFrames), rec.header.signals);
    // as the analysis: a lead flat for most of the record is left out
    const dead = deadLead(
      ecg.map((i) => all[i]!),
      rec.fs
    );
    const idx = ecg.filter((_, j) => j !== dead?.index).slice(0, maxLeads);
    return { fs: rec.fs, nFrames: rec.nFrames, signals: idx.map((i) => all[i]!), names: idx.map((i) => rec.header.signals[i]!.description || `signal ${i}`) };
  } finally {
    await rec.close();
  }
}

/** The record's annotations from `annotator`, or a DatasetError saying the file is missing. */
export async function loadAnnotations(ref: RecordRef, annotator: string): Promise<Annotation[]> {
  try {
    return await readAnnotations(ref.path, annotator);
  } catch (err) {
    throw new DatasetError(`${ref.path}.${annotator}`, `cannot read the reference annotations: ${(err as Error).message}`, errorCodeOf(err));
  }
}
