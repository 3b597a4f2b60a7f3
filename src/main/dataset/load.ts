// Reading what a dataset needs from one record: its ECG leads in mV and its annotations.
import { errorCodeOf } from '../../shared/errors';
import { readWholeLeads, signalName } from '../analysis/leads';
import { openRecord, readAnnotations, type Annotation } from '../wfdb';
import { DatasetError } from './errors';
import type { RecordRef } from './records';

export interface LoadedLeads {
  /** The leads' rate: the frame rate × samplesPerFrame. */
  fs: number;
  /** Samples per lead at fs. */
  nFrames: number;
  /** Samples per frame of the leads (more than 1 on a multi-frequency record): loadAnnotations reads times at their rate with it. */
  samplesPerFrame: number;
  /** Physical samples (mV) of the chosen leads, NaN where invalid. */
  signals: Float32Array[];
  /** Their descriptions as the header gives them ("MLII", "V5", "ECG"). */
  names: string[];
}

/** The first `maxLeads` of the leads an analysis reads (defaultEcgLeads less a dead lead; the rhythm model reads the first), whole. */
export async function loadLeads(ref: RecordRef, maxLeads: number): Promise<LoadedLeads> {
  const rec = await openRecord(ref.path);
  try {
    const { leads, signals, fs, samplesPerFrame } = await readWholeLeads(rec, ref.path);
    const idx = leads.slice(0, maxLeads);
    return {
      fs,
      nFrames: rec.nFrames * samplesPerFrame,
      samplesPerFrame,
      signals: signals.slice(0, maxLeads),
      names: idx.map((i) => signalName(rec.header.signals, i)),
    };
  } finally {
    await rec.close();
  }
}

/** The record's annotations from `annotator` at `samplesPerFrame` samples a frame (its leads'), or a DatasetError saying the file is missing. */
export async function loadAnnotations(ref: RecordRef, annotator: string, samplesPerFrame = 1): Promise<Annotation[]> {
  try {
    return await readAnnotations(ref.path, annotator, samplesPerFrame);
  } catch (err) {
    throw new DatasetError(`${ref.path}.${annotator}`, `cannot read the reference annotations: ${(err as Error).message}`, errorCodeOf(err));
  }
}
