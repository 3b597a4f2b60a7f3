// The beat-level ventricular rule, used when no beat model runs: a beat is ventricular when its
// QRS is wide (absolute and relative to the record's dominant width), its shape differs from the
// dominant beat, and it comes early followed by a compensatory pause. It works on the beat
// windows of src/main/beats (the conditioned signal, the same input the beat model sees).
import { AAMI_CLASSES } from '../../shared/analysis';
import { logistic, pct, type RuleParams } from './params';
import { medianInPlace } from '../dsp/select';

/** Layout of the beat windows: n × leads × length, R peak at rIndex, sampled at fs. */
export interface WindowLayout {
  leads: number;
  length: number;
  rIndex: number;
  fs: number;
}

/** Per-beat measurements behind the rule, columnar. NaN where not measurable. */
export interface VFeatures {
  qrsMs: Float32Array;
  /** Pearson correlation with the dominant beat of the surrounding block (best of ±2-sample shifts). */
  morphCorr: Float32Array;
  /** 1 − RR / local RR (local RR = median of the 8 previous intervals). */
  prematurity: Float32Array;
  /** (RR + next RR) / (2 × local RR): ≈ 1 for a fully compensatory pause. */
  compensation: Float32Array;
  /** Median QRS width of the record, ms. */
  dominantQrsMs: number;
}

const BLOCK = 1024; // beats per dominant-template block (~15 min)
const TEMPLATE_BEATS = 64;

/** QRS width of one lead, ms: where |dx/dt| stays above 12 % of its peak around the R peak. */
export function qrsWidthMs(x: Float32Array, off: number, L: WindowLayout): number {
  const r = L.rIndex;
  const lo = Math.max(1, r - Math.round(0.15 * L.fs));
  const hi = Math.min(L.length - 2, r + Math.round(0.2 * L.fs));
  const env = (t: number) => Math.abs(x[off + t + 1]! - x[off + t - 1]!);
  const near = Math.round(0.06 * L.fs);
  let peak = 0;
  let at = r;
  for (let t = Math.max(lo, r - near); t <= Math.min(hi, r + near); t++) {
    const e = env(t);
    if (e > peak) {
      peak = e;
      at = t;
    }
  }
  if (!(peak > 0)) return NaN;
  const thr = 0.12 * peak;
  const quiet = Math.max(2, Math.round(0.01 * L.fs));
  let on = lo;
  for (let t = at, q = 0; t >= lo; t--) {
    q = env(t) < thr ? q + 1 : 0;
    if (q === quiet) {
      on = t + quiet - 1;
      break;
    }
  }
  let offT = hi;
  for (let t = at, q = 0; t <= hi; t++) {
    q = env(t) < thr ? q + 1 : 0;
    if (q === quiet) {
      offT = t - quiet + 1;
      break;
    }
  }
  return ((offT - on) * 1000) / L.fs;
}

function correlation(a: Float32Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let sa = 0,
    sb = 0,
    saa = 0,
    sbb = 0,
    sab = 0;
  for (let i = 0; i < n; i++) {
    const x = a[ao + i]!;
    const y = b[bo + i]!;
    sa += x;
    sb += y;
    saa += x * x;
    sbb += y * y;
    sab += x * y;
  }
  const va = saa - (sa * sa) / n;
  const vb = sbb - (sb * sb) / n;
  return va > 0 && vb > 0 ? (sab - (sa * sb) / n) / Math.sqrt(va * vb) : 0;
}

/** Element-wise median of up to TEMPLATE_BEATS evenly spaced valid beats of [from, to). */
function dominantTemplate(w: Float32Array, valid: Uint8Array, from: number, to: number, stride: number): Float64Array {
  const picks: number[] = [];
  const step = Math.max(1, Math.floor((to - from) / TEMPLATE_BEATS));
  for (let k = from; k < to && picks.length < TEMPLATE_BEATS; k += step) if (valid[k]) picks.push(k);
  const t = new Float64Array(stride);
  const col = new Float64Array(picks.length);
  for (let j = 0; j < stride; j++) {
    for (let p = 0; p < picks.length; p++) col[p] = w[picks[p]! * stride + j]!;
    t[j] = medianInPlace(col, picks.length);
  }
  return t;
}

export function measureBeats(windows: Float32Array, valid: Uint8Array, rrSec: Float64Array, L: WindowLayout): VFeatures {
  return withRhythmMeasures(measureShapes(windows, valid, L), rrSec);
}

/** Beats per dominant-beat block: a caller measuring a record in parts starts each part at a multiple of it. */
export const SHAPE_BLOCK = BLOCK;

/** QRS width and correlation with the dominant beat of the beats' own blocks (of SHAPE_BLOCK beats from the first). */
export function measureShapes(windows: Float32Array, valid: Uint8Array, L: WindowLayout): Pick<VFeatures, 'qrsMs' | 'morphCorr'> {
  const n = valid.length;
  const stride = L.leads * L.length;
  const qrsMs = new Float32Array(n).fill(NaN);
  const morphCorr = new Float32Array(n).fill(NaN);
  const a = Math.max(2, L.rIndex - Math.round(0.1 * L.fs));
  const seg = Math.min(L.length - 2, L.rIndex + Math.round(0.15 * L.fs)) - a;
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const b1 = Math.min(n, b0 + BLOCK);
    const tpl = dominantTemplate(windows, valid, b0, b1, stride);
    for (let k = b0; k < b1; k++) {
      if (!valid[k]) continue;
      let w = 0;
      let corr = 0;
      for (let l = 0; l < L.leads; l++) {
        const off = k * stride + l * L.length;
        w += qrsWidthMs(windows, off, L);
        let best = -1;
        for (let s = -2; s <= 2; s++) best = Math.max(best, correlation(windows, off + a + s, tpl, l * L.length + a, seg));
        corr += best;
      }
      qrsMs[k] = w / L.leads;
      morphCorr[k] = corr / L.leads;
    }
  }
  return { qrsMs, morphCorr };
}

