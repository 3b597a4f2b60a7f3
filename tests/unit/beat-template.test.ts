import { describe, expect, it } from 'vitest';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, RR_FEATURES, TEMPLATE_BLOCK, beatTemplates, gatherTemplates, templateRow, templatesOfRows } from '../../src/main/beats';

const ROW = BEAT_LEADS * BEAT_WINDOW;
const PRE = RR_FEATURES.indexOf('preOverLocal');

/** n beats: shape(i) gives beat i's window value at sample s; premature(i) sets preOverLocal 0.6. */
function beats(n: number, shape: (i: number, s: number) => number, premature: (i: number) => boolean) {
  const windows = new Float32Array(n * ROW);
  const rr = new Float32Array(n * N_RR).fill(1);
  for (let i = 0; i < n; i++) {
    for (let s = 0; s < ROW; s++) windows[i * ROW + s] = shape(i, s);
    if (premature(i)) rr[i * N_RR + PRE] = 0.6;
  }
  return { windows, rr, valid: new Uint8Array(n).fill(1) };
}

const normal = (s: number) => Math.sin(s / 7);
const pvc = (s: number) => 3 * Math.cos(s / 19) + 1;

describe("beat templates (the record's dominant beat)", () => {
  it('is the normal beat even in bigeminy, because premature beats are left out', () => {
    const n = 300;
    const b = beats(
      n,
      (i, s) => (i % 2 ? pvc(s) : normal(s) + 0.001 * (i % 5)),
      (i) => i % 2 === 1
    );
    const t = beatTemplates(b.windows, b.rr, b.valid, n);
    expect(t.block).toBe(TEMPLATE_BLOCK);
    expect(t.templates.length).toBe(Math.ceil(n / TEMPLATE_BLOCK) * ROW);
    for (const i of [0, 150, 299]) {
      const o = templateRow(t, i);
      for (let s = 0; s < ROW; s += 17) expect(t.templates[o + s]).toBeCloseTo(normal(s), 2);
    }
  });

  it('falls back to every valid beat when fewer than 8 beats are not premature, and skips invalid windows', () => {
    const n = 40;
    const b = beats(
      n,
      (i, s) => (i < 30 ? pvc(s) : normal(s)),
      (i) => i < 35
    );
    b.valid.fill(0, 30, 40); // the 10 normal-shaped beats (5 of them not premature) run off the record
    const t = beatTemplates(b.windows, b.rr, b.valid, n);
    for (let s = 0; s < ROW; s += 13) expect(t.templates[s]).toBeCloseTo(pvc(s), 5);
  });

  it('follows a morphology change along a long record (blocks of beats, not the whole record)', () => {
    const n = 20 * TEMPLATE_BLOCK;
    const b = beats(
      n,
      (i, s) => (i < n / 2 ? normal(s) : pvc(s)),
      () => false
    );
    const t = beatTemplates(b.windows, b.rr, b.valid, n);
    expect(t.templates[templateRow(t, 0) + 5]).toBeCloseTo(normal(5), 5);
    expect(t.templates[templateRow(t, n - 1) + 5]).toBeCloseTo(pvc(5), 5);
  });

  it('gives per-beat rows that equal the block rows, for ranges and for picked beats', () => {
    const n = 200;
    const b = beats(
      n,
      (i, s) => Math.sin(s / 5 + Math.floor(i / 64)),
      () => false
    );
    const t = beatTemplates(b.windows, b.rr, b.valid, n);
    const range = gatherTemplates(t, 60, 10);
    const picked = templatesOfRows(t, [60, 61, 62, 63, 64, 65, 66, 67, 68, 69]);
    expect(Array.from(range)).toEqual(Array.from(picked));
    expect(Array.from(range.subarray(4 * ROW, 5 * ROW))).toEqual(Array.from(t.templates.subarray(ROW, 2 * ROW)));
    expect(Array.from(range.subarray(3 * ROW, 4 * ROW))).toEqual(Array.from(t.templates.subarray(0, ROW)));
  });

  it('handles no beats', () => {
    const t = beatTemplates(new Float32Array(0), new Float32Array(0), new Uint8Array(0), 0);
    expect(t.templates.length).toBe(0);
  });
});
