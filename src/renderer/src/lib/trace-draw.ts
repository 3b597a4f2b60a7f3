// One frame of the main trace: rhythm-episode bands, ECG paper, the leads, the calibration pulse,
// beat marks, calipers and the hh:mm:ss axis. Plain drawing on the few context members it uses;
// the component gathers the frame's inputs and calls drawTrace.
import { drawGrid, drawSignal, drawBeats, THEME, type BeatMark, type MarkCtx } from './draw';
import { markStyle, type MarkStyle } from './beat-glyphs';
import { gridLines, pxPerMillivolt } from './paper';
import { tickStep, stepDigits } from './time';
import { clockTicks, ELAPSED, type RecordClock } from './clock';
import { EPISODE_COLOURS, EPISODE_SHORT_NAMES } from './episode-colours';
import { bandLabels, type Band } from './overview';
import type { Columns } from './columns';
import type { ReviewEpisodeView } from './episodes';
import type { SignalWindow } from '../../../shared/review';
import { episodeName } from '../../../shared/analysis';

export const AXIS_H = 22;
export const BAND_H = 14;
/** Room kept for the class legend at the right of the axis row (it used to cover the episode band), by what it keys: letters, glyphs or ticks. */
export const LEGEND_W: Readonly<Record<MarkStyle, number>> = { text: 120, glyph: 232, tick: 216 };

/** Text measuring and glyph fills as well as drawing (the axis keeps its labels apart). */
export type TraceCtx = MarkCtx & {
  measureText(text: string): { width: number };
  setTransform(a: number, b: number, c: number, d: number, e: number, f: number): void;
  save(): void;
  restore(): void;
  rect(x: number, y: number, w: number, h: number): void;
  clip(): void;
};

export type Caliper = { t0: number; v0: number; t1: number; v1: number; lead: number };

/** The time window and scale of a frame. */
export interface TraceGeometry {
  width: number;
  height: number;
  fs: number;
  startSec: number;
  pxPerSec: number;
  durationSec: number;
  /** mm/mV */
  gain: number;
  /** Lead indices shown, top to bottom. */
  leads: readonly number[];
  /** The times the axis and read-outs show (lib/clock.ts); default elapsed. */
  clock?: RecordClock;
}

export interface TraceFrame extends TraceGeometry {
  /** Name of each lead of the record, by lead index. */
  leadNames: readonly (string | undefined)[];
  episodes: readonly ReviewEpisodeView[];
  /** An episode edge being dragged: its band drawn at the dragged bounds. */
  edgeDrag: { key: string; onsetSample: number; offsetSample: number } | null;
  data: SignalWindow | null;
  marks: readonly BeatMark[] | null;
  calipers: readonly Caliper[];
  march: boolean;
}

/** Top of lead band k of n. */
export function bandTop(g: Pick<TraceGeometry, 'height'>, k: number, n: number): number {
  return BAND_H + ((g.height - AXIS_H - BAND_H) * k) / n;
}

function bandMid(g: Pick<TraceGeometry, 'height'>, k: number, n: number): number {
  const top = bandTop(g, k, n);
  return top + (bandTop(g, k + 1, n) - top) / 2;
}

