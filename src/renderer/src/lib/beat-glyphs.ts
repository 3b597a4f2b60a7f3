// Beat classes told apart by shape as well as colour (WCAG 1.4.1, use of colour): where a view has no
// room for the trace's letters (N S V F Q X), each class has a glyph, the same in every view and in
// its legend (components/BeatLegend.svelte), which pairs it with the trace's letter. Where beats are
// too close even for glyphs (a zoomed-out trace), each class has a tick of its own length and weight.

export type Glyph = 'dot' | 'diamond' | 'triangle' | 'square' | 'plus' | 'cross';

export const BEAT_GLYPHS: Readonly<Record<string, Glyph>> = { N: 'dot', S: 'diamond', V: 'triangle', F: 'square', Q: 'plus', X: 'cross' };

/** The few 2-D context members a glyph needs. */
export interface GlyphCtx {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  closePath(): void;
  arc(x: number, y: number, r: number, a0: number, a1: number): void;
}

/** Corners of glyph `g` centred on (x, y), inside the square of half-side `r` around it; null for the dot (a circle). */
export function glyphCorners(g: Glyph, x: number, y: number, r: number): [number, number][] | null {
  const t = r / 3;
  const plus: [number, number][] = [
    [-t, -r],
    [t, -r],
    [t, -t],
    [r, -t],
    [r, t],
    [t, t],
    [t, r],
    [-t, r],
    [-t, t],
    [-r, t],
    [-r, -t],
    [-t, -t],
  ];
  const at = (ps: [number, number][]) => ps.map(([dx, dy]): [number, number] => [x + dx, y + dy]);
  switch (g) {
    case 'dot':
      return null;
    case 'triangle':
      return at([
        [0, -r],
        [r, r * 0.8],
        [-r, r * 0.8],
      ]);
    case 'diamond':
      return at([
        [0, -r],
        [r, 0],
        [0, r],
        [-r, 0],
      ]);
    case 'square': {
      const s = r * 0.8;
      return at([
        [-s, -s],
        [s, -s],
        [s, s],
        [-s, s],
      ]);
    }
    case 'plus':
      return at(plus);
    case 'cross': {
      const k = Math.SQRT1_2;
      return at(plus.map(([dx, dy]): [number, number] => [(dx - dy) * k, (dx + dy) * k]));
    }
  }
}

/** Adds the glyph of beat label `label` at (x, y) to the context's current path (fill it after; several share one fill). */
export function glyphPath(ctx: GlyphCtx, label: string, x: number, y: number, r: number): void {
  const corners = glyphCorners(BEAT_GLYPHS[label] ?? 'dot', x, y, r);
  if (!corners) {
    ctx.moveTo(x + r * 0.8, y);
    ctx.arc(x, y, r * 0.8, 0, 2 * Math.PI);
    return;
  }
  corners.forEach(([px, py], k) => (k ? ctx.lineTo(px, py) : ctx.moveTo(px, py)));
  ctx.closePath();
}

/** The glyph as an SVG path centred on (r, r), for the legends. */
export function glyphSvg(label: string, r: number): string {
  const corners = glyphCorners(BEAT_GLYPHS[label] ?? 'dot', r, r, r);
  if (!corners) {
    const d = r * 0.8;
    return `M${r - d} ${r}a${d} ${d} 0 1 0 ${2 * d} 0a${d} ${d} 0 1 0 ${-2 * d} 0Z`;
  }
  return `M${corners.map(([px, py]) => `${px.toFixed(2)} ${py.toFixed(2)}`).join('L')}Z`;
}

/** How the trace marks its beats at a zoom: letters where they fit, else each beat's glyph, else (denser still) a tick. */
export type MarkStyle = 'text' | 'glyph' | 'tick';

/**
 * Least mean spacing of the marks, px: for letters (a bold 12 px letter in its review box), for
 * glyphs (a glyph's width: neighbours may touch, the more severe drawn over the other). Half as much:
 * the keys zoom by twos, so zooming out by keys always passes a step that draws glyphs.
 */
