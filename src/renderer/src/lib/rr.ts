// RR intervals of the beats under review (deleted beats and beats labelled X, not a beat, skipped:
// as the summary and the HR trend count them), for the tachogram and the Poincaré plot, and box
// selection on the Poincaré plane.
import { STATUS, type ReviewBeats } from './beats';

export interface RrSeries {
  /** Beat index (into ReviewBeats) of each point. */
  index: Int32Array;
  /** RR before the beat, ms (NaN for the first, and for one the series leaves out). */
  rr: Float32Array;
}

/**
 * `read(from, to)` (review-summary's intervalRead): false for an interval the plots leave out (NaN,
 * no point), one over unreadable signal that the summary reads as no rate and no pause.
 */
export function rrSeries(b: ReviewBeats, fs: number, read?: (from: number, to: number) => boolean): RrSeries {
  const status = b.statusCodes();
  // X comes only from the reviewer (the model never calls it): marked from the edits, not per beat
  const notBeat = new Uint8Array(b.count);
  for (const [sample, e] of b.edits) {
    if (e.label !== 'X') continue;
    const i = b.indexAt(sample);
    if (i < b.count && b.sample[i] === sample) notBeat[i] = 1;
  }
  const index = new Int32Array(b.count);
  const rr = new Float32Array(b.count);
  let n = 0;
  let prev = -1;
  for (let i = 0; i < b.count; i++) {
    if (status[i] === STATUS.deleted || notBeat[i]) continue;
    index[n] = i;
    rr[n++] = prev < 0 || (read && !read(b.sample[prev]!, b.sample[i]!)) ? NaN : ((b.sample[i]! - b.sample[prev]!) * 1000) / fs;
    prev = i;
  }
  return { index: index.slice(0, n), rr: rr.slice(0, n) };
}

/** Poincaré points in plot coordinates: point k at (sx(RR before beat k), sy(RR after it)), NaN where either is missing. */
export function poincarePoints(s: RrSeries, sx: (ms: number) => number, sy: (ms: number) => number): { xs: Float32Array; ys: Float32Array } {
  const n = s.rr.length;
  const xs = new Float32Array(n).fill(NaN);
  const ys = new Float32Array(n).fill(NaN);
  for (let k = 1; k + 1 < n; k++) {
    const x = s.rr[k]!;
    const y = s.rr[k + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xs[k] = sx(x);
    ys[k] = sy(y);
  }
  return { xs, ys };
}

/**
 * The RR range (ms) of the Poincaré plot's axes: a point outside it is drawn at the edge it passes
 * (a pause of 3 s on the 2000 line, a double detection 150 ms after its beat on the 200 line).
 */
export const POINCARE_MS: readonly [number, number] = [200, 2000];

/** An RR (ms) where the Poincaré plot draws it: clamped to `domain` (no clamp without one). */
function drawnAt(ms: number, domain: readonly [number, number] | undefined): number {
  return domain ? Math.min(domain[1], Math.max(domain[0], ms)) : ms;
}

/**
 * Beats whose Poincaré point (RR(n), RR(n+1)) lies in the box [x0, x1] × [y0, y1] (ms): point k
 * pairs the RR before beat k with the RR after it, so it stands for beat k (the ectopic beat's
 * short-long signature). With `domain` (the plot's axes, POINCARE_MS) each point is taken where it
 * is drawn, clamped to the axes: a box over the edge selects the pauses and double detections
 * shown there.
 */
export function poincareSelect(s: RrSeries, x0: number, x1: number, y0: number, y1: number, domain?: readonly [number, number]): number[] {
  const out: number[] = [];
  for (let k = 1; k + 1 < s.rr.length; k++) {
    const x = drawnAt(s.rr[k]!, domain);
    const y = drawnAt(s.rr[k + 1]!, domain);
    if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out.push(s.index[k]!);
  }
  return out;
}

/**
 * Beats whose Poincaré point (RR before, RR after, ms) lies inside the polygon (a lasso drawn
 * round an irregular cluster; even-odd rule), in time order; with `domain`, each point where it is
 * drawn (poincareSelect).
 */
export function poincareLasso(s: RrSeries, polygon: readonly (readonly [number, number])[], domain?: readonly [number, number]): number[] {
  const out: number[] = [];
  if (polygon.length < 3) return out;
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (const [x, y] of polygon) {
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  }
  for (let k = 1; k + 1 < s.rr.length; k++) {
    const x = drawnAt(s.rr[k]!, domain);
    const y = drawnAt(s.rr[k + 1]!, domain);
    if (!(x >= x0 && x <= x1 && y >= y0 && y <= y1)) continue;
    let inside = false;
    for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
      const [xi, yi] = polygon[i]!;
      const [xj, yj] = polygon[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
    if (inside) out.push(s.index[k]!);
  }
  return out;
}
