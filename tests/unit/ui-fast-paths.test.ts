// The per-edit paths a 24-hour Holter needs (typed per-beat arrays, counts from the edits, points
// painted into pixels) give what the per-beat paths gave.
import { describe, expect, it } from 'vitest';
import { STATUS, usableCountsOf, type BeatEdit, type ReviewBeats } from '../../src/renderer/src/lib/beats';
import { evenBeats, reviewBeatsAt } from '../helpers/review-beats';
import { rrSeries } from '../../src/renderer/src/lib/rr';
import { paintSquare, rgba } from '../../src/renderer/src/lib/scatter';

const edit = (sample: number, label: BeatEdit['label'], status: BeatEdit['status']): BeatEdit => ({
  sample,
  label,
  status,
  who: 't',
  when: '2026-01-01T00:00:00Z',
});
function beats(n: number): ReviewBeats {
  const probs = new Float32Array(n * 5);
  for (let i = 0; i < n; i++) probs[i * 5 + (i % 7 === 3 ? 2 : i % 11 === 5 ? 1 : 0)] = 0.9;
  return reviewBeatsAt(evenBeats(n, 100, 80), probs);
}

describe('per-edit paths', () => {
  it('labels, predictions and statuses as arrays agree with the per-beat accessors', () => {
    const b = beats(60);
    b.setEdit(340, edit(340, 'N', 'relabelled'));
    b.setEdit(420, edit(420, 'X', 'deleted'));
    b.setEdit(500, edit(500, 'V', 'confirmed'));
    b.setEdit(1000, edit(1000, 'S', 'added'));
    b.setEdit(99_999, edit(99_999, 'V', 'relabelled')); // no beat there
    b.rebuild();
    const codes = b.labelCodes(0.5);
    const pred = b.predictedCodes(0.5);
    const status = b.statusCodes();
    for (let i = 0; i < b.count; i++) {
      expect(b.label(i, 0.5)).toBe(['N', 'S', 'V', 'F', 'Q', 'X'][codes[i]!]);
      expect(pred[i]).toBe(b.predicted(i, 0.5));
      const e = b.edit(i);
      expect(status[i]).toBe(e ? STATUS[e.status === 'unreviewed' ? 'none' : e.status] : STATUS.none);
    }
    expect(usableCountsOf(b)).toEqual({ N: 1, S: 1, V: 1, F: 0, Q: 0 });
    const rr = rrSeries(b, 100);
    expect(rr.index.length).toBe(b.count - 1);
    expect(Array.from(rr.index)).not.toContain(b.indexAt(420));
  });

  it('paints clipped squares of one colour', () => {
    expect(rgba('#ff0000')).toBe(0xff0000ff);
    expect(rgba('#0000ff')).toBe(0xffff0000);
    const buf = new Uint32Array(16);
    paintSquare(buf, 4, 4, 2.6, -1, 2, 7);
    expect(Array.from(buf)).toEqual([0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

describe('layout key', () => {
  it('changes with deletions and additions, not with relabels', () => {
    const b = beats(10);
    const k0 = b.layoutKey();
    b.setEdit(180, edit(180, 'V', 'relabelled'));
    expect(b.layoutKey()).toBe(k0);
    b.setEdit(260, edit(260, 'X', 'deleted'));
    const k1 = b.layoutKey();
    expect(k1).not.toBe(k0);
    b.setEdit(300, edit(300, 'N', 'added'));
    b.rebuild();
    expect(b.layoutKey()).not.toBe(k1);
  });
});
