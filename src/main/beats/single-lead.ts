// What a beat model is given as lead 1 of a record with one ECG signal. The windows always carry
// lead 0 copied into lead 1 (BEAT_FLAG.LEAD1_COPIED), which the rule fallback reads as a second
// view of the same lead. Models trained with lead 1 absent on part of their beats (manifest
// `singleLeadInput: "zeros"`) get lead 1 zeroed instead: the input they learned for one lead,
// rather than a duplicate they never saw in training.
// A two-lead record whose lead 0 is off around a beat (BEAT_FLAG.LEAD0_OFF: flat while lead 1 is
// not) gives that beat lead 1 as its single lead, in lead 0's place: a beat model never saw lead 0
// flat beside a live lead 1 in training, but did see the other lead first with lead 1 absent (its
// leads swapped, then lead 1 zeroed).
import { BEAT_FLAG, BEAT_LEADS, BEAT_WINDOW } from './constants';
import { gatherTemplates, type BeatTemplates } from './template';

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

/**
 * The lead input of each row by its flags, in place on per-beat rows (windows or templates): a row
 * of a single-lead record (LEAD1_COPIED) gets lead 1 zeroed in 'zeros' mode; a row whose lead 0 is
 * off (LEAD0_OFF) gets lead 1 moved to lead 0, then lead 1 zeroed ('zeros') or left as the copy.
 * hbs.beat_model.app_lead_input is its Python twin for 'zeros', the only mode hbs.beats makes
 * (the training loader; a 'copy' model is an older one, which scripts/finetune-features.ts then
 * cannot match, and says so).
 */
export function applyLeadInput(rows: Float32Array, flags: ArrayLike<number>, count: number, mode: SingleLeadInput): void {
  for (let j = 0; j < count; j++) {
    const f = flags[j]!;
    const o = j * ROW;
    if (f & BEAT_FLAG.LEAD0_OFF) rows.copyWithin(o, o + BEAT_WINDOW, o + ROW);
    if (mode === 'zeros' && f & (BEAT_FLAG.LEAD0_OFF | BEAT_FLAG.LEAD1_COPIED)) rows.fill(0, o + BEAT_WINDOW, o + ROW);
  }
}

/**
 * The beat model's input for `count` beats (x's rows from row 0, flags theirs): the single-lead
 * input on a one-lead record; on a two-lead record, lead 1 as the single lead of the beats whose
 * lead 0 is off (copies, with one template per beat), x as it is when there are none.
 */
export function modelInputFor<T extends { windows: Float32Array; templates: BeatTemplates }>(
  x: T,
  count: number,
  flags: Uint8Array,
  singleLead: boolean,
  mode: SingleLeadInput
): T {
  if (singleLead) return singleLeadModelInput(x, mode);
  let off = false;
  for (let j = 0; j < count && !off; j++) off = (flags[j]! & BEAT_FLAG.LEAD0_OFF) !== 0;
  if (!off) return x;
  const windows = x.windows.slice(0, count * ROW);
  const templates = gatherTemplates(x.templates, 0, count);
  applyLeadInput(windows, flags, count, mode);
  applyLeadInput(templates, flags, count, mode);
  return { ...x, windows, templates: { templates, block: 1 } };
}
