// Beat classes told apart by shape as well as colour (lib/beat-glyphs.ts, the trace's marks in
// lib/draw.ts drawBeats), and the episode names on the overview's bands (lib/overview.ts bandLabels).
import { describe, expect, it } from 'vitest';
import { BEAT_GLYPHS, BEAT_TICKS, GLYPH_R, GLYPH_Y, glyphCorners, glyphPath, glyphSvg, markStyle, tickSvg } from '../../src/renderer/src/lib/beat-glyphs';
import { CLASS_COLOURS, SCREEN_PALETTE, drawBeats, type BeatMark, type MarkCtx } from '../../src/renderer/src/lib/draw';
import { PAPER_PALETTE } from '../../src/main/report/strip';
import { bandAt, bandLabels } from '../../src/renderer/src/lib/overview';
import { EPISODE_SHORT_NAMES } from '../../src/renderer/src/lib/episode-colours';

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

/** A path as drawn: its ops since beginPath, and the style it was stroked or filled with. */
interface Drawn {
  how: 'stroke' | 'fill';
  colour: string;
  width: number;
  ops: string[];
}

/** A MarkCtx that records each stroked or filled path. */
function pathRecorder(): MarkCtx & { drawn: Drawn[] } {
  let ops: string[] = [];
  const drawn: Drawn[] = [];
  const r = (x: number) => Math.round(x * 10) / 10;
  const ctx = {
    drawn,
    strokeStyle: '' as unknown,
    fillStyle: '' as unknown,
    lineWidth: 1,
    font: '',
    textAlign: 'left',
    globalAlpha: 1,
    beginPath: () => void (ops = []),
    moveTo: (x: number, y: number) => void ops.push(`M${r(x)},${r(y)}`),
    lineTo: (x: number, y: number) => void ops.push(`L${r(x)},${r(y)}`),
    closePath: () => void ops.push('Z'),
    arc: (x: number, y: number, rad: number) => void ops.push(`arc${r(x)},${r(y)},${r(rad)}`),
    stroke: () => void drawn.push({ how: 'stroke', colour: String(ctx.strokeStyle), width: ctx.lineWidth, ops }),
    fill: () => void drawn.push({ how: 'fill', colour: String(ctx.fillStyle), width: 0, ops }),
    fillRect: () => {},
    strokeRect: () => {},
    fillText: () => {},
  };
  return ctx;
}

const mark = (x: number, label: string, flagged = false): BeatMark => ({
  x,
  label,
  ref: null,
  flagged,
  reviewed: false,
  deleted: false,
  selected: false,
  current: false,
});

/** Per stroked path with segments: its colour, width and the vertical extent of each segment. */
function segments(d: Drawn): { x: number; y0: number; y1: number }[] {
  const out: { x: number; y0: number; y1: number }[] = [];
  for (let k = 0; k + 1 < d.ops.length; k += 2) {
    const [x0, y0] = d.ops[k]!.slice(1).split(',').map(Number) as [number, number];
    const [, y1] = d.ops[k + 1]!.slice(1).split(',').map(Number) as [number, number];
    out.push({ x: x0, y0, y1 });
  }
  return out;
}

