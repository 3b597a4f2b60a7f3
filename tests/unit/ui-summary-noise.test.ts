// The review summary leaves unreadable signal (a noise episode the reviewer kept) out of its pauses.
import { describe, expect, it } from 'vitest';
import { ReviewBeats, type BeatEdit } from '../../src/renderer/src/lib/beats';
import { reviewSummary, type SummaryEpisode } from '../../src/renderer/src/lib/review-summary';

const FS = 100;
const beats = (n: number) => new ReviewBeats({ origin: 'analysis', sample: Int32Array.from({ length: n }, (_, i) => 50 + i * 80), probs: Float32Array.from({ length: n * 5 }, (_, j) => (j % 5 === 0 ? 0.95 : 0)), pvcScore: new Float32Array(n), baseLabel: new Uint8Array(n) }, null, 15);
const del = (sample: number): BeatEdit => ({ sample, label: 'X', status: 'deleted', who: 't', when: '2026-01-01T00:00:00Z' });

describe('review summary over unreadable signal', () => {
  it('a gap inside a noise episode is no pause unless the reviewer rejected the noise', () => {
    const b = beats(5);
    b.setEdit(130, del(130));
    b.rebuild();
    const noise = (status: SummaryEpisode['status']): SummaryEpisode => ({ type: 'NOISE', onsetSample: 60, offsetSample: 200, status, base: { onsetSample: 60, offsetSample: 200 } });
    const opts = { fs: FS, durationSec: 60 };
    expect(reviewSummary(b, 0.5, [], opts).longestPauseSec).toBeCloseTo(1.6);
    expect(reviewSummary(b, 0.5, [noise('unreviewed')], opts).longestPauseSec).toBeCloseTo(0.8);
    expect(reviewSummary(b, 0.5, [noise('rejected')], opts).longestPauseSec).toBeCloseTo(1.6);
  });
});