/** The features of every beat from their shapes (measureShapes) and RR intervals. */
export function withRhythmMeasures({ qrsMs, morphCorr }: Pick<VFeatures, 'qrsMs' | 'morphCorr'>, rrSec: Float64Array): VFeatures {
  const n = qrsMs.length;
  const prematurity = new Float32Array(n).fill(NaN);
  const compensation = new Float32Array(n).fill(NaN);
  const recent = new Float64Array(8);
  for (let k = 1; k < n; k++) {
    let m = 0;
    for (let j = Math.max(1, k - 8); j < k; j++) if (Number.isFinite(rrSec[j]!)) recent[m++] = rrSec[j]!;
    if (m < 3) continue;
    const local = medianInPlace(recent, m);
    prematurity[k] = 1 - rrSec[k]! / local;
    if (k + 1 < n) compensation[k] = (rrSec[k]! + rrSec[k + 1]!) / (2 * local);
  }
  const widths = new Float64Array(n);
  let m = 0;
  for (let k = 0; k < n; k++) if (Number.isFinite(qrsMs[k]!)) widths[m++] = qrsMs[k]!;
  return { qrsMs, morphCorr, prematurity, compensation, dominantQrsMs: m ? medianInPlace(widths, m) : NaN };
}

function wideLimit(f: VFeatures, p: RuleParams): number {
  return Math.max(p.vWideMs, Number.isFinite(f.dominantQrsMs) ? p.vWideRelative * f.dominantQrsMs : 0);
}

interface Evidence {
  wide: number;
  morph: number;
  premature: number;
  compensatory: number;
}

function evidence(f: VFeatures, k: number, p: RuleParams): Evidence {
  const q = f.qrsMs[k]!;
  const c = f.morphCorr[k]!;
  const pr = f.prematurity[k]!;
  const cp = f.compensation[k]!;
  const premature = Number.isFinite(pr) ? logistic((pr - p.vPremature) / 0.03) : 0;
  return {
    wide: Number.isFinite(q) ? logistic((q - wideLimit(f, p)) / 8) : 0,
    morph: Number.isFinite(c) ? logistic((p.vMorphCorr - c) / 0.03) : 0,
    premature,
    compensatory: Number.isFinite(cp) ? premature * logistic((0.1 - Math.abs(cp - 1)) / 0.03) : 0,
  };
}

/**
 * Class probabilities (n × 5, AAMI order) from the features. Evidence points: wide QRS 2,
 * different morphology 2, premature 1, compensatory pause 1; P(V) = logistic(2 × (points − 2.5)),
 * so wide + different is 0.95 and one criterion alone stays below 0.3. A premature, narrow,
 * normally shaped beat scores as S.
 */
export function classifyByRules(f: VFeatures, valid: Uint8Array, p: RuleParams): Float32Array {
  const n = valid.length;
  const K = AAMI_CLASSES.length;
  const probs = new Float32Array(n * K);
  for (let k = 0; k < n; k++) {
    if (!valid[k]) {
      probs[k * K + 4] = 1; // unmeasurable window: Q (unclassifiable)
      continue;
    }
    const e = evidence(f, k, p);
    const pv = logistic(2 * (2 * e.wide + 2 * e.morph + e.premature + e.compensatory - 2.5));
    const ps = (1 - pv) * e.premature * (1 - e.wide) * (1 - e.morph);
    probs[k * K + 2] = pv;
    probs[k * K + 1] = ps;
    probs[k * K] = Math.max(0, 1 - pv - ps);
  }
  return probs;
}

/** Why the rule scored beat k as it did, e.g. "QRS 148 ms (> 120), 31 % premature, compensatory pause". */
export function explainBeat(f: VFeatures, k: number, p: RuleParams): string {
  const parts: string[] = [];
  const q = f.qrsMs[k]!;
  if (!Number.isFinite(q)) return 'beat window not measurable (edge of record or invalid signal)';
  const lim = wideLimit(f, p);
  parts.push(q > lim ? `QRS ${q.toFixed(0)} ms (> ${lim.toFixed(0)})` : `QRS ${q.toFixed(0)} ms (≤ ${lim.toFixed(0)})`);
  const c = f.morphCorr[k]!;
  parts.push(c < p.vMorphCorr ? `shape differs from dominant beat (r ${c.toFixed(2)} < ${p.vMorphCorr})` : `dominant shape (r ${c.toFixed(2)})`);
  const pr = f.prematurity[k]!;
  if (Number.isFinite(pr)) parts.push(pr >= p.vPremature ? `${pct(pr)} premature` : 'not premature');
  const cp = f.compensation[k]!;
  if (Number.isFinite(cp) && pr >= p.vPremature && Math.abs(cp - 1) <= 0.1) parts.push('compensatory pause');
  return parts.join(', ');
}
