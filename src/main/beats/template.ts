// The record's own dominant beat, as context for the beat model.
//
// An inter-patient beat model confuses a patient's wide *normal* beats (bundle-branch block) with
// PVCs: alone, a wide QRS looks ventricular. A cardiologist asks instead "does this beat differ from
// this patient's usual beat?". So every beat is given a template: the sample-wise median of the
// normalised windows of the beats around it that are not premature.
//
// Beats are grouped in blocks of TEMPLATE_BLOCK consecutive beats; the template of block k is the
// per-sample median over the beats of blocks k-1, k, k+1 (≤ 384 beats, about 5 minutes, the span
// of the avgRR feature) that are valid (window inside the record) and not premature
// (preOverLocal ≥ 0.85, so the PVCs of a bigeminy do not pull the median); with fewer than
// TEMPLATE_MIN_BEATS such beats, every valid beat of the span; with none, every beat of the span.
// Of those, at most TEMPLATE_MAX_BEATS evenly spaced ones enter the median (a 24-hour Holter's
// templates then cost ~0.4 s instead of ~2.5 s with every beat, and a median of 64 beats is as
// steady a picture of the dominant beat). A block representation (not one template per beat) keeps
// a 24-hour Holter's templates at 1/128 of its windows' memory; `templateRow` gives a beat's row.
// Like the amplitude scale, a template depends on the neighbours: compute it on all the beats of a
// record.
import { medianOf } from '../dsp/select';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, RR_FEATURES } from './constants';

/** Beats per template block. */
export const TEMPLATE_BLOCK = 128;
/** Most beats in one template's median (evenly spaced among the eligible ones). */
export const TEMPLATE_MAX_BEATS = 64;
/** Fewest non-premature beats for a template made only of them. */
export const TEMPLATE_MIN_BEATS = 8;
/** A beat whose preRR / localRR is below this is premature and left out of the template. */
export const TEMPLATE_PREMATURE = 0.85;

const ROW = BEAT_LEADS * BEAT_WINDOW;
const PRE_OVER_LOCAL = RR_FEATURES.indexOf('preOverLocal');

export interface BeatTemplates {
  /** nBlocks × 2 × 216 templates, row-major like the windows. */
  templates: Float32Array;
  /** Beats per block (beat i uses block floor(i / block)). */
  block: number;
}

/** Templates of n beats from their windows (n × 2 × 216), RR features and valid flags. */
export function beatTemplates(windows: Float32Array, rr: Float32Array, valid: Uint8Array, n: number): BeatTemplates {
  const t: BeatTemplates = { templates: new Float32Array(Math.ceil(n / TEMPLATE_BLOCK) * ROW), block: TEMPLATE_BLOCK };
  const scratch = templateScratch();
  for (let k = 0; k * TEMPLATE_BLOCK < n; k++) templateOfBlock(t, k, windows, 0, rr, valid, n, scratch);
  return t;
}

/** Beats whose windows block k's template reads: [first, end). */
export function templateSpan(k: number, n: number): [number, number] {
  return [Math.max(0, (k - 1) * TEMPLATE_BLOCK), Math.min(n, (k + 2) * TEMPLATE_BLOCK)];
}

/** Working memory of templateOfBlock, reused across blocks. */
export interface TemplateScratch {
  members: Int32Array;
  columns: Float64Array;
}

export function templateScratch(): TemplateScratch {
  // the members' windows transposed, [sample][member]: each window is read in order once, and each
  // sample's values sit together for the selection (the median is the same whatever the order)
  return { members: new Int32Array(3 * TEMPLATE_BLOCK), columns: new Float64Array(ROW * TEMPLATE_MAX_BEATS) };
}

/**
 * Writes block k's template into t.templates. windows holds the normalised windows of beats
 * [first, first + windows.length / ROW), which must cover templateSpan(k, n); rr and valid: all n beats.
 */
export function templateOfBlock(
  t: BeatTemplates,
  k: number,
  windows: Float32Array,
  first: number,
  rr: Float32Array,
  valid: Uint8Array,
  n: number,
  { members, columns }: TemplateScratch
): void {
  const [a, z] = templateSpan(k, n);
  let m = 0;
  for (let i = a; i < z; i++) if (valid[i] && rr[i * N_RR + PRE_OVER_LOCAL]! >= TEMPLATE_PREMATURE) members[m++] = i;
  if (m < TEMPLATE_MIN_BEATS) {
    m = 0;
    for (let i = a; i < z; i++) if (valid[i]) members[m++] = i;
  }
  if (m === 0) for (let i = a; i < z; i++) members[m++] = i;
  // evenly spaced subset: member floor(j · m / use) for j < use
  const use = Math.min(m, TEMPLATE_MAX_BEATS);
  for (let j = 0; j < use; j++) {
    const src = (members[Math.floor((j * m) / use)]! - first) * ROW;
    for (let s = 0; s < ROW; s++) columns[s * use + j] = windows[src + s]!;
  }
  const o = k * ROW;
  for (let s = 0; s < ROW; s++) t.templates[o + s] = medianOf(columns, use, s * use);
}

/** Offset into `templates` of beat i's template row. */
export function templateRow(t: BeatTemplates, i: number): number {
  return Math.floor(i / t.block) * ROW;
}

/** The templates of beats [from, from + count) as their own blocks, not copied: `from` must start a block. */
export function groupTemplates(t: BeatTemplates, from: number, count: number): BeatTemplates {
  if (from % t.block !== 0) throw new RangeError(`beat ${from} does not start a template block of ${t.block}`);
  return { templates: t.templates.subarray(templateRow(t, from), templateRow(t, from + count - 1) + ROW), block: t.block };
}

/** Copies the templates of beats [from, from + count) into out (count × 2 × 216). */
export function gatherTemplates(t: BeatTemplates, from: number, count: number, out: Float32Array = new Float32Array(count * ROW)): Float32Array {
  return copyTemplates(t, count, (j) => from + j, out);
}

/** Per-beat templates of selected beats (rows), e.g. the beats a dataset keeps. */
export function templatesOfRows(t: BeatTemplates, rows: ArrayLike<number>): Float32Array {
  return copyTemplates(t, rows.length, (j) => rows[j]!, new Float32Array(rows.length * ROW));
}

function copyTemplates(t: BeatTemplates, count: number, beat: (j: number) => number, out: Float32Array): Float32Array {
  for (let j = 0; j < count; j++) {
    const o = templateRow(t, beat(j));
    out.set(t.templates.subarray(o, o + ROW), j * ROW);
  }
  return out;
}