/** Draws the frame; returns the column scratch the signal drawing reuses next frame. */
export function drawTrace(ctx: TraceCtx, f: TraceFrame, scratch: Columns | undefined): Columns | undefined {
  const w = f.width;
  ctx.fillStyle = THEME.background;
  ctx.fillRect(0, 0, w, f.height);
  const framesPerPx = f.fs / f.pxPerSec;
  const startFrame = f.startSec * f.fs;
  const plotH = f.height - AXIS_H - BAND_H;
  const pxPerMv = pxPerMillivolt(f.gain);
  drawGrid(ctx, gridLines(f.startSec, f.pxPerSec, w, plotH, pxPerMv, f.gain), w, plotH, BAND_H);
  drawEpisodes(ctx, f, startFrame, framesPerPx, plotH);
  const data = f.data;
  const n = f.leads.length;
  if (!data || data.from > startFrame + w * framesPerPx || data.to < startFrame) {
    ctx.fillStyle = '#8fa3b8';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText('Loading the signal…', w / 2, BAND_H + plotH / 2);
  }
  f.leads.forEach((lead, k) => {
    const mid = bandMid(f, k, n);
    const top = bandTop(f, k, n);
    // each lead within its band: a tall R wave in a small window ran over the next lead and the axis
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, top, w, bandTop(f, k + 1, n) - top);
    ctx.clip();
    if (data && data.min[lead] && noSignal(data.min[lead]!, (startFrame - data.from) / data.bucket, (startFrame + w * framesPerPx - data.from) / data.bucket)) {
      // a lead of invalid samples draws no line: say so, or the band reads as a lead not loaded
      ctx.fillStyle = '#8fa3b8';
      ctx.font = '12px system-ui, sans-serif';
      ctx.textAlign = 'center';
      ctx.fillText('no signal (invalid samples)', w / 2, mid);
    } else if (data && data.min[lead]) {
      scratch = drawSignal(
        ctx,
        { from: data.from, bucket: data.bucket, min: data.min[lead]!, max: data.max[lead]! },
        startFrame,
        framesPerPx,
        w,
        (v) => mid - v * pxPerMv,
        THEME.trace,
        scratch
      );
    }
    ctx.restore();
    ctx.fillStyle = '#8fa3b8';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    // under the beat labels' ticks (22 px below the band's top)
    ctx.fillText(f.leadNames[lead] ?? `lead ${lead}`, 6, top + 34);
  });
  if (n) drawCalibration(ctx, w, bandMid(f, 0, n), pxPerMv);
  const style = f.marks ? markStyle(f.marks.length, w) : 'text';
  if (f.marks) drawBeats(ctx, f.marks, BAND_H, plotH, style);
  f.calipers.forEach((c, k) => drawCaliper(ctx, f, c, k + 1, f.march && k === f.calipers.length - 1));
  drawAxis(ctx, f, LEGEND_W[style]);
  return scratch;
}

/** Whether points [a, b) of a window's lead (clipped to it) are all invalid (NaN); false when none are in it. */
export function noSignal(min: Float32Array, a: number, b: number): boolean {
  const from = Math.max(0, Math.floor(a));
  const to = Math.min(min.length, Math.ceil(b));
  for (let i = from; i < to; i++) if (!Number.isNaN(min[i]!)) return false;
  return to > from;
}

/** Rhythm episodes: a band along the top with grips at the edges, faint shading over the trace. */
function drawEpisodes(ctx: TraceCtx, f: TraceFrame, startFrame: number, framesPerPx: number, plotH: number): void {
  const w = f.width;
  /** Every band in view, and whether it is one to name here (kept, too narrow for its name and confidence). */
  const bands: Band[] = [];
  const toName: boolean[] = [];
  ctx.font = 'bold 10px system-ui, sans-serif';
  ctx.textAlign = 'left';
  for (const e of f.episodes) {
    const d = f.edgeDrag?.key === e.key ? f.edgeDrag : e;
    const x0 = (d.onsetSample - startFrame) / framesPerPx;
    const x1 = (d.offsetSample - startFrame) / framesPerPx;
    if (x1 < 0 || x0 > w) continue;
    ctx.globalAlpha = e.status === 'rejected' ? 0.25 : 0.9;
    ctx.fillStyle = EPISODE_COLOURS[e.type];
    ctx.fillRect(Math.max(0, x0), 1, Math.min(w, x1) - Math.max(0, x0), BAND_H - 3);
    ctx.globalAlpha = 0.07;
    ctx.fillRect(Math.max(0, x0), BAND_H, Math.min(w, x1) - Math.max(0, x0), plotH);
    ctx.globalAlpha = 1;
    ctx.fillStyle = f.edgeDrag?.key === e.key ? THEME.cursor : '#e6e9ef';
    for (const x of [x0, x1]) if (x >= 0 && x <= w) ctx.fillRect(Math.round(x) - 1, 1, 2, BAND_H - 3);
    const name = episodeName(e);
    const wide = x1 - Math.max(0, x0) > 70;
    if (wide) {
      ctx.fillStyle = '#0b0e12';
      ctx.fillText(`${name} ${Math.round(e.confidence * 100)}%${e.status !== 'unreviewed' ? ' · ' + e.status : ''}`, Math.max(2, x0 + 3), BAND_H - 4);
    }
    bands.push({ x0: Math.max(0, x0), x1: Math.min(w, Math.max(x1, x0 + 2)), name, short: EPISODE_SHORT_NAMES[name] });
    toName.push(!wide && e.status !== 'rejected');
  }
  // a band too narrow for its name and confidence (zoomed out, a VT run is a few pixels of white grips):
  // its name on it or beside it, as the overview writes it, not its colour alone
  bandLabels(bands, (t) => ctx.measureText(t).width, w).forEach((l, k) => {
    if (!l || !toName[k]) return;
    ctx.fillStyle = l.on ? '#0b0e12' : '#c8d0da';
    // on the band, a pixel further in: clear of its grip
    ctx.fillText(l.text, l.on ? l.x + 1 : l.x, BAND_H - 4);
  });
}

