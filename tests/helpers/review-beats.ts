// Beats under review for the renderer's unit tests: an analysis's beats at given positions, every
// one called N (P(N) 0.95) unless the test says otherwise, with no reference and no edits yet.
import { ReviewBeats } from '../../src/renderer/src/lib/beats';
import type { SummaryEpisode } from '../../src/renderer/src/lib/review-summary';
import { ReviewModel, type ReviewState } from '../../src/renderer/src/lib/review-model';
import type { Analysis, Episode } from '../../src/shared/analysis';
import type { RecordInfo } from '../../src/shared/contract';

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

/** A review of an analysis as the app opens one (its beats, `baseEpisodes`, nothing decided yet): the model and the state it acts on. */
export function reviewOfAnalysis(a: Analysis, name: string, baseEpisodes: Episode[]): { model: ReviewModel; state: ReviewState; beats: ReviewBeats } {
  const state: ReviewState = {
    info: { fs: a.fs, nFrames: Math.round(a.durationSec * a.fs), path: `/r/${name}`, name } as RecordInfo,
    analysis: a,
    beats: null,
    version: 0,
    labelVersion: 0,
    threshold: a.threshold,
    queueOrder: 'time',
    current: -1,
    selection: new Set(),
    pending: null,
    baseEpisodes,
    episodeEdits: new Map(),
    reviewer: 'ana',
    autoAdvance: false,
    error: null,
    notice: null,
  };
  const model = new ReviewModel(state, { save: async () => undefined, saveCursor: () => undefined }, () => '2026-12-04T00:00:00Z');
  model.setBeats({ origin: 'analysis', sample: a.beats.sample, probs: a.beats.probs, pvcScore: a.beats.pvcScore, baseLabel: a.beats.label }, null, []);
  return { model, state, beats: state.beats! };
}
