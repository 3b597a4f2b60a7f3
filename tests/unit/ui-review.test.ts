// The review model: beats merged with edits, the flagged queue, undo/redo, the keyboard map,
// RR / Poincaré selection and the threshold metrics built on the evaluation module.
import { describe, expect, it } from 'vitest';
import { ReviewBeats, flaggedQueue, countFlagged, type BeatEdit } from '../../src/renderer/src/lib/beats';
import { History, invert, type Command } from '../../src/renderer/src/lib/history';
import { actionFor } from '../../src/renderer/src/lib/keys';
import { rrSeries, poincareSelect } from '../../src/renderer/src/lib/rr';
import { nonVLabels, operatingPoint, referencePairs, reviewedPairs, sweep, presetThreshold, flatRecall } from '../../src/renderer/src/lib/metrics';
import { compareBeats } from '../../src/main/evaluation/bxb';
import { CLASS_CODE } from '../../src/main/evaluation/labels';
import { snapToPeak } from '../../src/renderer/src/lib/peaks';

function source(scores: number[], fs = 100) {
  const n = scores.length;
  const probs = new Float32Array(n * 5);
  scores.forEach((s, i) => {
    probs[i * 5 + 2] = s;
    probs[i * 5 + 0] = 1 - s;
  });
  return {
    origin: 'analysis' as const,
    sample: Int32Array.from({ length: n }, (_, i) => (i + 1) * fs),
    probs,
    pvcScore: Float32Array.from(scores),
    baseLabel: new Uint8Array(n),
  };
}
const edit = (sample: number, label: BeatEdit['label'], status: BeatEdit['status']): BeatEdit => ({
  sample,
  label,
  status,
  who: 't',
  when: '2026-01-01T00:00:00Z',
});

describe('beats under review', () => {
  it('labels by threshold until the reviewer decides; added beats join in time order', () => {
    const b = new ReviewBeats(source([0.1, 0.9, 0.6]), null, 15);
    expect([0, 1, 2].map((i) => b.label(i, 0.5))).toEqual(['N', 'V', 'V']);
    expect([0, 1, 2].map((i) => b.label(i, 0.7))).toEqual(['N', 'V', 'N']);
    b.setEdit(300, edit(300, 'F', 'relabelled'));
    expect(b.label(2, 0.7)).toBe('F'); // the label cache follows edits
    b.setEdit(300, undefined);
    expect(b.label(2, 0.5)).toBe('V');
    b.setEdit(200, edit(200, 'N', 'relabelled'));
    b.setEdit(250, edit(250, 'S', 'added'));
    b.rebuild();
    expect(Array.from(b.sample)).toEqual([100, 200, 250, 300]);
    expect(b.label(1, 0.5)).toBe('N');
    expect(b.label(2, 0.5)).toBe('S');
    expect(b.base[2]).toBe(-1);
    expect(b.rrMs(3, 100)).toBe(500);
  });

  it('queues flagged beats by time or by uncertainty and counts them', () => {
    const b = new ReviewBeats(source([0.55, 0.99, 0.1, 0.7]), null, 15);
    expect(Array.from(flaggedQueue(b, 0.5, 'time'))).toEqual([0, 1, 3]);
    expect(Array.from(flaggedQueue(b, 0.5, 'uncertainty'))).toEqual([0, 3, 1]);
    expect(countFlagged(b.source.pvcScore, 0.5)).toBe(3);
    expect(countFlagged(b.source.pvcScore, 0.8)).toBe(1);
  });

  it('matches reference labels within the window', () => {
    const ref = { sample: Int32Array.from([102, 290, 500]), aami: Int8Array.from([0, 2, 0]) };
    const b = new ReviewBeats(source([0.1, 0.9, 0.2]), ref, 15);
    expect(Array.from(b.ref)).toEqual([0, -1, 2]);
  });
});

describe('undo / redo', () => {
  it('undo gives the inverse changes, redo the original, a new command clears redo', () => {
    const h = new History();
    const cmd: Command = { label: 'relabel V', changes: [{ kind: 'beat', sample: 5, before: undefined, after: edit(5, 'V', 'relabelled') }] };
    h.push(cmd);
    const u = h.undo()!;
    expect(u.changes[0]).toMatchObject({ kind: 'beat', sample: 5, after: undefined });
    expect(h.redo()).toBe(cmd);
    h.undo();
    h.push({ label: 'x', changes: [{ kind: 'beat', sample: 6, after: edit(6, 'N', 'confirmed') }] });
    expect(h.canRedo).toBe(false);
    expect(invert(invert(cmd)).changes).toEqual(cmd.changes);
  });
});

