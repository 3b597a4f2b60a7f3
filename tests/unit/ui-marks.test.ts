// Beat markers of zoomed-out views: the multi-resolution MarkPyramid against the per-beat
// column aggregation it replaces (labels, flags, selection, current beat, edits).
import { describe, expect, it } from 'vitest';
import { ReviewBeats, type BeatEdit } from '../../src/renderer/src/lib/beats';
import { beatMarks, MarkPyramid } from '../../src/renderer/src/lib/marks';

const SEV: Record<string, number> = { N: 0, X: 1, Q: 2, S: 3, F: 4, V: 5 };

/** A day-long-ish record: irregular RR (250–420 frames), scores from a fixed pseudo-random sequence. */
function beats(n: number): ReviewBeats {
  const sample = new Int32Array(n);
  const probs = new Float32Array(n * 5);
  const score = new Float32Array(n);
  let s = 1000;
  let r = 12345;
  const rnd = () => (r = (r * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < n; i++) {
    s += 250 + Math.floor(rnd() * 170);
    sample[i] = s;
    const v = rnd() < 0.02 ? 0.5 + rnd() / 2 : rnd() * 0.3;
    score[i] = v;
    probs[i * 5 + 2] = v;
    probs[i * 5 + (rnd() < 0.03 ? 1 : 0)] = 1 - v;
  }
  return new ReviewBeats({ origin: 'analysis', sample, probs, pvcScore: score, baseLabel: new Uint8Array(n) }, null, 54);
}

describe('MarkPyramid (zoomed-out beat marks)', () => {
  const b = beats(30_000);
  const t = 0.4;
  const span = b.sample[b.count - 1]! + 500;

  for (const [name, start, fpp] of [
    ['whole record', 0, span / 1400],
    ['a third of it, off-grid start', 123_457, span / 3 / 1200],
    ['just coarse enough (520 frames/px)', 777_777, 520],
  ] as const) {
    it(`${name}: every beat is within a pixel of a mark at least as severe (flagged when it is), and every mark has such a beat`, () => {
      const width = 1200;
      const sel = new Set([b.sample[100]!, b.sample[20_000]!]);
      const current = b.sample[15_000]!;
      const p = new MarkPyramid(b, t);
      const marks = beatMarks(b, t, current, sel, start, fpp, width, p);
      const brute = beatMarks(b, t, current, sel, start, fpp, width);
      // Same regime as the per-beat path: one mark per column, at most.
      expect(marks.length).toBeGreaterThan(0);
      expect(Math.abs(marks.length - brute.length)).toBeLessThanOrEqual(Math.ceil(brute.length * 0.1));
      const byCol = new Map(marks.map((m) => [Math.floor(m.x), m]));
      const near = (x: number) => [byCol.get(Math.floor(x) - 1), byCol.get(Math.floor(x)), byCol.get(Math.floor(x) + 1)].filter((m) => m !== undefined);
      for (let i = 0; i < b.count; i++) {
        const x = (b.sample[i]! - start) / fpp;
        if (x < 1 || x >= width - 1) continue;
        const ms = near(x);
        const label = b.label(i, t);
        expect(ms.some((m) => SEV[m.label]! >= SEV[label]!)).toBe(true);
        if (b.flagged(i, t)) expect(ms.some((m) => m.flagged)).toBe(true);
        if (sel.has(b.sample[i]!)) expect(ms.some((m) => m.selected)).toBe(true);
        if (b.sample[i] === current) expect(ms.some((m) => m.current)).toBe(true);
      }
      for (const m of marks) {
        const a = b.indexAt(start + (m.x - 2) * fpp);
        const z = b.indexAt(start + (m.x + 2) * fpp);
        const labels = new Set<string>(Array.from({ length: z - a }, (_, k) => b.label(a + k, t)));
        expect(labels.has(m.label)).toBe(true);
      }
      const cx = (current - start) / fpp;
      expect(marks.filter((m) => m.current)).toHaveLength(cx >= 0 && cx < width ? 1 : 0);
    });
  }

  it('is not used once stale: an edit or another threshold falls back to the exact per-beat path', () => {
    const b2 = beats(30_000);
    const p = new MarkPyramid(b2, t);
    expect(p.fresh(b2, t)).toBe(true);
    expect(p.fresh(b2, 0.5)).toBe(false);
    const i = 5000;
    const e: BeatEdit = { sample: b2.sample[i]!, label: 'F', status: 'relabelled', who: 't', when: '2026-01-01T00:00:00Z' };
    b2.setEdit(e.sample, e);
    expect(p.fresh(b2, t)).toBe(false);
    const fpp = span / 1400;
    const marks = beatMarks(b2, t, -1, new Set(), 0, fpp, 1400, new MarkPyramid(b2, t));
    const col = Math.floor(b2.sample[i]! / fpp);
    const m = marks.find((k) => Math.abs(Math.floor(k.x) - col) <= 1 && (k.label === 'F' || k.label === 'V'));
    expect(m).toBeDefined();
  });

  it('has no level under 512 frames per pixel (the per-beat path draws those views)', () => {
    expect(new MarkPyramid(b, t).marks(0, 500, 1000, -1, new Set())).toBeNull();
  });
});
