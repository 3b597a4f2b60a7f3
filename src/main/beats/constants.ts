// The beat model's input contract. Training (Python, via `heartbeat-sensei dataset`) and
// inference (the ONNX pipeline) both get their beats from this folder, so these numbers exist once.
import { DEFAULT_QUALITY } from '../quality/sqi';

/** Sampling rate of every beat window, Hz. */
export const BEAT_FS = 360;
/** Samples per lead in a window: 600 ms at 360 Hz. */
export const BEAT_WINDOW = 216;
/** Index of the R peak inside a window: 90 samples = 250 ms before it, 125 = ~350 ms after it. */
export const R_INDEX = 90;
/** Leads per window (lead 1 duplicates lead 0 on single-lead records). */
export const BEAT_LEADS = 2;

/**
 * Per-beat RR features, all in seconds or dimensionless, in this column order.
 * - preRR: this R to the previous R. postRR: next R to this R.
 * - localRR: mean of the last 10 RR intervals ending at this beat (preRR included).
 * - avgRR: mean RR over a centred 5-minute window (the whole record when shorter).
 * - preOverLocal = preRR/localRR, postOverPre = postRR/preRR, preOverAvg = preRR/avgRR.
 */
export const RR_FEATURES = ['preRR', 'postRR', 'localRR', 'avgRR', 'preOverLocal', 'postOverPre', 'preOverAvg'] as const;
export type RrFeature = (typeof RR_FEATURES)[number];
export const N_RR = RR_FEATURES.length;

/** Bits of the per-beat `flags` array. */
export const BEAT_FLAG = {
  /** The window runs off the record: the missing part repeats the first/last sample. */
  EDGE: 1,
  /** Single-lead record: lead 1 of the window is a copy of lead 0. */
  LEAD1_COPIED: 2,
  /** Beat datasets only: the beat lies in an AF stretch of the reference rhythm annotations. */
  IN_REFERENCE_AF: 4,
  /**
   * Two-lead record: lead 0 is flat around this beat (QRS peak-to-peak under LEAD_OFF_MV) while
   * lead 1 is not, its electrode off: the beat model is given lead 1 as its single lead.
   */
  LEAD0_OFF: 8,
} as const;

/** A lead whose QRS region (±100 ms of R, conditioned) spans less than this, mV, is flat: the signal quality's flat line. */
export const LEAD_OFF_MV = DEFAULT_QUALITY.flatMv;