export const TEXT_SPACING = 14;
export const GLYPH_SPACING = 7;
/** The trace's glyphs: half-side, px (full disclosure's), and their centre below the marks' top. */
export const GLYPH_R = 3.5;
export const GLYPH_Y = 17;

/** The style for `marks` beat marks (those in view and just outside it) across `width` px. */
export function markStyle(marks: number, width: number): MarkStyle {
  if (marks < width / TEXT_SPACING) return 'text';
  return marks < width / GLYPH_SPACING ? 'glyph' : 'tick';
}

/** A vertical tick from y0 down to y1 (px below the marks' top), `width` px wide. */
export interface Tick {
  y0: number;
  y1: number;
  width: 1 | 2;
}

/** Where the ticks stand (px below the marks' top): N's and the taller ones rise from it, Q's and X's hang below it. */
export const TICK_BASE = 22;

/**
 * A dense view's tick per class, told apart in greyscale by length, side of the base and weight: V the
 * tallest and bold (the class a reviewer hunts), S and F half as tall (F bold), N short, Q and X
 * hanging below the base (X bold). In one column the most severe label wins (lib/marks.ts), so a V
 * among hundreds of N stands out.
 */
export const BEAT_TICKS: Readonly<Record<string, Tick>> = {
  N: { y0: TICK_BASE - 5, y1: TICK_BASE, width: 1 },
  S: { y0: TICK_BASE - 11, y1: TICK_BASE, width: 1 },
  V: { y0: TICK_BASE - 18, y1: TICK_BASE, width: 2 },
  F: { y0: TICK_BASE - 11, y1: TICK_BASE, width: 2 },
  Q: { y0: TICK_BASE, y1: TICK_BASE + 6, width: 1 },
  X: { y0: TICK_BASE, y1: TICK_BASE + 6, width: 2 },
};

/** The tick under a letter of the zoomed-in trace: the same for every class (the letter tells them apart). */
export const TEXT_TICK: Tick = { y0: 16, y1: TICK_BASE, width: 1 };

/**
 * A flagged beat's cap (P(V) at or over the threshold): a short bar across its column, px below the
 * marks' top, above the tallest tick, or just above a glyph.
 */
export const FLAG_CAP = { tickY: 1, glyphY: GLYPH_Y - GLYPH_R - 4, half: 2 };

/** The few context members a tick needs. */
export interface TickCtx {
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
}

/** Adds tick `t` at x (its column) to the current path; a 1 px tick on the pixel's centre, a 2 px one on its edge, so both are crisp. */
export function tickPath(ctx: TickCtx, t: Tick, x: number, top: number): void {
  const px = Math.round(x) + (t.width === 1 ? 0.5 : 0);
  ctx.moveTo(px, top + t.y0);
  ctx.lineTo(px, top + t.y1);
}

/** Adds a flagged beat's cap at (x, y) to the current path, crisp in a line `width` px wide. */
export function capPath(ctx: TickCtx, x: number, y: number, width: number): void {
  const px = Math.round(x);
  const py = Math.round(y) + (width === 1 ? 0.5 : 0);
  ctx.moveTo(px - FLAG_CAP.half, py);
  ctx.lineTo(px + FLAG_CAP.half + 1, py);
}

/**
 * Class `label`'s tick as an SVG path for the legend, in a box `h` px tall and 5 wide: the tick
 * scaled by h / 28 about the same base, and where that base is (a faint line drawn there tells a
 * hanging tick from a rising one).
 */
export function tickSvg(label: string, h: number): { d: string; width: number; base: number } {
  const t = BEAT_TICKS[label] ?? BEAT_TICKS.N!;
  const k = h / (TICK_BASE + 6);
  const x = t.width === 1 ? 2.5 : 2;
  return { d: `M${x} ${(t.y0 * k).toFixed(2)}L${x} ${(t.y1 * k).toFixed(2)}`, width: t.width, base: TICK_BASE * k };
}
