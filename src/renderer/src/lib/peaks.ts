// Snapping a reviewer's "add a beat here" to the R peak: the sample with the largest deviation
// from the local median within ±radius frames, in a raw (bucket 1) run.
import type { Run } from './columns';

export function snapToPeak(run: Run | null, sample: number, radius: number): number {
  if (!run || run.bucket !== 1) return sample;
  const a = Math.max(0, sample - radius - run.from);
  const b = Math.min(run.min.length, sample + radius + 1 - run.from);
  if (b - a < 3) return sample;
  const vals = Array.from(run.min.subarray(a, b))
    .filter((v) => !Number.isNaN(v))
    .sort((x, y) => x - y);
  if (!vals.length) return sample;
  const med = vals[vals.length >> 1]!;
  let best = sample;
  let bestD = -1;
  for (let p = a; p < b; p++) {
    const d = Math.abs(run.min[p]! - med);
    if (d > bestD) {
      bestD = d;
      best = run.from + p;
    }
  }
  return best;
}
