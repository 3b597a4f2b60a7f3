// What a beat model is given as lead 1 of a record with one ECG signal. The windows always carry
// lead 0 copied into lead 1 (BEAT_FLAG.LEAD1_COPIED), which the rule fallback reads as a second
// view of the same lead. Models trained with lead 1 absent on part of their beats (manifest
// `singleLeadInput: "zeros"`) get lead 1 zeroed instead: the input they learned for one lead,
// rather than a duplicate they never saw in training.
// A two-lead record whose lead 0 is off around a beat (BEAT_FLAG.LEAD0_OFF: flat while lead 1 is
// not) gives that beat lead 1 as its single lead, in lead 0's place: a beat model never saw lead 0
// flat beside a live lead 1 in training, but did see the other lead first with lead 1 absent (its
// leads swapped, then lead 1 zeroed).
import { BEAT_FLAG, BEAT_LEADS, BEAT_WINDOW, R_INDEX } from './constants';
import { gatherTemplates, type BeatTemplates } from './template';

export type SingleLeadInput = 'copy' | 'zeros';
export type SingleLeadPolarity = 'as-recorded' | 'qrs-up' | 'qrs-down';

/** A beat model's operating threshold for records analysed with one lead or two (manifest singleLeadThreshold, defaultThreshold). */
export function defaultThresholdOf(entry: { defaultThreshold?: number; singleLeadThreshold?: number }, singleLead: boolean): number {
  const two = entry.defaultThreshold ?? 0.5;
  return singleLead ? (entry.singleLeadThreshold ?? two) : two;
}

/** The manifest's singleLeadInput, 'copy' when absent (models that predate the option). */
export function singleLeadInputOf(entry: { singleLeadInput?: unknown }): SingleLeadInput {
  return entry.singleLeadInput === 'zeros' ? 'zeros' : 'copy';
}

/** The manifest's singleLeadPolarity, 'as-recorded' when absent. */
export function singleLeadPolarityOf(entry: { singleLeadPolarity?: unknown }): SingleLeadPolarity {
  const p = entry.singleLeadPolarity;
  return p === 'qrs-up' || p === 'qrs-down' ? p : 'as-recorded';
}

const ROW = BEAT_LEADS * BEAT_WINDOW;
/** Half the span around R where a dominant beat's QRS peak is looked for: 50 ms at 360 Hz. */
const QRS_HALF = 18;

function zeroLead1(rows: Float32Array): void {
  for (let o = BEAT_WINDOW; o < rows.length; o += ROW) rows.fill(0, o, o + BEAT_WINDOW);
}

/** −1 when the lead-0 row at `o` has its largest excursion within ±50 ms of R below zero, else 1. */
export function qrsPolarity(rows: Float32Array, o: number): 1 | -1 {
  let peak = 0;
  for (let i = R_INDEX - QRS_HALF; i <= R_INDEX + QRS_HALF; i++) {
    const v = rows[o + i]!;
    if (Math.abs(v) > Math.abs(peak)) peak = v;
  }
  return peak < 0 ? -1 : 1;
}

/**
 * Turns each template block whose dominant beat does not point `way` (qrsPolarity of its lead 0),
 * and the windows of its beats, upside down, in place: a single lead reaches the model the same way
 * up however it was recorded (electrodes swapped, a handheld device held the other way round).
 */
function turnQrs(windows: Float32Array, t: BeatTemplates, way: 1 | -1): void {
  const count = windows.length / ROW;
  for (let b = 0; b * ROW < t.templates.length; b++) {
    if (qrsPolarity(t.templates, b * ROW) === way) continue;
    negate(t.templates, b * ROW, (b + 1) * ROW);
    for (let j = b * t.block; j < Math.min(count, (b + 1) * t.block); j++) negate(windows, j * ROW, (j + 1) * ROW);
  }
}

function negate(rows: Float32Array, from: number, to: number): void {
  for (let i = from; i < to; i++) rows[i] = -rows[i]!;
}

/**
 * The beat model's input for a single-lead record under `mode` and `polarity`: the arrays as they
 * are for 'copy' as recorded; else copies with lead 1 zeroed (windows and templates) for 'zeros',
 * turned block by block so that the dominant beat's QRS points up ('qrs-up') or down ('qrs-down').
 */
export function singleLeadModelInput<T extends { windows: Float32Array; templates: BeatTemplates }>(
  x: T,
  mode: SingleLeadInput,
  polarity: SingleLeadPolarity = 'as-recorded'
): T {
  if (mode === 'copy' && polarity === 'as-recorded') return x;
  const windows = new Float32Array(x.windows);
  const templates = { ...x.templates, templates: new Float32Array(x.templates.templates) };
  if (mode === 'zeros') {
    zeroLead1(windows);
    zeroLead1(templates.templates);
  }
  if (polarity !== 'as-recorded') turnQrs(windows, templates, polarity === 'qrs-up' ? 1 : -1);
  return { ...x, windows, templates };
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
  mode: SingleLeadInput,
  polarity: SingleLeadPolarity = 'as-recorded'
): T {
  if (singleLead) return singleLeadModelInput(x, mode, polarity);
  let off = false;
  for (let j = 0; j < count && !off; j++) off = (flags[j]! & BEAT_FLAG.LEAD0_OFF) !== 0;
  if (!off) return x;
  const windows = x.windows.slice(0, count * ROW);
  const templates = gatherTemplates(x.templates, 0, count);
  applyLeadInput(windows, flags, count, mode);
  applyLeadInput(templates, flags, count, mode);
  return { ...x, windows, templates: { templates, block: 1 } };
}
