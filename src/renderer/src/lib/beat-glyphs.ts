// Beat classes told apart by shape as well as colour (WCAG 1.4.1, use of colour): where a view has no
// room for the trace's letters (N S V F Q X), each class has a glyph, the same in every view and in
// its legend (components/BeatLegend.svelte), which pairs it with the trace's letter.

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