describe("the trace's zoomed-out beat marks", () => {
  it('chooses letters where beats are 14 px apart or more, glyphs from 7 px (a zoom step of 2 always lands there), ticks closer than that', () => {
    expect(markStyle(71, 1000)).toBe('text');
    expect(markStyle(72, 1000)).toBe('glyph');
    expect(markStyle(142, 1000)).toBe('glyph');
    expect(markStyle(143, 1000)).toBe('tick');
    // whatever the heart rate, one of the key zoom's steps (spacing halved each time) lands on glyphs
    for (let spacing = 14; spacing < 28; spacing += 0.37) {
      const styles = [1, 2, 4, 8].map((k) => markStyle(Math.ceil(1000 / (spacing / k)), 1000));
      expect(styles, String(spacing)).toContain('glyph');
    }
    expect(markStyle(5000, 1000)).toBe('tick');
  });

  it("gives each class a tick of its own length, side or weight (greyscale tells them apart), V's the tallest and bold", () => {
    const shape = (l: string) => `${BEAT_TICKS[l]!.y0}:${BEAT_TICKS[l]!.y1}:${BEAT_TICKS[l]!.width}`;
    expect(Object.keys(BEAT_TICKS).sort()).toEqual(Object.keys(CLASS_COLOURS).sort());
    expect(new Set(Object.keys(BEAT_TICKS).map(shape)).size).toBe(Object.keys(BEAT_TICKS).length);
    const len = (l: string) => BEAT_TICKS[l]!.y1 - BEAT_TICKS[l]!.y0;
    for (const l of ['N', 'S', 'F', 'Q', 'X']) expect(len('V'), l).toBeGreaterThan(len(l) + 4);
    expect(len('S')).toBeGreaterThanOrEqual(2 * len('N'));
    expect(BEAT_TICKS.V!.width).toBeGreaterThan(BEAT_TICKS.N!.width);
    // the legend's ticks keep the order of lengths and where the base is
    expect(tickSvg('V', 16).d).toBe('M2 2.29L2 12.57');
    expect(tickSvg('Q', 16).base).toBeCloseTo(12.57, 2);
  });

  it('draws a dense view as ticks, one path per class whatever the number of beats: a V taller and bolder than an N, drawn over it', () => {
    const marks = Array.from({ length: 3000 }, (_, i) => mark(i / 3, i % 50 === 7 ? 'V' : i % 50 === 30 ? 'S' : 'N'));
    const ctx = pathRecorder();
    drawBeats(ctx, marks, 14, 300, 'tick');
    const strokes = ctx.drawn.filter((d) => d.how === 'stroke' && d.ops.length);
    expect(strokes.map((d) => d.colour)).toEqual([CLASS_COLOURS.N, CLASS_COLOURS.S, CLASS_COLOURS.V]);
    expect(ctx.drawn.filter((d) => d.how === 'fill')).toEqual([]);
    const [n, sv, v] = strokes.map(segments) as [ReturnType<typeof segments>, ReturnType<typeof segments>, ReturnType<typeof segments>];
    expect(n).toHaveLength(2880);
    expect(v).toHaveLength(60);
    expect(sv).toHaveLength(60);
    const height = (s: { y0: number; y1: number }) => s.y1 - s.y0;
    expect(height(v[0]!)).toBeGreaterThanOrEqual(3 * height(n[0]!));
    expect(height(sv[0]!)).toBeGreaterThanOrEqual(2 * height(n[0]!));
    expect(strokes[2]!.width).toBe(2);
    expect(strokes[0]!.width).toBe(1);
    // every tick stands on the same base, 22 px below the marks' top
    for (const s of [n[0]!, sv[0]!, v[0]!]) expect(s.y1).toBe(14 + 22);
  });

  it('caps a flagged beat above its tick or glyph in its class colour, and leaves an unflagged one without', () => {
    const caps = (d: Drawn) => segments(d).filter((s) => s.y0 === s.y1);
    const ticks = (d: Drawn) => segments(d).filter((s) => s.y0 !== s.y1);
    const ctx = pathRecorder();
    drawBeats(ctx, [mark(10, 'N', true), mark(20, 'N'), mark(30, 'V', true)], 14, 300, 'tick');
    const [n, v] = ctx.drawn.filter((d) => d.ops.length);
    // N: two ticks and one cap, a bar across x = 10
    expect(ticks(n!)).toHaveLength(2);
    expect(caps(n!)).toEqual([{ x: 8, y0: 15.5, y1: 15.5 }]);
    expect(caps(v!)).toHaveLength(1);
    expect(caps(v!)[0]!.y0).toBeLessThan(ticks(v!)[0]!.y0 - 1);
    // glyphs: the cap is stroked above the glyph's top
    const g = pathRecorder();
    drawBeats(g, [mark(10, 'V', true), mark(20, 'V')], 14, 300, 'glyph');
    const capped = g.drawn.filter((d) => d.how === 'stroke' && d.ops.length);
    expect(capped).toHaveLength(1);
    expect(capped[0]!.colour).toBe(CLASS_COLOURS.V);
    expect(caps(capped[0]!)).toHaveLength(1);
    expect(caps(capped[0]!)[0]!.y0).toBeLessThan(14 + GLYPH_Y - GLYPH_R);
  });

  it('draws a mid zoom as glyphs, filled one path per class: a triangle for V, a dot for N, as full disclosure and the tachogram do', () => {
    const ctx = pathRecorder();
    drawBeats(ctx, [mark(10, 'N'), mark(20, 'V'), mark(30, 'N')], 14, 300, 'glyph');
    const fills = ctx.drawn.filter((d) => d.how === 'fill' && d.ops.length);
    expect(fills.map((d) => d.colour)).toEqual([CLASS_COLOURS.N, CLASS_COLOURS.V]);
    expect(fills[0]!.ops.filter((o) => o.startsWith('arc'))).toHaveLength(2);
    const triangle: string[] = [];
    glyphPath(
      {
        moveTo: (x, y) => triangle.push(`M${x},${y}`),
        lineTo: (x, y) => triangle.push(`L${Math.round(x * 10) / 10},${Math.round(y * 10) / 10}`),
        closePath: () => triangle.push('Z'),
        arc: () => {},
      },
      'V',
      20,
      14 + GLYPH_Y,
      GLYPH_R
    );
    expect(fills[1]!.ops).toEqual(triangle);
    // no ticks under the glyphs
    expect(ctx.drawn.filter((d) => d.how === 'stroke' && d.ops.length)).toEqual([]);
  });

  it("draws the same shapes in the print palette's colours (the report's paper) as in the screen's", () => {
    const drawn = (palette: typeof PAPER_PALETTE) => {
      const ctx = pathRecorder();
      drawBeats(ctx, [mark(10, 'V'), mark(20, 'N')], 0, 100, 'tick', palette);
      return ctx.drawn.filter((d) => d.ops.length);
    };
    const paper = drawn(PAPER_PALETTE);
    const screen = drawn(SCREEN_PALETTE);
    expect(paper.map((d) => d.colour)).toEqual([PAPER_PALETTE.classes.N, PAPER_PALETTE.classes.V]);
    expect(screen.map((d) => d.colour)).toEqual([CLASS_COLOURS.N, CLASS_COLOURS.V]);
    expect(paper.map((d) => [d.width, d.ops])).toEqual(screen.map((d) => [d.width, d.ops]));
    expect(paper[1]!.width).toBe(2);
  });
});

