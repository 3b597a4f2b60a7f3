// Multi-lead fusion of Pan–Tompkins feature signals with automatic gain and lead quality.
// Works on each lead's moving RMS of the derivative (rms, the square root of the integrated
// energy). Per lead and per 1 s block b:
//   top(b)   = the block's maximum of rms (a QRS when there is one),
//   floor(b) = the median of the block's rms (between beats: the noise),
//   level(b) = median of top over the 9 blocks around b (the local QRS height: automatic gain),
//              at least 0.22 x the record-wide level (the median top of the blocks whose top stands
//              4 x above their floor: the QRS height, neither asystole's noise nor an artefact's),
//   noise(b) = median of floor over the same 9 blocks,
//   quality  = level / noise  (a clean lead: QRS humps far above a quiet baseline),
//              divided by (spread / 1.25)^2 when the largest top of the 9 blocks exceeds 1.25 x level
//              (artefacts: a lead's QRS heights are steady, bursts of noise are not),
//              scaled by (level / global)^2 / 0.3 when under 1 (a lead going flat),
//              0 when a fifth of the block or more is digitally flat (rms under 1e-3 x the
//              record-wide level: no signal at all, an electrode off or a channel not yet recording).
// The fused signal is  sum_l w_l * rms_l / level_l  with w_l = quality_l^2 / sum quality^2, the
// factor w_l / level_l interpolated linearly between block centres. Each lead's QRS thus counts
// ~1, and a noisy or disconnected lead fades out where another lead is cleaner.
import type { LeadFeatures } from './features';
import { medianOf } from '../dsp/select';

export interface Fusion {
  /** fused feature: ~1 at a typical QRS */
  fused: Float32Array;
  /** lead l's local QRS level (rms units) at sample i */
  levelAt(l: number, i: number): number;
  /** lead l's weight at sample i (weights sum to 1 over leads) */
  weightAt(l: number, i: number): number;
}

const SPREAD_OK = 1.25;
const LEVEL_FLOOR = Math.sqrt(0.05);
const FLAT = Math.sqrt(0.3);

interface BlockStats {
  level: Float64Array;
  quality: Float64Array;
}

/** A block whose top stands this far above its floor holds a QRS hump (noise, however large, is a carpet). */
const BEAT_LIKE = 4;
/** rms under this fraction of the record-wide level is no signal at all (real ECG blocks: floor >= 8e-3 of it on mitdb, svdb, cudb). */
const DEAD_RMS = 1e-3;
/** A block with at least this share of dead samples gives its lead no weight: the 9-block level hides a flat stretch of a few seconds. */
const DEAD_SHARE = 0.2;
/** The share of blocks that must look like beats for their level to be the record's. */
const MIN_BEAT_LIKE = 0.1;

/**
 * The record-wide QRS level: the median top of the blocks that look like beats. The median of every
 * block is the noise's once half the record has no beat (asystole), and the gain then raises noise
 * to QRS height; a high percentile of every block is the artifact's once artifact fills a tenth of
 * the record, and the floor then hides the clean beats. With too few beat-like blocks, the median.
 */
function globalLevel(top: Float64Array, floor: Float64Array): number {
  const beats: number[] = [];
  // top > 0: a digitally flat block (floor and top 0) is no beat
  for (let b = 0; b < top.length; b++) if (top[b]! > 0 && top[b]! >= BEAT_LIKE * floor[b]!) beats.push(top[b]!);
  const from = beats.length >= MIN_BEAT_LIKE * top.length ? beats : Array.from(top);
  from.sort((x, y) => x - y);
  return from[from.length >> 1] ?? 0;
}

