// Episodes under review after a scan-setting change: a decision on a rule pause the new pause limit
// no longer finds is kept but not listed; the reviewer's own episodes always are; a run cut again
// (its first beat moved by a new threshold, or a re-analysis) keeps the decision made on it, and a
// piece of the rhythm model's noise the decision made on the whole episode before it was clipped.
import { describe, expect, it } from 'vitest';
import type { Episode } from '../../src/shared/analysis';
import type { EpisodeEdit } from '../../src/renderer/src/lib/history';
import { episodeKey, mergeEpisodes } from '../../src/renderer/src/lib/episodes';
import { reviewSummary } from '../../src/renderer/src/lib/review-summary';
import { clipModelNoise } from '../../src/main/quality';
import { reviewBeatsAt } from '../helpers/review-beats';
import { importedChanges } from '../../src/renderer/src/lib/review-export';
import { csvToReview, reviewToCsv } from '../../src/main/export/csv';
import { REVIEW_FORMAT, type ReviewExport } from '../../src/shared/review';

const pause = (onsetSample: number): Episode => ({
  type: 'PAUSE',
  onsetSample,
  offsetSample: onsetSample + 250,
  confidence: 0.9,
  explanation: 'RR',
  source: 'rules',
});
const decide = (e: Pick<Episode, 'source' | 'type' | 'onsetSample'> & { offsetSample: number }, status: EpisodeEdit['status']): EpisodeEdit => ({
  key: episodeKey(e),
  type: e.type,
  onsetSample: e.onsetSample,
  offsetSample: e.offsetSample,
  confidence: 1,
  explanation: 'x',
  status,
  reviewer: 't',
  reviewedAt: '2026-01-01T00:00:00Z',
});

describe('episodes under review', () => {
  it('a decided pause leaves the list when the pause limit drops it and comes back with it', () => {
    const p1 = pause(1000);
    const p2 = pause(5000);
    const added = decide({ source: 'reviewer', type: 'AF', onsetSample: 3000, offsetSample: 4000 }, 'added');
    const edits = new Map([
      [episodeKey(p1), decide(p1, 'confirmed')],
      [added.key, added],
    ]);
    expect(mergeEpisodes([p1, p2], edits).map((e) => [e.type, e.onsetSample, e.status])).toEqual([
      ['PAUSE', 1000, 'confirmed'],
      ['AF', 3000, 'added'],
      ['PAUSE', 5000, 'unreviewed'],
    ]);
    // a higher limit: only the 5000 pause is found
    expect(mergeEpisodes([p2], edits).map((e) => [e.type, e.onsetSample])).toEqual([
      ['AF', 3000],
      ['PAUSE', 5000],
    ]);
    expect(mergeEpisodes([p1, p2], edits)[0]!.status).toBe('confirmed');
  });

  it('a VT run cut again from an earlier beat (a lower threshold) keeps the decision on it, shown once with its new extent', () => {
    const vt = (onsetSample: number, offsetSample: number, source: Episode['source'] = 'rules'): Episode => ({
      type: 'VT',
      onsetSample,
      offsetSample,
      confidence: 0.8,
      explanation: '3 consecutive ventricular beats',
      source,
    });
    const before = vt(3000, 3600);
    const rejected = decide(before, 'rejected');
    const edits = new Map([[rejected.key, rejected]]);
    const now = mergeEpisodes([vt(2700, 3600)], edits);
    expect(now.map((e) => [e.key, e.onsetSample, e.offsetSample, e.status])).toEqual([[rejected.key, 2700, 3600, 'rejected']]);
    // too little in common (under half of their union): another run, unreviewed; the old decision is not listed
    expect(mergeEpisodes([vt(3500, 4500)], edits).map((e) => [e.onsetSample, e.status])).toEqual([[3500, 'unreviewed']]);
    // a model episode's decision that matches nothing is still listed (only rule episodes come and go with the settings)
    const m = decide(vt(9000, 12600, 'model'), 'confirmed');
    expect(mergeEpisodes([], new Map([[m.key, m]])).map((e) => [e.onsetSample, e.status, e.base])).toEqual([[9000, 'confirmed', null]]);
    // a run the reviewer resized keeps the extent they gave it
    const resized = { ...decide(before, 'resized'), onsetSample: 2900, offsetSample: 3700 };
    expect(mergeEpisodes([vt(2700, 3600)], new Map([[resized.key, resized]])).map((e) => [e.onsetSample, e.offsetSample, e.status])).toEqual([
      [2900, 3700, 'resized'],
    ]);
    // of two decisions on runs it overlaps, the closer one
    const near = decide(vt(2650, 3600), 'confirmed');
    expect(
      mergeEpisodes(
        [vt(2700, 3600)],
        new Map([
          [rejected.key, rejected],
          [near.key, near],
        ])
      )[0]!.status
    ).toBe('confirmed');
  });
});

describe('a rhythm-model VT episode widened to its run of V beats', () => {
  const part = (onsetSample: number, offsetSample: number) => ({ onsetSample, offsetSample, confidence: 0.8, explanation: 'rhythm model: VT' });
  const model = (onsetSample: number, offsetSample: number): Episode => ({ type: 'VT', ...part(onsetSample, offsetSample), source: 'model' });
  // at one threshold the model's 140-160 s, at another widened to the run from 100 s (and joined with 170-180 s)
  const own = model(35_000, 40_000);
  const widened: Episode = { ...model(25_000, 45_000), model: [part(35_000, 40_000), part(42_500, 45_000)] };

  it('keeps a decision across thresholds: keyed by the model’s own onset, shown at the current extent', () => {
    expect(episodeKey(widened)).toBe(episodeKey(own));
    const rejected = new Map([[episodeKey(widened), decide(widened, 'rejected')]]);
    expect(mergeEpisodes([own], rejected).map((e) => [e.onsetSample, e.offsetSample, e.status])).toEqual([[35_000, 40_000, 'rejected']]);
    const confirmed = new Map([[episodeKey(own), decide(own, 'confirmed')]]);
    expect(mergeEpisodes([widened], confirmed).map((e) => [e.onsetSample, e.offsetSample, e.status])).toEqual([[25_000, 45_000, 'confirmed']]);
  });

  it('a decision on a model episode since joined into another is the joined one’s, not shown apart', () => {
    const second = model(42_500, 45_000);
    const edits = new Map([[episodeKey(second), decide(second, 'rejected')]]);
    expect(mergeEpisodes([widened], edits).map((e) => [e.onsetSample, e.status])).toEqual([[25_000, 'rejected']]);
  });
});