describe('overview band labels', () => {
  const measure = (t: string) => t.length * 5;
  const band = (x0: number, x1: number, name: string) => ({ x0, x1, name, short: EPISODE_SHORT_NAMES[name as keyof typeof EPISODE_SHORT_NAMES] });

  it("writes the episode's name on its band where the band has room for it", () => {
    expect(bandLabels([band(100, 114, 'AF')], measure, 1000)).toEqual([{ text: 'AF', x: 102, on: true }]);
    expect(bandLabels([band(10, 50, 'PAUSE')], measure, 1000)).toEqual([{ text: 'PAUSE', x: 12, on: true }]);
  });

  it("writes a narrow band's name (the same word) beside it, right of it, else left of it where the strip ends or a band is in the way", () => {
    // a 2 px VT run and a 2 px pause: colour alone told them from AF
    expect(bandLabels([band(100, 102, 'VT'), band(300, 302, 'PAUSE')], measure, 1000)).toEqual([
      { text: 'VT', x: 104, on: false },
      { text: 'PAUSE', x: 304, on: false },
    ]);
    // at the strip's right end, or an AF band just right of it: to the left
    expect(bandLabels([band(995, 997, 'VT')], measure, 1000)).toEqual([{ text: 'VT', x: 983, on: false }]);
    expect(bandLabels([band(100, 102, 'VT'), band(106, 400, 'AF')], measure, 1000)[0]).toEqual({ text: 'VT', x: 88, on: false });
    // not where it would end 2 px from the next band (it would read as that band's): twice as far from any other band as from its own
    expect(bandLabels([band(100, 102, 'VT'), band(116, 118, 'PAUSE')], measure, 1000)).toEqual([
      { text: 'VT', x: 88, on: false },
      { text: 'PAUSE', x: 120, on: false },
    ]);
  });

  it('cuts the name short (P for a pause, never N: that is the normal beat) where the word fits neither on the band nor beside it', () => {
    expect(bandLabels([band(100, 110, 'PAUSE')], measure, 1000)).toEqual([{ text: 'PAUSE', x: 112, on: false }]);
    // the word has room on neither side, its letter has room on the band
    expect(bandLabels([band(5, 15, 'PAUSE'), band(17, 300, 'AF')], measure, 1000)[0]).toEqual({ text: 'P', x: 7, on: true });
    // or beside it
    expect(bandLabels([band(5, 7, 'PAUSE'), band(20, 300, 'AF')], measure, 1000)[0]).toEqual({ text: 'P', x: 9, on: false });
    expect(Object.values(EPISODE_SHORT_NAMES)).not.toContain('N');
    expect(new Set(Object.values(EPISODE_SHORT_NAMES)).size).toBe(Object.keys(EPISODE_SHORT_NAMES).length);
  });

  it('never writes a name over a band or over another name: a crowd of short bands gets what room there is, the tooltip names the rest', () => {
    const crowd = [band(100, 102, 'VT'), band(104, 106, 'PAUSE'), band(108, 110, 'VT'), band(130, 132, 'PAUSE')];
    const labels = bandLabels(crowd, measure, 1000);
    expect(labels).toEqual([{ text: 'VT', x: 88, on: false }, null, { text: 'VT', x: 112, on: false }, { text: 'PAUSE', x: 134, on: false }]);
    const spans = labels.flatMap((l) => (l ? [[l.x, l.x + measure(l.text)] as const] : []));
    for (const [a, z] of spans) for (const b of crowd) expect(z <= b.x0 || a >= b.x1, `${a}-${z} over ${b.x0}`).toBe(true);
    // a busy day: 60 bands of 2 to 30 px over 1000 px, no name over a band or another name
    let seed = 7;
    const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const day = Array.from({ length: 60 }, () => {
      const x0 = rnd() * 990;
      return band(x0, Math.min(1000, x0 + 2 + (rnd() < 0.9 ? 0 : rnd() * 28)), ['AF', 'VT', 'PAUSE', 'NOISE'][Math.floor(rnd() * 4)]!);
    });
    const placed = bandLabels(day, measure, 1000).flatMap((l) => (l && !l.on ? [[l.x, l.x + measure(l.text)] as const] : []));
    expect(placed.length).toBeGreaterThan(10);
    for (const [a, z] of placed) {
      expect(a >= 0 && z <= 1000).toBe(true);
      for (const b of day) expect(z <= b.x0 || a >= b.x1).toBe(true);
      for (const [p, q] of placed) if (p !== a) expect(z <= p || a >= q).toBe(true);
    }
  });

  it('finds the band under the pointer, a band a pixel or two wide within 3 px, the narrower of two overlapping', () => {
    const bands = [band(100, 400, 'AF'), band(200, 202, 'VT'), band(600, 602, 'PAUSE')];
    expect(bandAt(bands, 150)).toBe(0);
    expect(bandAt(bands, 201)).toBe(1);
    expect(bandAt(bands, 604.5)).toBe(2);
    expect(bandAt(bands, 597)).toBe(2);
    expect(bandAt(bands, 606)).toBe(-1);
    expect(bandAt(bands, 500)).toBe(-1);
  });
});