describe('keyboard map', () => {
  const k = (key: string, mods: Partial<{ ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
    actionFor({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });
  it('maps the review keys', () => {
    expect(k('v')).toEqual({ type: 'label', label: 'V' });
    expect(k('X')).toEqual({ type: 'label', label: 'X' });
    expect(k('j')).toEqual({ type: 'next' });
    expect(k('z', { ctrlKey: true })).toEqual({ type: 'undo' });
    expect(k('Z', { ctrlKey: true, shiftKey: true })).toEqual({ type: 'redo' });
    expect(k('ArrowRight', { shiftKey: true })).toEqual({ type: 'beat', dir: 1, extend: true });
    expect(k('v', { ctrlKey: true })).toBeNull();
    expect(k('+')).toEqual({ type: 'zoom', dir: 1 });
    expect(k('-')).toEqual({ type: 'zoom', dir: -1 });
    expect(k('p')).toEqual({ type: 'reportStrip' });
  });
});

describe('RR and Poincaré selection', () => {
  it('selects the premature beat of a short-long pair', () => {
    // 1 s rhythm with a premature beat at 4.6 s (RR 600 then 1400).
    const s = {
      origin: 'reference' as const,
      sample: Int32Array.from([100, 200, 300, 400, 460, 600, 700]),
      probs: null,
      pvcScore: null,
      baseLabel: new Uint8Array(7),
    };
    const b = new ReviewBeats(s, null, 15);
    const rr = rrSeries(b, 100);
    expect(Array.from(rr.rr.slice(1))).toEqual([1000, 1000, 1000, 600, 1400, 1000]);
    expect(poincareSelect(rr, 500, 700, 1300, 1500)).toEqual([4]);
  });
  it('snaps an added beat to the R peak nearby', () => {
    const v = Float32Array.from({ length: 100 }, (_, i) => (i === 57 ? 2 : 0.01 * (i % 3)));
    expect(snapToPeak({ from: 1000, bucket: 1, min: v, max: v }, 1050, 10)).toBe(1057);
  });
});

describe('threshold metrics (on the evaluation module)', () => {
  const fs = 100;
  const scores = [0.05, 0.95, 0.4, 0.8, 0.3, 0.6];
  const src = source(scores, fs);
  // Reference: beats 1 and 2 are V, the rest N; one reference beat the model missed (V at 750).
  const ref = { sample: Int32Array.from([100, 200, 300, 400, 500, 600, 750]), code: Uint8Array.from([1, 5, 5, 1, 1, 1, 5]) };

  it('reproduces compareBeats at the analysis threshold', () => {
    const pairs = referencePairs(ref, src.sample, fs);
    const nonV = nonVLabels(src.probs, src.baseLabel, scores.length);
    const at = operatingPoint(pairs, src.pvcScore, nonV, 0.5);
    const test = { sample: src.sample, code: Uint8Array.from(scores, (s) => (s >= 0.5 ? CLASS_CODE.V : CLASS_CODE.N)) };
    const direct = compareBeats(ref, test, { fs });
    expect(at.matrix).toEqual(direct.matrix);
    expect(at.tp).toBe(1);
    expect(at.fn).toBe(2);
    expect(at.fp).toBe(2);
    expect(at.recall).toBeCloseTo(1 / 3, 9);
  });

  it('moves with the threshold; presets pick recall-first and best-F1 points', () => {
    const pairs = referencePairs(ref, src.sample, fs);
    const nonV = nonVLabels(src.probs, src.baseLabel, scores.length);
    const low = operatingPoint(pairs, src.pvcScore, nonV, 0.35);
    expect(low.tp).toBe(2);
    const pts = sweep(pairs, src.pvcScore, nonV, 100);
    expect(pts).toHaveLength(101);
    expect(presetThreshold(pts, 'recall', 0.6)).toBeCloseTo(0.4, 9);
    const best = presetThreshold(pts, 'balanced')!;
    const f1 = pts.find((p) => p.threshold === best)!.f1!;
    expect(Math.max(...pts.map((p) => p.f1 ?? 0))).toBe(f1);
  });

  it('scores against reviewed labels, deleted beats counting as extra detections', () => {
    const b = new ReviewBeats(src, null, 15);
    b.setEdit(200, edit(200, 'V', 'confirmed'));
    b.setEdit(400, edit(400, 'N', 'relabelled'));
    b.setEdit(600, edit(600, 'X', 'deleted'));
    const pairs = reviewedPairs(b);
    const nonV = nonVLabels(src.probs, src.baseLabel, scores.length);
    const p = operatingPoint(pairs, src.pvcScore, nonV, 0.5);
    expect(p.tp).toBe(1);
    expect(p.fp).toBe(2);
    expect(p.precision).toBeCloseTo(1 / 3, 9);
  });
});

describe('flat PR curve note', () => {
  const pt = (threshold: number, recall: number | null) => ({ threshold, recall, precision: 0.5, f1: 0.5, tp: 0, fp: 0, fn: 0, matrix: [] as number[][] });
  it('speaks only when recall never drops under 98 % below threshold 1', () => {
    expect(flatRecall([pt(0, 1), pt(0.5, 1), pt(0.98, 0.99), pt(1, 0)])).toEqual({ min: 0.99, upTo: 0.98 });
    expect(flatRecall([pt(0, 1), pt(0.5, 0.9), pt(1, 0)])).toBeNull();
    expect(flatRecall([pt(0, null), pt(1, 0)])).toBeNull();
  });
});

describe('morphology groups', () => {
  it('separates two shapes and orders groups by size, stable for a seed', async () => {
    const { kmeansGroups, groupExamples } = await import('../../src/renderer/src/lib/morphology');
    const n = 300;
    const d = 4;
    const x = new Float32Array(n * d);
    for (let i = 0; i < n; i++) {
      const ectopic = i % 10 === 3;
      for (let t = 0; t < d; t++) x[i * d + t] = (ectopic ? 5 : 0) + ((i * 7 + t * 13) % 11) / 100;
    }
    const g = kmeansGroups(x, n, d, 2);
    expect(Array.from(g.size)).toEqual([270, 30]);
    for (let i = 0; i < n; i++) expect(g.group[i]).toBe(i % 10 === 3 ? 1 : 0);
    expect(Array.from(kmeansGroups(x, n, d, 2).group)).toEqual(Array.from(g.group));
    expect(groupExamples(g, 1, 5).every((i) => i % 10 === 3)).toBe(true);
  });
});
