// What a beat model is given as lead 1 of a record with one ECG signal. The windows always carry
// lead 0 copied into lead 1 (BEAT_FLAG.LEAD1_COPIED), which the rule fallback reads as a second
// view of the same lead. Models trained with lead 1 absent on part of their beats (manifest
// `singleLeadInput: "zeros"`) get lead 1 zeroed instead: the input they learned for one lead,
// rather than a duplicate they never saw in training.
import { BEAT_LEADS, BEAT_WINDOW } from './constants';
import type { BeatTemplates } from './template';

export type SingleLeadInput = 'copy' | 'zeros';

/** A beat model's operating threshold for records analysed with one lead or two (manifest singleLeadThreshold, defaultThreshold). */
export function defaultThresholdOf(entry: { defaultThreshold?: number; singleLeadThreshold?: number }, singleLead: boolean): number {
  const two = entry.defaultThreshold ?? 0.5;
  return singleLead ? (entry.singleLeadThreshold ?? two) : two;
}

/** The manifest's singleLeadInput, 'copy' when absent (models that predate the option). */
export function singleLeadInputOf(entry: { singleLeadInput?: unknown }): SingleLeadInput {
  return entry.singleLeadInput === 'zeros' ? 'zeros' : 'copy';
}

const ROW = BEAT_LEADS * BEAT_WINDOW;

function zeroLead1(rows: Float32Array): Float32Array {
  const out = new Float32Array(rows);
  for (let o = BEAT_WINDOW; o < out.length; o += ROW) out.fill(0, o, o + BEAT_WINDOW);
  return out;
}

/**
 * The beat model's input for a single-lead record under `mode`: the arrays as they are for
 * 'copy', copies with lead 1 zeroed (windows and templates) for 'zeros'.
 */
export function singleLeadModelInput<T extends { windows: Float32Array; templates: BeatTemplates }>(x: T, mode: SingleLeadInput): T {
  if (mode === 'copy') return x;
  return { ...x, windows: zeroLead1(x.windows), templates: { ...x.templates, templates: zeroLead1(x.templates.templates) } };
}