/** 1 mV calibration pulse at the right edge of the first lead. */
function drawCalibration(ctx: TraceCtx, w: number, mid: number, pxPerMv: number): void {
  ctx.strokeStyle = '#8fa3b8';
  ctx.beginPath();
  ctx.moveTo(w - 30, mid);
  ctx.lineTo(w - 24, mid);
  ctx.lineTo(w - 24, mid - pxPerMv);
  ctx.lineTo(w - 14, mid - pxPerMv);
  ctx.lineTo(w - 14, mid);
  ctx.lineTo(w - 8, mid);
  ctx.stroke();
}

function drawCaliper(ctx: TraceCtx, f: TraceFrame, c: Caliper, num: number, marching: boolean): void {
  const n = f.leads.length;
  const k = Math.max(0, f.leads.indexOf(c.lead));
  const mid = bandMid(f, k, n);
  const pxPerMv = pxPerMillivolt(f.gain);
  const x0 = (c.t0 - f.startSec) * f.pxPerSec;
  const x1 = (c.t1 - f.startSec) * f.pxPerSec;
  const y0 = mid - c.v0 * pxPerMv;
  const y1 = mid - c.v1 * pxPerMv;
  ctx.strokeStyle = THEME.cursor;
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(x0, BAND_H);
  ctx.lineTo(x0, f.height - AXIS_H);
  ctx.moveTo(x1, BAND_H);
  ctx.lineTo(x1, f.height - AXIS_H);
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y0);
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 + 12, y1);
  const step = Math.abs(x1 - x0);
  if (marching && step >= 4) {
    // ticks at every multiple of the interval, both ways, across the view
    const top = bandTop(f, k, n);
    const bottom = bandTop(f, k + 1, n);
    for (let x = Math.min(x0, x1) - step * Math.ceil(Math.min(x0, x1) / step); x <= f.width; x += step) {
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + 10);
      ctx.moveTo(x, bottom - 10);
      ctx.lineTo(x, bottom);
    }
  }
  ctx.stroke();
  if (f.calipers.length > 1) {
    ctx.fillStyle = THEME.cursor;
    ctx.font = 'bold 11px system-ui, sans-serif';
    ctx.fillText(String(num), Math.max(x0, x1) + 3, BAND_H + 12);
  }
}

/** A caliper's read-out: interval, its rate, amplitude difference. */
export function caliperText(c: Caliper): string {
  const dt = Math.abs(c.t1 - c.t0) * 1000;
  const dv = c.v1 - c.v0;
  return `${dt.toFixed(0)} ms · ${dt > 0 ? (60000 / dt).toFixed(0) : '—'} bpm · ${dv >= 0 ? '+' : ''}${dv.toFixed(2)} mV`;
}

/** The hh:mm:ss axis under the trace, on the canvas (an SVG axis re-laid out on every zoom frame cost more than the trace). */
function drawAxis(ctx: TraceCtx, f: TraceFrame, legendW: number): void {
  const y = f.height - AXIS_H;
  const step = tickStep(f.pxPerSec, 90);
  const digits = stepDigits(step);
  const end = f.startSec + f.width / f.pxPerSec;
  ctx.strokeStyle = '#8fa3b8';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(0, y + 0.5);
  ctx.lineTo(f.width, y + 0.5);
  const xs: number[] = [];
  // Ticks within the record only (the view may show a margin before its start or after its end),
  // on round times of day when the header gives the start
  const ticks = clockTicks(f.clock ?? ELAPSED, Math.max(0, f.startSec), Math.min(end, f.durationSec), step, digits);
  for (const t of ticks) {
    const x = Math.round((t.sec - f.startSec) * f.pxPerSec) + 0.5;
    xs.push(x);
    ctx.moveTo(x, y);
    ctx.lineTo(x, y + 6);
  }
  ctx.stroke();
  ctx.fillStyle = '#8fa3b8';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textAlign = 'center';
  // Labels clear of the class legend at the right end of the axis row.
  xs.forEach((x, i) => {
    const label = ticks[i]!.label;
    const half = ctx.measureText(label).width / 2 + 2;
    const at = Math.max(x, half);
    if (at + half < f.width - legendW) ctx.fillText(label, at, y + 17);
  });
}
