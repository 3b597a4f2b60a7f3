// Reading what a dataset needs from one record: its ECG leads in mV and its annotations.
import { errorCodeOf } from '../../shared/errors';
import { readWholeLeads, signalName } from '../analysis/leads';
import { openRecord, readAnnotations, type Annotation } from '../wfdb';
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
    const { leads, signals } = await readWholeLeads(rec, ref.path);
    const idx = leads.slice(0, maxLeads);
    return { fs: rec.fs, nFrames: rec.nFrames, signals: signals.slice(0, maxLeads), names: idx.map((i) => signalName(rec.header.signals, i)) };
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
