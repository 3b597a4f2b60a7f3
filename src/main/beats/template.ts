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
  const block = TEMPLATE_BLOCK;
  const nBlocks = Math.ceil(n / block);
  const templates = new Float32Array(nBlocks * ROW);
  const members = new Int32Array(3 * block);
  // the members' windows transposed, [sample][member]: each window is read in order once, and each
  // sample's values sit together for the selection (the median is the same whatever the order)
  const columns = new Float64Array(ROW * TEMPLATE_MAX_BEATS);
  for (let k = 0; k < nBlocks; k++) {
    const a = Math.max(0, (k - 1) * block);
    const z = Math.min(n, (k + 2) * block);
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
      const src = members[Math.floor((j * m) / use)]! * ROW;
      for (let s = 0; s < ROW; s++) columns[s * use + j] = windows[src + s]!;
    }
    m = use;
    const o = k * ROW;
    for (let s = 0; s < ROW; s++) templates[o + s] = medianOf(columns, m, s * m);
  }
  return { templates, block };
}

/** Offset into `templates` of beat i's template row. */
export function templateRow(t: BeatTemplates, i: number): number {
  return Math.floor(i / t.block) * ROW;
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
