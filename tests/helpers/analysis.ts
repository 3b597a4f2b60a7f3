// Analyses for unit tests: beats at given intervals, each called N, S or V, labelled at 0.5 by the
// app's own applyThreshold (so the summary, episodes and labels are the analysis's).
import type { Analysis, Episode } from '../../src/shared/analysis';
import { applyThreshold } from '../../src/main/analysis/apply-threshold';
import { emptySummary } from '../../src/main/analysis/assemble';

const CLASS_INDEX: Record<string, number> = { N: 0, S: 1, V: 2 };

/**
 * An analysis at `fs` over beats `gapsSec` apart from frame `first`, each called as in `calls`
 * (N, S or V; N past its end, P 0.95), with `episodes`, lasting a second past its last beat.
 */
export function analysisOfGaps(gapsSec: readonly number[], calls: string, episodes: Episode[], o: { fs: number; first?: number }): Analysis {
  const { fs } = o;
  const n = gapsSec.length + 1;
  const sample = new Int32Array(n);
  sample[0] = o.first ?? 0;
  for (let k = 1; k < n; k++) sample[k] = sample[k - 1]! + Math.round(gapsSec[k - 1]! * fs);
  const probs = new Float32Array(n * 5);
  for (let i = 0; i < n; i++) probs[i * 5 + CLASS_INDEX[calls[i] ?? 'N']!] = 0.95;
  const a: Analysis = {
    record: 't',
    recordHash: 'h',
    fs,
    durationSec: sample[n - 1]! / fs + 1,
    threshold: 0.5,
    beats: {
      sample,
      probs,
      pvcScore: Float32Array.from({ length: n }, (_, i) => probs[i * 5 + 2]!),
      label: new Uint8Array(n),
      rrMs: new Float32Array(n),
      source: 'reference',
    },
    episodes,
    summary: emptySummary(0),
    models: [],
    timingsMs: {},
  };
  return applyThreshold(a, 0.5);
}
