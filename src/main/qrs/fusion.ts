// Multi-lead fusion of Pan–Tompkins feature signals with automatic gain and lead quality.
//
// Per lead and per 1 s block b:
//   top(b)   = the block's maximum of the feature (a QRS when there is one),
//   floor(b) = the median of the block's feature (between beats: the noise),
//   level(b) = median of top over the 9 blocks around b (the local QRS height: automatic gain),
//   noise(b) = median of floor over the same 9 blocks,
//   quality  = sqrt(level / noise)  (a clean lead: QRS humps far above a quiet baseline),
//              scaled down when level falls under 30 % of the lead's record-wide level (lead off).
// The fused signal is  sum_l w_l * sqrt(feature_l / level_l)  with w_l = quality_l^2 / sum quality^2,
// level and weight interpolated linearly between block centres. Each lead's QRS thus counts ~1,
// and a noisy or disconnected lead fades out where another lead is cleaner.
import type { LeadFeatures } from './features';

export interface Fusion {
  /** fused feature: ~1 at a typical QRS */
  fused: Float32Array;
  /** per lead: per-sample local QRS level (feature units) */
  level: Float32Array[];
  /** per lead: per-sample weight (sums to 1 over leads) */
  weight: Float32Array[];
}

function median(a: Float64Array | number[]): number {
  if (a.length === 0) return 0;
  const s = Float64Array.from(a).sort();
  return s[s.length >> 1]!;
}

interface BlockStats {
  level: Float64Array;
  quality: Float64Array;
}

function blockStats(mwi: Float32Array, block: number): BlockStats {
  const n = mwi.length;
  const nb = Math.ceil(n / block);
  const top = new Float64Array(nb);
  const floor = new Float64Array(nb);
  const step = Math.max(1, Math.floor(block / 40)); // the floor from ~40 samples per block
  const sample: number[] = [];
  for (let b = 0; b < nb; b++) {
    let m = 0;
    const a = b * block;
    const end = Math.min(n, a + block);
    for (let i = a; i < end; i++) if (mwi[i]! > m) m = mwi[i]!;
    top[b] = m;
    sample.length = 0;
    for (let i = a; i < end; i += step) sample.push(mwi[i]!);
    floor[b] = median(sample);
  }
  const global = median(top);
  const level = new Float64Array(nb);
  const quality = new Float64Array(nb);
  const wt: number[] = [];
  const wf: number[] = [];
  for (let b = 0; b < nb; b++) {
    wt.length = 0;
    wf.length = 0;
    for (let k = Math.max(0, b - 4); k <= Math.min(nb - 1, b + 4); k++) {
      wt.push(top[k]!);
      wf.push(floor[k]!);
    }
    const lv = Math.max(0.05 * global, median(wt));
    const nz = median(wf);
    level[b] = lv;
    let q = global > 0 ? Math.sqrt(lv / Math.max(nz, 1e-6 * lv)) : 0;
    const presence = global > 0 ? lv / (0.3 * global) : 0;
    if (presence < 1) q *= presence;
    quality[b] = q;
  }
  return { level, quality };
}

export function fuseLeads(feats: LeadFeatures[], fs: number): Fusion {
  const n = feats[0]!.mwi.length;
  const block = Math.max(1, Math.round(fs));
  const stats = feats.map((f) => blockStats(f.mwi, block));
  const nb = Math.ceil(n / block);
  const L = feats.length;
  // block weights
  const wBlock = stats.map(() => new Float64Array(nb));
  for (let b = 0; b < nb; b++) {
    let sum = 0;
    for (let l = 0; l < L; l++) sum += stats[l]!.quality[b]! ** 2;
    for (let l = 0; l < L; l++) wBlock[l]![b] = sum > 0 ? stats[l]!.quality[b]! ** 2 / sum : 1 / L;
  }
  const fused = new Float32Array(n);
  const level: Float32Array[] = [];
  const weight: Float32Array[] = [];
  for (let l = 0; l < L; l++) {
    const lv = new Float32Array(n);
    const w = new Float32Array(n);
    const s = stats[l]!.level;
    const wb = wBlock[l]!;
    const mwi = feats[l]!.mwi;
    for (let i = 0; i < n; i++) {
      const pos = (i + 0.5) / block - 0.5;
      let b0 = Math.floor(pos);
      let f = pos - b0;
      if (b0 < 0) { b0 = 0; f = 0; }
      const b1 = b0 + 1 < nb ? b0 + 1 : b0;
      if (b1 === b0) f = 0;
      const le = s[b0]! + (s[b1]! - s[b0]!) * f;
      const we = wb[b0]! + (wb[b1]! - wb[b0]!) * f;
      lv[i] = le;
      w[i] = we;
      if (le > 0) fused[i] += we * Math.sqrt(mwi[i]! / le);
    }
    level.push(lv);
    weight.push(w);
  }
  return { fused, level, weight };
}
