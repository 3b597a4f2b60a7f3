// Canvas drawing of the trace view: ECG paper grid, the signal (per-pixel min/max columns, or a
// polyline when zoomed in past one sample per pixel) and beat markers. Functions take only the
// few context methods they use, so tests can record the calls without a DOM.
import type { GridLines } from './paper';
import { bridgeColumns, toColumns, type Columns, type Run } from './columns';
import { BEAT_TICKS, FLAG_CAP, GLYPH_R, GLYPH_Y, TEXT_TICK, capPath, glyphPath, tickPath, type GlyphCtx, type MarkStyle } from './beat-glyphs';
import { SEVERITY } from './marks';

/** The few 2-D context members the drawing uses (a CanvasRenderingContext2D has them all). */
export interface Ctx {
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillRect(x: number, y: number, w: number, h: number): void;
  strokeRect(x: number, y: number, w: number, h: number): void;
  fillText(text: string, x: number, y: number): void;
  strokeStyle: unknown;
  fillStyle: unknown;
  lineWidth: number;
  font: string;
  textAlign: string;
  globalAlpha: number;
}

export const CLASS_COLOURS: Readonly<Record<string, string>> = {
  N: '#b0bec5',
  S: '#4fc3f7',
  V: '#ff5252',
  F: '#ffb74d',
  Q: '#ce93d8',
  X: '#8d8d8d',
};

export const THEME = {
  background: '#12161c',
  gridMinor: '#2b1d22',
  gridMajor: '#4a2730',
  trace: '#e6f2e6',
  flagged: 'rgba(255, 82, 82, 0.16)',
  selected: 'rgba(255, 235, 59, 0.22)',
  cursor: '#ffeb3b',
};

/** The colours a drawing may swap (the printed report draws on white paper). */
export type Palette = Pick<typeof THEME, 'gridMinor' | 'gridMajor' | 'flagged' | 'selected' | 'cursor'> & {
  classes: Readonly<Record<string, string>>;
  reference: string;
};

export const SCREEN_PALETTE: Palette = { ...THEME, classes: CLASS_COLOURS, reference: '#7d8896' };

export function drawGrid(ctx: Ctx, g: GridLines, width: number, height: number, top = 0, palette: Palette = SCREEN_PALETTE): void {
  const lines = (xs: number[], ys: number[], colour: string) => {
    if (!xs.length && !ys.length) return;
    ctx.strokeStyle = colour;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const x of xs) {
      const px = Math.round(x) + 0.5;
      ctx.moveTo(px, top);
      ctx.lineTo(px, top + height);
    }
    for (const y of ys) {
      const py = Math.round(top + y) + 0.5;
      ctx.moveTo(0, py);
      ctx.lineTo(width, py);
    }
    ctx.stroke();
  };
  lines(g.minorX, g.minorY, palette.gridMinor);
  lines(g.majorX, g.majorY, palette.gridMajor);
}

