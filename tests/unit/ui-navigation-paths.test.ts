// What keeps a navigation key's frame small on a 24-hour Holter: the signal where J and K go next
// fetched ahead and kept (the key's frame draws it without a fetch), peek() naming where J and K
// go without moving, and the queue and episode views kept across a confirmation (nothing that
// draws them redraws).
import { describe, expect, it } from 'vitest';
import type { RecordInfo } from '../../src/shared/contract';
import type { Episode } from '../../src/shared/analysis';
import type { SignalWindow } from '../../src/shared/review';
import type { BaseBeats } from '../../src/renderer/src/lib/beats';
import { ReviewModel, type ReviewState } from '../../src/renderer/src/lib/review-model';
import { WindowCache } from '../../src/renderer/src/lib/signal-cache';

const N_FRAMES = 100_000;

/** A fake record:window: every request logged, each answered when the test resolves it. */
function fakeFetch() {
  const calls: { from: number; to: number; maxPoints: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const fetchWindow = (from: number, to: number, maxPoints: number) =>
    new Promise<SignalWindow>((res, rej) => {
      const bucket = Math.max(1, Math.ceil((to - from) / maxPoints));
      const n = Math.ceil((to - from) / bucket);
      calls.push({ from, to, maxPoints, resolve: () => res({ from, to, bucket, min: [new Float32Array(n)], max: [new Float32Array(n)] }), reject: rej });
    });
  return { calls, fetchWindow };
}

function cache() {
  const f = fakeFetch();
  const events: string[] = [];
  const c = new WindowCache(
    f.fetchWindow,
    N_FRAMES,
    () => events.push('data'),
    (e) => events.push(`error ${e.message}`)
  );
  return { c, calls: f.calls, events };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('signal windows fetched ahead', () => {
  it("a window fetched ahead is drawn at once when the view gets there, with no fetch of the view's own", async () => {
    const { c, calls, events } = cache();
    c.ensure(1000, 2000, 1);
    expect(calls).toHaveLength(1);
    calls[0]!.resolve();
    await settle();
    expect(events).toEqual(['data']);
    expect(c.data).toMatchObject({ from: 0, to: 3000 });

    c.prefetch(50_000, 51_000, 1);
    c.prefetch(50_000, 51_000, 1); // already on its way: not fetched twice
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    await settle();
    expect(events).toEqual(['data']); // not shown: the view is elsewhere
    expect(c.data).toMatchObject({ from: 0 });

    c.ensure(50_000, 51_000, 1);
    expect(calls).toHaveLength(2);
    expect(c.data).toMatchObject({ from: 49_000, to: 52_000 });
    // and back: the window shown before is kept
    c.ensure(1000, 2000, 1);
    expect(calls).toHaveLength(2);
    expect(c.data).toMatchObject({ from: 0, to: 3000 });
  });

  it('a view that arrives before its window waits for the fetch already on its way, and draws when it lands', async () => {
    const { c, calls, events } = cache();
    c.prefetch(50_000, 51_000, 1);
    c.ensure(50_000, 51_000, 1);
    expect(calls).toHaveLength(1);
    expect(c.data).toBeNull();
    calls[0]!.resolve();
    await settle();
    expect(events).toEqual(['data']);
    expect(c.data).toMatchObject({ from: 49_000, to: 52_000 });
  });

  it('a window at another scale does not stand in for the view', () => {
    const { c, calls } = cache();
    c.prefetch(50_000, 51_000, 1);
    c.ensure(50_000, 60_000, 10);
    expect(calls).toHaveLength(2);
  });

  it("a failed fetch ahead stays quiet; the view's own failure is reported", async () => {
    const { c, calls, events } = cache();
    c.prefetch(50_000, 51_000, 1);
    calls[0]!.reject(new Error('gone'));
    await settle();
    expect(events).toEqual([]);
    c.ensure(50_000, 51_000, 1);
    expect(calls).toHaveLength(2);
    calls[1]!.reject(new Error('gone'));
    await settle();
    expect(events).toEqual(['error gone']);
  });

  it('fetches only a few ahead at once and keeps the last few windows', async () => {
    const { c, calls } = cache();
    for (let k = 0; k < 5; k++) c.prefetch(10_000 * (k + 1), 10_000 * (k + 1) + 1000, 1);
    expect(calls).toHaveLength(3);
    for (const call of calls) call.resolve();
    await settle();
    for (let k = 3; k < 8; k++) {
      c.prefetch(10_000 * (k + 1), 10_000 * (k + 1) + 1000, 1);
      calls.at(-1)!.resolve();
      await settle();
    }
    expect(calls).toHaveLength(8);
    // the last six are here; the oldest two were let go
    c.ensure(30_000, 31_000, 1);
    expect(calls).toHaveLength(8);
    c.ensure(10_000, 11_000, 1);
    expect(calls).toHaveLength(9);
  });

  it('asks only for frames of the record: a view left in the margin of a longer record, or past a short one, asks for nothing', async () => {
    const { c, calls, events } = cache();
    // the view of a long record's end (frames past this record's end), then one straddling its end
    c.ensure(N_FRAMES + 5000, N_FRAMES + 8000, 1);
    c.ensure(-9000, -6000, 1);
    expect(calls).toEqual([]);
    c.ensure(N_FRAMES - 1000, N_FRAMES + 2000, 1);
    expect(calls.map((f) => [f.from, f.to])).toEqual([[N_FRAMES - 4000, N_FRAMES]]);
    calls[0]!.resolve();
    await settle();
    expect(events).toEqual(['data']);
  });
});

// ---- the review model: peek() and the views kept across a confirmation ----
const FS = 360;
const RR = 288;
const N = 20;
const SCORES: Record<number, number> = { 3: 0.9, 7: 0.55, 12: 0.7, 15: 0.95 };
const AF: Episode = { type: 'AF', onsetSample: 1000, offsetSample: 4000, confidence: 0.8, explanation: 'irregular', source: 'model' };

function model() {
  const sample = Int32Array.from({ length: N }, (_, i) => 100 + i * RR);
  const pvcScore = Float32Array.from({ length: N }, (_, i) => SCORES[i] ?? 0.02);
  const probs = new Float32Array(N * 5);
  for (let i = 0; i < N; i++) {
    probs[i * 5] = 1 - pvcScore[i]!;
    probs[i * 5 + 2] = pvcScore[i]!;
  }
  const src: BaseBeats = { origin: 'analysis', sample, probs, pvcScore, baseLabel: new Uint8Array(N) };
  const state: ReviewState = {
    info: { fs: FS, nFrames: 100 + N * RR, path: '/r/x', name: 'x' } as RecordInfo,
    analysis: null,
    beats: null,
    version: 0,
    labelVersion: 0,
    threshold: 0.5,
    queueOrder: 'time',
    current: -1,
    selection: new Set(),
    pending: null,
    baseEpisodes: [AF],
    episodeEdits: new Map(),
    reviewer: 'ana',
    autoAdvance: false,
    error: null,
    notice: null,
  };
  const m = new ReviewModel(state, { save: async () => undefined, saveCursor: () => undefined }, () => '2026-12-05T00:00:00Z');
  m.setBeats(src, null, []);
  return { state, m, at: (i: number) => 100 + i * RR };
}

describe('peek: where J and K go, without going', () => {
  it('names the beat next() goes to, in either order and after an order switch, and -1 past the ends', () => {
    const { state, m, at } = model();
    const walk = (step: number) => {
      const want = m.peek(step);
      const before = state.current;
      m.next(step);
      expect(state.current).toBe(want < 0 ? before : want);
    };
    expect(m.peek(1)).toBe(at(3));
    walk(1);
    expect(m.peek(2)).toBe(at(12));
    walk(1);
    expect(m.peek(-1)).toBe(at(3));
    walk(-1);
    m.setQueueOrder('uncertainty');
    expect(m.peek(1)).toBe(at(7)); // the new order's start, not the cursor's place in it
    walk(1);
    walk(1);
    walk(1);
    walk(1);
    expect(m.peek(1)).toBe(-1);
    walk(1);
  });
});

describe('views kept across a confirmation', () => {
  it('the queue and the episodes stay the same objects when a beat is confirmed or relabelled, and change when a beat is added or an episode decided', async () => {
    const { state, m, at } = model();
    m.next();
    const q = m.queue();
    const eps = m.episodes();
    const edits = state.episodeEdits;
    await m.confirm();
    await m.relabel('N');
    expect(m.queue()).toBe(q);
    expect(m.episodes()).toBe(eps);
    expect(state.episodeEdits).toBe(edits);
    await m.addBeat(at(5) + 144, 'N');
    expect(m.queue()).not.toBe(q);
    expect([...m.queue()]).toEqual([3, 8, 13, 16]); // the added beat moved the later indices
    await m.decideEpisode(eps[0]!.key, 'rejected');
    expect(m.episodes()).not.toBe(eps);
    expect(m.episodes()[0]).toMatchObject({ status: 'rejected' });
  });
});

describe('label codes kept across a confirmation', () => {
  it('a confirmation or its undo keeps the label codes (the same array, still right); a relabel replaces them; statuses follow every edit', () => {
    const { state, m } = model();
    const b = state.beats!;
    const codes = b.labelCodes(0.5);
    const fresh = () => {
      const copy = model().state.beats!;
      for (const [sample, e] of b.edits) copy.setEdit(sample, e);
      return Array.from(copy.labelCodes(0.5));
    };
    const at3 = b.sample[3]!;
    const edit = (label: 'V' | 'N', status: 'confirmed' | 'relabelled') => ({ sample: at3, label, status, who: 'ana', when: 'now' }) as const;
    b.setEdit(at3, edit('V', 'confirmed'));
    expect(b.labelCodes(0.5)).toBe(codes);
    expect(Array.from(codes)).toEqual(fresh());
    expect(b.statusCodes()[3]).not.toBe(0);
    b.setEdit(at3, undefined);
    expect(b.labelCodes(0.5)).toBe(codes);
    expect(b.statusCodes()[3]).toBe(0);
    b.setEdit(at3, edit('N', 'relabelled'));
    expect(b.labelCodes(0.5)).not.toBe(codes);
    expect(Array.from(b.labelCodes(0.5))).toEqual(fresh());
    void m;
  });
});
