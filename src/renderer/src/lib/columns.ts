// Per-pixel min/max decimation for the canvas: whatever the zoom, one vertical segment per pixel
// column covering every sample that falls in it, so no peak is ever lost and drawing costs
// O(width) however many samples the view spans.

/** A decimated signal run as delivered by record:window: point i covers frames [from + i·bucket, from + (i+1)·bucket). */
export interface Run {
  from: number;
  bucket: number;
  min: Float32Array;
  max: Float32Array;
}

export interface Columns {
  min: Float32Array;
  max: Float32Array;
  /** Columns with no data are NaN in both. */
  width: number;
}

/**
 * Min/max per pixel column for the view whose left edge is frame `startFrame` with
 * `framesPerPx` frames per pixel. Reuses `out` when it is wide enough.
 */
export function toColumns(run: Run, startFrame: number, framesPerPx: number, width: number, out?: Columns): Columns {
  const cols: Columns = out && out.min.length >= width ? out : { min: new Float32Array(width), max: new Float32Array(width), width };
  cols.width = width;
  cols.min.fill(NaN, 0, width);
  cols.max.fill(NaN, 0, width);
  const n = run.min.length;
  if (n === 0) return cols;
  // Points overlapping the view.
  const p0 = Math.max(0, Math.floor((startFrame - run.from) / run.bucket));
  const p1 = Math.min(n, Math.ceil((startFrame + width * framesPerPx - run.from) / run.bucket) + 1);
  for (let p = p0; p < p1; p++) {
    const lo = run.min[p]!;
    const hi = run.max[p]!;
    if (Number.isNaN(lo)) continue;
    // Point p spans frames [a, b); it touches columns ca..cb.
    const a = run.from + p * run.bucket;
    const ca = Math.floor((a - startFrame) / framesPerPx);
    const cb = run.bucket === 1 ? ca : Math.floor((a + run.bucket - 1 - startFrame) / framesPerPx);
    for (let c = Math.max(0, ca); c <= Math.min(width - 1, cb); c++) {
      const m = cols.min[c]!;
      if (Number.isNaN(m) || lo < m) cols.min[c] = lo;
      const M = cols.max[c]!;
      if (Number.isNaN(M) || hi > M) cols.max[c] = hi;
    }
  }
  return cols;
}

/** Connects neighbouring columns so a steep edge between two pixels leaves no gap. */
export function bridgeColumns(cols: Columns): void {
  let prevMin = NaN;
  let prevMax = NaN;
  for (let c = 0; c < cols.width; c++) {
    const lo = cols.min[c]!;
    const hi = cols.max[c]!;
    if (Number.isNaN(lo)) {
      prevMin = prevMax = NaN;
      continue;
    }
    const pMin = prevMin;
    const pMax = prevMax;
    prevMin = lo;
    prevMax = hi;
    if (Number.isNaN(pMin)) continue;
    if (pMax < lo) cols.min[c] = pMax;
    if (pMin > hi) cols.max[c] = pMin;
  }
}
