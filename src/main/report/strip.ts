// An event strip on ECG paper: 10 s of every lead at 25 mm/s and 10 mm/mV with the beat labels,
// drawn by the trace's own functions (grid, signal columns, beat marks) into any Ctx: an SvgCtx for
// the report, a canvas for the trace comparison. No Node import (it also runs in a browser).
import { drawBeats, drawGrid, drawSignal, type Ctx, type Palette } from '../../renderer/src/lib/draw';
import { gridLines, pxPerMillivolt, pxPerSecond } from '../../renderer/src/lib/paper';
import { beatMarks } from '../../renderer/src/lib/marks';
import type { ReviewBeats } from '../../renderer/src/lib/beats';

export const STRIP_SPEED = 25;
export const STRIP_GAIN = 10;
/** Paper height per lead, mm: ±1.5 mV at 10 mm/mV. */
export const LEAD_MM = 30;

/** White paper, red grid, dark labels: the printed report's colours. */
export const PAPER_PALETTE: Palette = {
  gridMinor: '#f6c9cf',
  gridMajor: '#e38592',
  flagged: 'rgba(0, 0, 0, 0)',
  selected: 'rgba(0, 0, 0, 0)',
  cursor: '#000000',
  classes: { N: '#37474f', S: '#0277bd', V: '#d50000', F: '#ef6c00', Q: '#7b1fa2', X: '#616161' },
  reference: '#616161',
};
export const PAPER = { background: '#ffffff', trace: '#111111', text: '#333333' };

export interface StripLayout {
  width: number;
  height: number;
  pxPerSec: number;
  pxPerMv: number;
  leadHeight: number;
}

export function stripLayout(seconds: number, leads: number): StripLayout {
  const pxPerSec = pxPerSecond(STRIP_SPEED);
  const pxPerMv = pxPerMillivolt(STRIP_GAIN);
  const leadHeight = pxPerMv * (LEAD_MM / STRIP_GAIN);
  return { width: Math.round(seconds * pxPerSec), height: Math.round(leadHeight * Math.max(1, leads)), pxPerSec, pxPerMv, leadHeight };
}

export interface StripData {
  fs: number;
  fromSample: number;
  /** Physical values per lead for [fromSample, fromSample + length). */
  leads: Float32Array[];
  names: string[];
  beats: ReviewBeats;
  threshold: number;
}

/** Draws the strip into ctx at (0, 0): paper, leads, beat labels (deleted beats left out, no review flags). */
export function drawStrip(ctx: Ctx, d: StripData, seconds: number): StripLayout {
  const L = stripLayout(seconds, d.leads.length);
  const framesPerPx = d.fs / L.pxPerSec;
  ctx.fillStyle = PAPER.background;
  ctx.fillRect(0, 0, L.width, L.height);
  drawGrid(ctx, gridLines(d.fromSample / d.fs, L.pxPerSec, L.width, L.height, L.pxPerMv, STRIP_GAIN), L.width, L.height, 0, PAPER_PALETTE);
  d.leads.forEach((v, k) => {
    const mid = L.leadHeight * (k + 0.5);
    drawSignal(ctx, { from: d.fromSample, bucket: 1, min: v, max: v }, d.fromSample, framesPerPx, L.width, (x) => mid - x * L.pxPerMv, PAPER.trace);
    ctx.fillStyle = PAPER.text;
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'left';
    ctx.fillText(d.names[k] ?? `lead ${k}`, 6, L.leadHeight * k + 28);
  });
  const marks = beatMarks(d.beats, d.threshold, -1, new Set(), d.fromSample, framesPerPx, L.width)
    .filter((m) => !m.deleted)
    .map((m) => ({ ...m, flagged: false, selected: false, current: false }));
  drawBeats(ctx, marks, 0, L.height, 'text', PAPER_PALETTE);
  return L;
}
