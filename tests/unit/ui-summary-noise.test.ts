// The review summary leaves unreadable signal (a noise episode the reviewer kept) out of its pauses and heart rate.
import { describe, expect, it } from 'vitest';
import { ReviewBeats, type BeatEdit } from '../../src/renderer/src/lib/beats';
import { reviewSummary, type SummaryEpisode } from '../../src/renderer/src/lib/review-summary';

const FS = 100;
const beats = (n: number) =>
  new ReviewBeats(
    {
      origin: 'analysis',
      sample: Int32Array.from({ length: n }, (_, i) => 50 + i * 80),
      probs: Float32Array.from({ length: n * 5 }, (_, j) => (j % 5 === 0 ? 0.95 : 0)),
      pvcScore: new Float32Array(n),
      baseLabel: new Uint8Array(n),
    },
    null,
    15
  );
const del = (sample: number): BeatEdit => ({ sample, label: 'X', status: 'deleted', who: 't', when: '2026-01-01T00:00:00Z' });

describe('review summary over unreadable signal', () => {
  it('a gap inside a noise episode is no pause unless the reviewer rejected the noise', () => {
    const b = beats(5);
    b.setEdit(130, del(130));
    b.rebuild();
    const noise = (status: SummaryEpisode['status']): SummaryEpisode => ({
      type: 'NOISE',
      onsetSample: 60,
      offsetSample: 200,
      status,
      base: { onsetSample: 60, offsetSample: 200 },
    });
    const opts = { fs: FS, durationSec: 60 };
    expect(reviewSummary(b, 0.5, [], opts).longestPauseSec).toBeCloseTo(1.6);
    expect(reviewSummary(b, 0.5, [noise('unreviewed')], opts).longestPauseSec).toBeCloseTo(0.8);
    expect(reviewSummary(b, 0.5, [noise('rejected')], opts).longestPauseSec).toBeCloseTo(1.6);
  });

  it('heart rate and its trend leave out intervals over unreadable signal', () => {
    // 2 minutes at 75 bpm (0.8 s), then a minute of noise read as beats every 0.3 s (200 bpm)
    const sample = Int32Array.from([...Array.from({ length: 150 }, (_, i) => 50 + i * 80), ...Array.from({ length: 190 }, (_, i) => 12_100 + i * 30)]);
    const b = new ReviewBeats(
      {
        origin: 'analysis',
        sample,
        probs: Float32Array.from({ length: sample.length * 5 }, (_, j) => (j % 5 === 0 ? 0.95 : 0)),
        pvcScore: new Float32Array(sample.length),
        baseLabel: new Uint8Array(sample.length),
      },
      null,
      15
    );
    const noise = (status: SummaryEpisode['status']): SummaryEpisode => ({
      type: 'NOISE',
      onsetSample: 12_000,
      offsetSample: 18_000,
      status,
      base: { onsetSample: 12_000, offsetSample: 18_000 },
    });
    const opts = { fs: FS, durationSec: 180 };
    const kept = reviewSummary(b, 0.5, [noise('unreviewed')], opts);
    expect(kept.hr.max).toBeCloseTo(75, 0);
    expect(kept.hr.mean).toBeCloseTo(75, 0);
    expect(kept.trend.count[2]).toBe(0);
    const rejected = reviewSummary(b, 0.5, [noise('rejected')], opts);
    expect(rejected.hr.max).toBeGreaterThan(190);
  });
});
