// The fine-tune panel's loss curve: D3 scales and line generators → SVG path strings (testable
// without a DOM). Training and validation loss per epoch, the epoch the job kept marked.
import { line, scaleLinear } from 'd3';

export interface LossPoint {
  epoch: number;
  train?: number;
  val?: number;
}

export interface LossPaths {
  train: string;
  val: string;
  /** y-axis range shown (min, max loss). */
  yDomain: [number, number];
  xMax: number;
  /** x of the best epoch, or null. */
  bestX: number | null;
}

/**
 * `bestEpoch`: the epoch the job kept (its rule keeps an epoch only when the held-out loss falls by at
 * least minDelta, so the strict minimum can be another); without it, the lowest validation loss.
 */
export function lossPaths(points: readonly LossPoint[], width: number, height: number, pad = 4, bestEpoch?: number | null): LossPaths {
  const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
  const ys = points.flatMap((p) => [p.train, p.val]).filter(finite);
  const lo = ys.length ? Math.min(...ys) : 0;
  const hi = ys.length ? Math.max(...ys) : 1;
  const xMax = Math.max(1, ...points.map((p) => p.epoch));
  const x = scaleLinear()
    .domain([0, xMax])
    .range([pad, width - pad]);
  const y = scaleLinear()
    .domain([lo, hi === lo ? lo + 1 : hi])
    .range([height - pad, pad]);
  const mk = (key: 'train' | 'val') =>
    line<LossPoint>()
      .defined((p) => finite(p[key]))
      .x((p) => x(p.epoch))
      .y((p) => y(p[key]!))(points as LossPoint[]) ?? '';
  let best: LossPoint | null = null;
  if (bestEpoch !== undefined && bestEpoch !== null) best = points.find((p) => p.epoch === bestEpoch) ?? null;
  else for (const p of points) if (finite(p.val) && (!best || p.val < best.val!)) best = p;
  return { train: mk('train'), val: mk('val'), yDomain: [lo, hi], xMax, bestX: best ? x(best.epoch) : null };
}
