// The review summary leaves unreadable signal (a noise episode the reviewer kept) out of its pauses and heart rate.
import { describe, expect, it } from 'vitest';
import type { BeatEdit } from '../../src/renderer/src/lib/beats';
import { reviewSummary, type SummaryEpisode } from '../../src/renderer/src/lib/review-summary';
import { decidedEpisode, evenBeats, reviewBeatsAt } from '../helpers/review-beats';

const FS = 100;
const beats = (n: number) => reviewBeatsAt(evenBeats(n, 50, 80));
const del = (sample: number): BeatEdit => ({ sample, label: 'X', status: 'deleted', who: 't', when: '2026-01-01T00:00:00Z' });

describe('review summary over unreadable signal', () => {
  it('a gap inside a noise episode is no pause unless the reviewer rejected the noise', () => {
    const b = beats(5);
    b.setEdit(130, del(130));
    b.rebuild();
    const noise = (status: SummaryEpisode['status']) => decidedEpisode('NOISE', 60, 200, status);
    const opts = { fs: FS, durationSec: 60 };
    expect(reviewSummary(b, 0.5, [], opts).longestPauseSec).toBeCloseTo(1.6);
    expect(reviewSummary(b, 0.5, [noise('unreviewed')], opts).longestPauseSec).toBeCloseTo(0.8);
    expect(reviewSummary(b, 0.5, [noise('rejected')], opts).longestPauseSec).toBeCloseTo(1.6);
  });

  it('a gap the analysis marks as a pause counts over noise (asystole read as noise by the rhythm model); one inside VT/VF does not', () => {
    const b = beats(5);
    b.setEdit(130, del(130));
    b.rebuild();
    const opts = { fs: FS, durationSec: 60 };
    const noise = decidedEpisode('NOISE', 60, 200, 'unreviewed');
    const pause = decidedEpisode('PAUSE', 50, 210, 'unreviewed');
    const withPause = reviewSummary(b, 0.5, [noise, pause], opts);
    expect(withPause.longestPauseSec).toBeCloseTo(1.6);
    expect(reviewSummary(b, 0.5, [decidedEpisode('VT', 60, 200, 'confirmed')], opts).longestPauseSec).toBeCloseTo(0.8);
  });

  it('the rhythm model’s noise alone hides no pause (as the analysis reads it); a reviewer-added noise episode does', () => {
    const b = beats(5);
    b.setEdit(130, del(130));
    b.rebuild();
    const opts = { fs: FS, durationSec: 60 };
    const model = decidedEpisode('NOISE', 60, 200, 'unreviewed');
    model.base = { ...model.base!, source: 'model' };
    expect(reviewSummary(b, 0.5, [model], opts).longestPauseSec).toBeCloseTo(1.6);
    expect(reviewSummary(b, 0.5, [{ ...model, status: 'added', base: null }], opts).longestPauseSec).toBeCloseTo(0.8);
  });

  it('heart rate and its trend leave out intervals over unreadable signal', () => {
    // 2 minutes at 75 bpm (0.8 s), then a minute of noise read as beats every 0.3 s (200 bpm)
    const sample = Int32Array.from([...Array.from({ length: 150 }, (_, i) => 50 + i * 80), ...Array.from({ length: 190 }, (_, i) => 12_100 + i * 30)]);
    const b = reviewBeatsAt(sample);
    const noise = (status: SummaryEpisode['status']) => decidedEpisode('NOISE', 12_000, 18_000, status);
    const opts = { fs: FS, durationSec: 180 };
    const kept = reviewSummary(b, 0.5, [noise('unreviewed')], opts);
    expect(kept.hr.max).toBeCloseTo(75, 0);
    expect(kept.hr.mean).toBeCloseTo(75, 0);
    expect(kept.trend.count[2]).toBe(0);
    const rejected = reviewSummary(b, 0.5, [noise('rejected')], opts);
    expect(rejected.hr.max).toBeGreaterThan(190);
  });
});

describe('ectopy in unreadable time', () => {
  it('a V beat inside a kept noise episode counts for no ectopy figure (the model’s count neither); rejected, it counts', () => {
    // 100 beats 0.8 s apart, V at beats 10 (outside) and 50, 51 (a couplet inside the noise over [40 s, 44 s))
    const n = 100;
    const probs = Float32Array.from({ length: n * 5 }, (_, j) => (j % 5 === ([10, 50, 51].includes(Math.floor(j / 5)) ? 2 : 0) ? 0.95 : 0));
    const b = reviewBeatsAt(evenBeats(n, 50, 80), probs);
    const noise = (status: SummaryEpisode['status']) => decidedEpisode('NOISE', 4000, 4400, status);
    // a record of 400 s (396 s readable: a rate per hour) whose beats end at 80 s
    const opts = { fs: FS, durationSec: 400 };
    const kept = reviewSummary(b, 0.5, [noise('confirmed')], opts);
    expect(kept.v).toMatchObject({ count: 1, model: 1, couplets: 0, provenance: { reviewed: 0, of: 1 } });
    expect(kept.v.burden).toBeCloseTo(1 / 95, 12); // beats 50..54 lie in [4000, 4400)
    expect(kept.v.perHour).toBeCloseTo(1 / (396 / 3600), 9);
    expect(kept.beats).toBe(100);
    const rejected = reviewSummary(b, 0.5, [noise('rejected')], opts);
    expect(rejected.v).toMatchObject({ count: 3, model: 3, couplets: 1 });
    expect(rejected.v.burden).toBeCloseTo(3 / 100, 12);
  });
});

describe('unreadable time in the review summary', () => {
  it('is the union of the noise episodes the reviewer kept, with its share of the record', () => {
    const b = beats(5);
    const opts = { fs: FS, durationSec: 600 };
    const eps = [
      decidedEpisode('NOISE', 1000, 4000, 'unreviewed'),
      decidedEpisode('NOISE', 3000, 7000, 'confirmed'),
      decidedEpisode('NOISE', 20_000, 26_000, 'rejected'),
    ];
    const u = reviewSummary(b, 0.5, eps, opts).unreadable;
    expect(u.sec).toBeCloseTo(60);
    expect(u.share).toBeCloseTo(0.1);
    expect(reviewSummary(b, 0.5, [], opts).unreadable).toEqual({ sec: 0, share: 0 });
  });
});