function blockStats(rms: Float32Array, block: number): BlockStats {
  const n = rms.length;
  const nb = Math.ceil(n / block);
  const top = new Float64Array(nb);
  const floor = new Float64Array(nb);
  const deadShare = new Float64Array(nb);
  const step = Math.max(1, Math.floor(block / 40)); // the floor from ~40 samples per block
  const scratch = new Float64Array(Math.ceil(block / step) + 9);
  for (let b = 0; b < nb; b++) {
    let m = 0;
    const a = b * block;
    const end = Math.min(n, a + block);
    for (let i = a; i < end; i++) if (rms[i]! > m) m = rms[i]!;
    top[b] = m;
    let len = 0;
    for (let i = a; i < end; i += step) scratch[len++] = rms[i]!;
    floor[b] = medianOf(scratch, len);
  }
  const global = globalLevel(top, floor);
  for (let b = 0; b < nb; b++) {
    const a = b * block;
    const end = Math.min(n, a + block);
    let dead = 0;
    for (let i = a; i < end; i++) if (rms[i]! <= DEAD_RMS * global) dead++;
    deadShare[b] = end > a ? dead / (end - a) : 0;
  }
  const level = new Float64Array(nb);
  const quality = new Float64Array(nb);
  const wt = new Float64Array(9);
  const wf = new Float64Array(9);
  for (let b = 0; b < nb; b++) {
    let len = 0;
    let highest = 0;
    for (let k = Math.max(0, b - 4); k <= Math.min(nb - 1, b + 4); k++) {
      wt[len] = top[k]!;
      wf[len++] = floor[k]!;
      if (top[k]! > highest) highest = top[k]!;
    }
    const local = medianOf(wt, len);
    const lv = Math.max(LEVEL_FLOOR * global, local);
    const nz = medianOf(wf, len);
    level[b] = lv;
    let q = global > 0 ? lv / Math.max(nz, 1e-3 * lv) : 0;
    const spread = highest / lv;
    if (spread > SPREAD_OK) q *= (SPREAD_OK / spread) ** 2;
    // from the local height itself, not the floored level: a lead gone flat (its electrode off)
    // has no noise floor either, so level / noise alone would rate it the cleanest lead
    const presence = global > 0 ? local / (FLAT * global) : 0;
    if (presence < 1) q *= presence * presence;
    // a flat stretch of a few seconds (an ICU lead not yet connected) leaves the 9-block level and
    // noise as they were, and the lead, quiet, would outweigh a clean one over its own beats
    if (deadShare[b]! >= DEAD_SHARE) q = 0;
    quality[b] = q;
  }
  return { level, quality };
}

/** Linear interpolation of per-block values between block centres. */
function blockLerp(v: Float64Array, block: number, i: number): number {
  const nb = v.length;
  const pos = (i + 0.5) / block - 0.5;
  if (pos <= 0) return v[0]!;
  const b0 = Math.floor(pos);
  if (b0 >= nb - 1) return v[nb - 1]!;
  return v[b0]! + (v[b0 + 1]! - v[b0]!) * (pos - b0);
}

export function fuseLeads(feats: LeadFeatures[], fs: number): Fusion {
  const n = feats[0]!.rms.length;
  const block = Math.max(1, Math.round(fs));
  const stats = feats.map((f) => blockStats(f.rms, block));
  const nb = Math.ceil(n / block);
  const L = feats.length;
  const wBlock = stats.map(() => new Float64Array(nb));
  for (let b = 0; b < nb; b++) {
    let sum = 0;
    for (let l = 0; l < L; l++) sum += stats[l]!.quality[b]! ** 2;
    for (let l = 0; l < L; l++) wBlock[l]![b] = sum > 0 ? stats[l]!.quality[b]! ** 2 / sum : 1 / L;
  }
  const fused = new Float32Array(n);
  const gain = new Float64Array(nb);
  for (let l = 0; l < L; l++) {
    const lv = stats[l]!.level;
    const wb = wBlock[l]!;
    for (let b = 0; b < nb; b++) gain[b] = lv[b]! > 0 ? wb[b]! / lv[b]! : 0;
    const rms = feats[l]!.rms;
    // gain is constant before the first block centre and after the last one, linear between
    const c0 = Math.min(n, Math.ceil(block / 2 - 0.5));
    for (let i = 0; i < c0; i++) fused[i] += gain[0]! * rms[i]!;
    for (let b = 0; b + 1 < nb; b++) {
      const start = Math.max(c0, Math.ceil(b * block + block / 2 - 0.5));
      const end = Math.min(n, Math.ceil((b + 1) * block + block / 2 - 0.5));
      const slope = (gain[b + 1]! - gain[b]!) / block;
      let g = gain[b]! + slope * (start + 0.5 - (b * block + block / 2));
      for (let i = start; i < end; i++) {
        fused[i] += g * rms[i]!;
        g += slope;
      }
    }
    const cLast = Math.max(c0, Math.ceil((nb - 1) * block + block / 2 - 0.5));
    for (let i = cLast; i < n; i++) fused[i] += gain[nb - 1]! * rms[i]!;
  }
  return {
    fused,
    levelAt: (l, i) => blockLerp(stats[l]!.level, block, i),
    weightAt: (l, i) => blockLerp(wBlock[l]!, block, i),
  };
}