/** Draws one signal run into the view [startFrame, startFrame + width·framesPerPx). */
export function drawSignal(
  ctx: Ctx,
  run: Run,
  startFrame: number,
  framesPerPx: number,
  width: number,
  yOf: (v: number) => number,
  colour: string,
  scratch?: Columns
): Columns | undefined {
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  if (run.bucket === 1 && framesPerPx <= 1) {
    // Fewer samples than pixels: a polyline through the samples.
    const p0 = Math.max(0, Math.floor(startFrame - run.from) - 1);
    const p1 = Math.min(run.min.length, Math.ceil(startFrame + width * framesPerPx - run.from) + 2);
    let pen = false;
    for (let p = p0; p < p1; p++) {
      const v = run.min[p]!;
      if (Number.isNaN(v)) {
        pen = false;
        continue;
      }
      const x = (run.from + p - startFrame) / framesPerPx;
      const y = yOf(v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.stroke();
    return scratch;
  }
  const cols = toColumns(run, startFrame, framesPerPx, width, scratch);
  bridgeColumns(cols);
  for (let c = 0; c < cols.width; c++) {
    const lo = cols.min[c]!;
    if (Number.isNaN(lo)) continue;
    const y0 = yOf(cols.max[c]!);
    const y1 = yOf(lo);
    ctx.moveTo(c + 0.5, y0 - 0.5);
    ctx.lineTo(c + 0.5, y1 + 0.5);
  }
  ctx.stroke();
  return cols;
}

export interface BeatMark {
  x: number;
  label: string;
  /** Reference label (from the record's annotation file) when present. */
  ref: string | null;
  flagged: boolean;
  reviewed: boolean;
  deleted: boolean;
  selected: boolean;
  current: boolean;
}

/** A context that can also fill the glyphs of a mid zoom (a canvas's can; the report's SvgCtx draws letters only). */
export type MarkCtx = Ctx & GlyphCtx & { fill(): void };

/** Classes from the least severe up: the later path is drawn over the earlier, so a V's mark is not hidden under an N's. */
const BY_SEVERITY = (palette: Palette) => Object.keys(palette.classes).sort((a, b) => (SEVERITY[a] ?? -1) - (SEVERITY[b] ?? -1));

/**
 * Beat marks along the top of the trace, each class told apart by more than its colour (WCAG 1.4.1):
 * zoomed in (`text`) its letter (reviewed: boxed) and reference labels along the bottom (grey, dotted);
 * zoomed out its glyph (lib/beat-glyphs.ts, as full disclosure and the tachogram draw it), or where
 * beats are denser still its own tick (`BEAT_TICKS`); there a flagged beat also has a cap at the top.
 * One path per class however many beats (a 24-hour record puts thousands on screen).
 */
export function drawBeats(ctx: Ctx, marks: readonly BeatMark[], top: number, height: number, style: 'text' | 'tick', palette?: Palette): void;
export function drawBeats(ctx: MarkCtx, marks: readonly BeatMark[], top: number, height: number, style: MarkStyle, palette?: Palette): void;
export function drawBeats(ctx: Ctx, marks: readonly BeatMark[], top: number, height: number, style: MarkStyle, palette: Palette = SCREEN_PALETTE): void {
  const withText = style === 'text';
  const half = withText ? 9 : style === 'glyph' ? Math.ceil(GLYPH_R) + 1 : 1;
  ctx.fillStyle = palette.flagged;
  for (const m of marks) if (m.flagged) ctx.fillRect(m.x - half, top, 2 * half, height);
  ctx.fillStyle = palette.selected;
  for (const m of marks) if (m.selected || m.current) ctx.fillRect(m.x - half, top, 2 * half, height);
  const capY = top + (style === 'glyph' ? FLAG_CAP.glyphY : FLAG_CAP.tickY);
  for (const label of BY_SEVERITY(palette)) {
    const colour = palette.classes[label]!;
    const tick = style === 'tick' ? (BEAT_TICKS[label] ?? TEXT_TICK) : TEXT_TICK;
    ctx.strokeStyle = colour;
    ctx.lineWidth = tick.width;
    ctx.beginPath();
    for (const m of marks) {
      if (m.label !== label) continue;
      if (style !== 'glyph') tickPath(ctx, tick, m.x, top);
      // zoomed in, the shading a letter wide shows the flag (a cap there would run into a reviewed letter's box)
      if (m.flagged && !withText) capPath(ctx, m.x, capY, tick.width);
    }
    ctx.stroke();
    if (style !== 'glyph') continue;
    const g = ctx as MarkCtx;
    g.fillStyle = colour;
    g.beginPath();
    for (const m of marks) if (m.label === label) glyphPath(g, label, m.x, top + GLYPH_Y, GLYPH_R);
    g.fill();
  }
  ctx.lineWidth = 1;
  for (const m of marks) {
    if (!m.current) continue;
    ctx.strokeStyle = palette.cursor;
    ctx.strokeRect(m.x - half - 0.5, top + 0.5, 2 * half + 1, height - 1);
  }
  if (!withText) return;
  ctx.textAlign = 'center';
  ctx.font = 'bold 12px system-ui, sans-serif';
  for (const m of marks) {
    const colour = palette.classes[m.label] ?? '#ffffff';
    ctx.fillStyle = colour;
    ctx.globalAlpha = m.deleted ? 0.45 : 1;
    ctx.fillText(m.deleted ? '✕' : m.label, m.x, top + 13);
    if (m.reviewed) {
      ctx.strokeStyle = colour;
      ctx.strokeRect(m.x - 7.5, top + 1.5, 15, 14);
    }
  }
  ctx.globalAlpha = 1;
  ctx.font = 'italic 11px system-ui, sans-serif';
  ctx.fillStyle = palette.reference;
  for (const m of marks) if (m.ref !== null) ctx.fillText(m.ref, m.x, top + height - 4);
}
