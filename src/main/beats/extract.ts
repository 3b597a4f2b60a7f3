// All the beat windows of a record in one array (training data, benches, fine-tuning): the groups
// of ./stream.ts collected. The analysis consumes the stream itself, group by group.
import { BEAT_LEADS, BEAT_WINDOW } from './constants';
import { beatWindowStream, type BeatOptions } from './stream';
import type { BeatTemplates } from './template';

export type { BeatOptions } from './stream';

export interface BeatWindows {
  /** n × 2 × 216, row-major [beat][lead][t], normalised as described in ./stream.ts. */
  windows: Float32Array;
  /** n × N_RR RR features (RR_FEATURES order). */
  rr: Float32Array;
  /** 1 when the whole window lies inside the record. */
  valid: Uint8Array;
  /** BEAT_FLAG bits per beat. */
  flags: Uint8Array;
  /** n × 2 amplitude divisor per beat and lead, mV. */
  scale: Float32Array;
  /** R peak index at 360 Hz. */
  r360: Int32Array;
  /** True when lead 1 is a copy of lead 0. */
  singleLead: boolean;
  /** The record's dominant beat around each beat (./template.ts), the beat model's context input. */
  templates: BeatTemplates;
}

const ROW = BEAT_LEADS * BEAT_WINDOW;

/**
 * Beat windows and RR features (see ./stream.ts). signals: physical units (mV) at fs, all of one
 * length; rPeaks: strictly increasing sample indices at fs (indices off the record give fully
 * padded, flagged windows).
 */
export function extractBeatWindows(signals: Float32Array[], fs: number, rPeaks: Int32Array, opts: BeatOptions = {}): BeatWindows {
  const s = beatWindowStream(signals, fs, rPeaks, opts);
  const windows = new Float32Array(s.n * ROW);
  for (const g of s.groups()) windows.set(g.windows, g.from * ROW);
  const { rr, valid, flags, scale, r360, singleLead, templates } = s;
  return { windows, rr, valid, flags, scale, r360, singleLead, templates };
}
