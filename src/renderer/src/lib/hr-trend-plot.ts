// Geometry of the HR trend plot (lib/hr-trend.ts) as SVG paths and ticks: the min–max band and
// the mean line per minute, bpm and time ticks. Pure, so the component only places the strings.
// A minute with no neighbour to join (a strip shorter than a minute has only one) is a dot on a
// min–max bar: a line or band through one point draws nothing.
import { tickStep } from './time';
import { ELAPSED, recordAxisTicks, type RecordClock } from './clock';
import type { HrTrend } from './hr-trend';

export interface TrendBox {
  width: number;
  height: number;
  /** Left margin for the bpm numbers, bottom margin for the times. */
  left: number;
  bottom: number;
}

export interface TrendGeometry {
  band: string;
  mean: string;
  /** The mean of each minute drawn alone (no line through one point). */
  dots: { x: number; y: number }[];
  yTicks: { bpm: number; y: number }[];
  xTicks: { label: string; x: number }[];
  /** Pixel x of a record time, and back. */
  x: (sec: number) => number;
  secAt: (px: number) => number;
  y: (bpm: number) => number;
  /** Pixel x of minute m's point: the middle of its part within the record. */
  minuteX: (m: number) => number;
}

/** bpm axis: round 20s around the rates shown, within 20–260 (a 300-bpm artefact does not flatten the rest). */
export function bpmDomain(t: HrTrend): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let m = 0; m < t.count.length; m++) {
    if (!t.count[m]) continue;
    lo = Math.min(lo, t.min[m]!);
    hi = Math.max(hi, t.max[m]!);
  }
  if (!(lo <= hi)) return [40, 120];
  const a = Math.max(20, Math.floor(lo / 20) * 20);
  const b = Math.min(260, Math.max(a + 40, Math.ceil(hi / 20) * 20));
  return [a, b];
}

/** `clock`: time ticks on round times of day when the header gives the start (lib/clock.ts), else elapsed. */
export function trendGeometry(t: HrTrend, fs: number, durationSec: number, box: TrendBox, clock: RecordClock = ELAPSED): TrendGeometry {
  const [lo, hi] = bpmDomain(t);
  const plotW = Math.max(1, box.width - box.left - 2);
  const plotH = Math.max(1, box.height - box.bottom - 4);
  const dur = durationSec > 0 ? durationSec : 1;
  const x = (sec: number) => box.left + (Math.max(0, Math.min(dur, sec)) / dur) * plotW;
  const secAt = (px: number) => Math.max(0, Math.min(dur, ((px - box.left) / plotW) * dur));
  const y = (bpm: number) => 4 + (1 - (Math.max(lo, Math.min(hi, bpm)) - lo) / (hi - lo)) * plotH;
  const binSec = t.binFrames / fs;
  // the last minute's middle within the record, not past its end (where x would pin it)
  const minuteX = (m: number) => x((m * binSec + Math.min((m + 1) * binSec, dur)) / 2);
  let band = '';
  let mean = '';
  const dots: { x: number; y: number }[] = [];
  const run: { x: number; mean: number; hi: number; lo: number }[] = [];
  const f = (v: number) => v.toFixed(1);
  const flush = () => {
    if (run.length === 1) {
      const p = run[0]!;
      band += `M${f(p.x - 3)},${f(p.hi)}H${f(p.x + 3)}V${f(p.lo)}H${f(p.x - 3)}Z`;
      dots.push({ x: p.x, y: p.mean });
    } else if (run.length) {
      mean += `M${run.map((p) => `${f(p.x)},${f(p.mean)}`).join('L')}`;
      band += `M${run.map((p) => `${f(p.x)},${f(p.hi)}`).join('L')}L${run
        .map((p) => `${f(p.x)},${f(p.lo)}`)
        .reverse()
        .join('L')}Z`;
    }
    run.length = 0;
  };
  for (let m = 0; m < t.count.length; m++) {
    // a minute without intervals (a gap) breaks the lines instead of bridging it
    if (!t.count[m]) flush();
    else run.push({ x: minuteX(m), mean: y(t.mean[m]!), hi: y(t.max[m]!), lo: y(t.min[m]!) });
  }
  flush();
  const step = hi - lo > 120 ? 40 : 20;
  const yTicks: { bpm: number; y: number }[] = [];
  for (let v = lo; v <= hi; v += step) yTicks.push({ bpm: v, y: y(v) });
  // whole seconds at least: the labels have none (a 4-s strip read 00:00 00:01 00:01 …), and the trend's bins are minutes
  const tStep = Math.max(1, tickStep(plotW / dur, 70));
  const xTicks: { label: string; x: number }[] = [];
  // a label needs ~24 px either side: none cut by the right edge
  for (const k of recordAxisTicks(clock, dur, tStep)) if (x(k.sec) <= box.width - 24) xTicks.push({ label: k.label, x: x(k.sec) });
  return { band, mean, dots, yTicks, xTicks, x, secAt, y, minuteX };
}