describe("a review saved before the rhythm model's noise was clipped to the signal quality's stretches", () => {
  const FS = 250;
  const noise = (source: Episode['source'], a: number, b: number): Episode => ({
    type: 'NOISE',
    onsetSample: a * FS,
    offsetSample: b * FS,
    confidence: 0.7,
    explanation: `${source} noise`,
    source,
  });
  // the model's 10-30 s over two quality stretches: pieces 15-20 and 22-30 (10-11 under 2 s, dropped)
  const rules = [noise('rules', 11, 15), noise('rules', 20, 22)];
  const model = noise('model', 10, 30);
  const before = [model, ...rules];
  const after = [...clipModelNoise([model], rules, FS), ...rules];
  const beats = reviewBeatsAt(Int32Array.from({ length: 40 }, (_, i) => i * FS));
  const unreadable = (eps: ReturnType<typeof mergeEpisodes>) => reviewSummary(beats, 0.5, eps, { fs: FS, durationSec: 40 }).unreadable.sec;

  it('the pieces take the rejection of the episode they were cut from: no piece back unreviewed, no ghost of the old one, the same unreadable time', () => {
    expect(after.filter((e) => e.source === 'model').map((e) => [e.onsetSample / FS, e.offsetSample / FS])).toEqual([
      [15, 20],
      [22, 30],
    ]);
    const edits = new Map([[episodeKey(model), decide(model, 'rejected')]]);
    const now = mergeEpisodes(after, edits);
    expect(now.filter((e) => e.base?.source === 'model' || e.base === null).map((e) => [e.onsetSample / FS, e.status, e.base?.source])).toEqual([
      [15, 'rejected', 'model'],
      [22, 'rejected', 'model'],
    ]);
    expect(new Set(now.map((e) => e.key)).size).toBe(now.length);
    expect(unreadable(now)).toBe(unreadable(mergeEpisodes(before, edits)));
    expect(unreadable(now)).toBe(6);
    // a later decision on a piece is its own
    const piece = after.find((e) => e.onsetSample === 22 * FS)!;
    const later = new Map([...edits, [episodeKey(piece), decide(piece, 'confirmed')]]);
    const statuses = mergeEpisodes(after, later).filter((e) => e.base?.source === 'model');
    expect(statuses.map((e) => e.status)).toEqual(['rejected', 'confirmed']);
  });

  it('imported from an export made before the clipping (its JSON, or its CSV with the source column), the rejection goes to the pieces, not to the quality stretch starting within a second of it', () => {
    const file: ReviewExport = {
      format: REVIEW_FORMAT,
      version: 1,
      record: { name: 't', hash: 'h', fs: FS },
      threshold: 0.5,
      exportedAt: 'T',
      reviewer: 'ana',
      beats: [],
      episodes: [{ ...model, status: 'rejected', reviewer: 'ana', reviewedAt: 'T' }],
    };
    for (const f of [file, csvToReview(reviewToCsv(file), 'old.csv')]) {
      const to = {
        beats,
        threshold: 0.5,
        fs: FS,
        nFrames: 40 * FS,
        episodes: mergeEpisodes(after, new Map()),
        episodeEdits: new Map(),
        reviewer: 'ben',
        now: 'T',
      };
      const changes = importedChanges(f, { ...to, episodeSource: 'model' });
      const edits = new Map(changes.flatMap((c) => (c.kind === 'episode' && c.after ? [[c.key, c.after] as const] : [])));
      expect(mergeEpisodes(after, edits).map((e) => [e.onsetSample / FS, e.base?.source, e.status])).toEqual([
        [11, 'rules', 'unreviewed'],
        [15, 'model', 'rejected'],
        [20, 'rules', 'unreviewed'],
        [22, 'model', 'rejected'],
      ]);
    }
  });

  it('a confirmation too; a resized decision keeps its own extent, listed apart as before; the quality’s stretches and other noise take nothing', () => {
    const confirmed = mergeEpisodes(after, new Map([[episodeKey(model), decide(model, 'confirmed')]]));
    expect(confirmed.map((e) => [e.onsetSample / FS, e.status])).toEqual([
      [11, 'unreviewed'],
      [15, 'confirmed'],
      [20, 'unreviewed'],
      [22, 'confirmed'],
    ]);
    const resized = { ...decide(model, 'resized'), onsetSample: 8 * FS, offsetSample: 31 * FS };
    expect(mergeEpisodes(after, new Map([[resized.key, resized]])).map((e) => [e.onsetSample / FS, e.status])).toEqual([
      [8, 'resized'],
      [11, 'unreviewed'],
      [15, 'unreviewed'],
      [20, 'unreviewed'],
      [22, 'unreviewed'],
    ]);
    // model noise elsewhere, outside the decided extent, is not decided
    const later = noise('model', 32, 38);
    expect(mergeEpisodes([...after, later], new Map([[episodeKey(model), decide(model, 'rejected')]])).at(-1)).toMatchObject({ status: 'unreviewed' });
  });
});
