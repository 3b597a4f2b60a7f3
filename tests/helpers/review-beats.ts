// Beats under review for the renderer's unit tests: an analysis's beats at given positions, every
// one called N (P(N) 0.95) unless the test says otherwise, with no reference and no edits yet.
import { ReviewBeats } from '../../src/renderer/src/lib/beats';
import type { SummaryEpisode } from '../../src/renderer/src/lib/review-summary';

/** Review beats at `sample` (frames); `probs` (n × 5) defaults to every beat N at 0.95. */
export function reviewBeatsAt(sample: Int32Array, probs?: Float32Array): ReviewBeats {
  const n = sample.length;
  const p = probs ?? Float32Array.from({ length: n * 5 }, (_, j) => (j % 5 === 0 ? 0.95 : 0));
  const pvcScore = Float32Array.from({ length: n }, (_, i) => p[i * 5 + 2]!);
  return new ReviewBeats({ origin: 'analysis', sample, probs: p, pvcScore, baseLabel: new Uint8Array(n) }, null, 15);
}

/** `n` beats `rrFrames` apart from `first`. */
export function evenBeats(n: number, first: number, rrFrames: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => first + i * rrFrames);
}

/** An episode as the analysis found it, with the reviewer's decision `status` and its bounds unchanged. */
export function decidedEpisode(type: SummaryEpisode['type'], onsetSample: number, offsetSample: number, status: SummaryEpisode['status']): SummaryEpisode {
  return { type, onsetSample, offsetSample, status, base: { onsetSample, offsetSample } };
}
