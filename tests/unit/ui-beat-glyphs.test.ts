// Beat classes told apart by shape as well as colour (lib/beat-glyphs.ts), and the episode names
// on the overview's bands (lib/overview.ts bandLabel).
import { describe, expect, it } from 'vitest';
import { BEAT_GLYPHS, glyphCorners, glyphPath, glyphSvg } from '../../src/renderer/src/lib/beat-glyphs';
import { CLASS_COLOURS } from '../../src/renderer/src/lib/draw';
import { bandLabel } from '../../src/renderer/src/lib/overview';

function recorder() {
  const ops: string[] = [];
  const rec =
    (name: string) =>
    (...a: number[]) =>
      void ops.push(`${name}(${a.map((x) => Math.round(x * 10) / 10).join(',')})`);
  return { ops, moveTo: rec('M'), lineTo: rec('L'), closePath: rec('Z'), arc: rec('arc') };
}

describe('beat glyphs', () => {
  it('gives every class the trace marks a glyph of its own: a dot for N, a triangle for V', () => {
    expect(Object.keys(BEAT_GLYPHS).sort()).toEqual(Object.keys(CLASS_COLOURS).sort());
    expect(new Set(Object.values(BEAT_GLYPHS)).size).toBe(Object.keys(BEAT_GLYPHS).length);
    expect(BEAT_GLYPHS.N).toBe('dot');
    expect(BEAT_GLYPHS.V).toBe('triangle');
    expect(new Set(Object.keys(BEAT_GLYPHS).map((l) => glyphSvg(l, 4))).size).toBe(Object.keys(BEAT_GLYPHS).length);
  });

  it('draws a V as a closed triangle pointing up and an N as a circle, centred on the beat', () => {
    const v = recorder();
    glyphPath(v, 'V', 10, 20, 3);
    expect(v.ops).toEqual(['M(10,17)', 'L(13,22.4)', 'L(7,22.4)', 'Z()']);
    const n = recorder();
    glyphPath(n, 'N', 10, 20, 3);
    expect(n.ops).toEqual(['M(12.4,20)', 'arc(10,20,2.4,0,6.3)']);
  });

  it('keeps each glyph inside the square of half-side r around its centre, so marks of neighbouring beats stay apart', () => {
    for (const g of Object.values(BEAT_GLYPHS))
      for (const [x, y] of glyphCorners(g, 0, 0, 3) ?? []) expect(Math.max(Math.abs(x), Math.abs(y)), g).toBeLessThanOrEqual(3 + 1e-9);
  });
});

describe('overview band labels', () => {
  const measure = (t: string) => t.length * 5;
  it("writes the episode's name where the band has room for it, nothing where it has not", () => {
    expect(bandLabel('AF', 14, measure)).toBe('AF');
    expect(bandLabel('AF', 13, measure)).toBeNull();
    expect(bandLabel('PAUSE', 40, measure)).toBe('PAUSE');
  });
});
