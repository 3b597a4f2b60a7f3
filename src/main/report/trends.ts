// Trend plots of the report as SVG: HR per minute (the HR trend panel's geometry), PVCs per hour
// and the RR tachogram, all from the report's own figures.
import { trendGeometry } from '../../renderer/src/lib/hr-trend-plot';
import { tickStep } from '../../renderer/src/lib/time';
import { recordAxisTicks, type RecordClock } from '../../renderer/src/lib/clock';
import type { HolterReport } from './model';
import { escapeXml } from './svg-ctx';

const W = 680;
const H = 120;
const LEFT = 40;
const BOTTOM = 18;
const AXIS = '#555555';

function frame(body: string, title: string, width = W, height = H): string {
  return `<figure class="trend"><figcaption>${escapeXml(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="10">${body}</svg></figure>`;
}

/** Time ticks under a plot: on round times of day when the report has a clock, else elapsed. */
function timeAxis(x: (sec: number) => number, durationSec: number, plotW: number, clock: RecordClock): string {
  const step = tickStep(plotW / Math.max(1, durationSec), 60);
  let s = `<line x1="${LEFT}" x2="${W - 2}" y1="${H - BOTTOM}" y2="${H - BOTTOM}" stroke="${AXIS}"/>`;
  for (const t of recordAxisTicks(clock, durationSec, step)) {
    const px = x(t.sec);
    if (px > W - 24) break;
    s += `<line x1="${px}" x2="${px}" y1="${H - BOTTOM}" y2="${H - BOTTOM + 4}" stroke="${AXIS}"/><text x="${px}" y="${H - 4}" text-anchor="middle" fill="${AXIS}">${t.label}</text>`;
  }
  return s;
}

export function hrTrendSvg(r: HolterReport): string {
  const g = trendGeometry(r.summary.trend, r.record.fs, r.record.durationSec, { width: W, height: H, left: LEFT, bottom: BOTTOM }, r.clock);
  let s = `<path d="${g.band}" fill="#90a4ae" opacity="0.5"/><path d="${g.mean}" fill="none" stroke="#c62828" stroke-width="1.2"/>`;
  for (const t of g.yTicks)
    s += `<line x1="${LEFT}" x2="${W - 2}" y1="${t.y}" y2="${t.y}" stroke="#dddddd"/><text x="${LEFT - 4}" y="${t.y + 3}" text-anchor="end" fill="${AXIS}">${t.bpm}</text>`;
  for (const t of g.xTicks)
    s += `<line x1="${t.x}" x2="${t.x}" y1="${H - BOTTOM}" y2="${H - BOTTOM + 4}" stroke="${AXIS}"/><text x="${t.x}" y="${H - 4}" text-anchor="middle" fill="${AXIS}">${t.label}</text>`;
  s += `<line x1="${LEFT}" x2="${W - 2}" y1="${H - BOTTOM}" y2="${H - BOTTOM}" stroke="${AXIS}"/>`;
  return frame(s, 'Heart rate per minute (bpm): mean line, min–max band');
}

export function pvcTrendSvg(r: HolterReport): string {
  const hours = r.hourly;
  const max = Math.max(1, ...hours.map((h) => h.v));
  const plotW = W - LEFT - 2;
  const plotH = H - BOTTOM - 8;
  const bw = plotW / hours.length;
  let s = '';
  for (const h of hours) {
    const bh = (h.v / max) * plotH;
    s += `<rect x="${(LEFT + h.hour * bw + 1).toFixed(1)}" y="${(H - BOTTOM - bh).toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="#d50000"/>`;
  }
  s += `<text x="${LEFT - 4}" y="12" text-anchor="end" fill="${AXIS}">${max}</text><text x="${LEFT - 4}" y="${H - BOTTOM}" text-anchor="end" fill="${AXIS}">0</text>`;
  s += timeAxis((t) => LEFT + (t / Math.max(1, r.record.durationSec)) * plotW, r.record.durationSec, plotW, r.clock);
  return frame(s, 'PVCs per hour');
}

/** RR of the kept beats against time: per pixel column the shortest and longest RR (so no pause is lost), 0–2.5 s. */
export function tachogramSvg(r: HolterReport): string {
  const { sample } = r.kept;
  const fs = r.record.fs;
  const plotW = W - LEFT - 2;
  const plotH = H - BOTTOM - 8;
  const maxSec = Math.max(2.5, Math.min(10, r.summary.longestPauseSec + 0.2));
  const lo = new Float32Array(plotW).fill(NaN);
  const hi = new Float32Array(plotW).fill(NaN);
  const dur = Math.max(1, r.record.durationSec);
  for (let i = 1; i < sample.length; i++) {
    if (!r.rrRead[i]) continue; // across unreadable signal: no interval (as the review's tachogram)
    const c = Math.min(plotW - 1, Math.floor((sample[i]! / fs / dur) * plotW));
    const rr = (sample[i]! - sample[i - 1]!) / fs;
    if (!(rr >= lo[c]!)) lo[c] = rr;
    if (!(rr <= hi[c]!)) hi[c] = rr;
  }
  const y = (sec: number) => 8 + (1 - Math.min(maxSec, sec) / maxSec) * plotH;
  let d = '';
  for (let c = 0; c < plotW; c++)
    if (!Number.isNaN(lo[c]!)) d += `M${LEFT + c + 0.5} ${y(hi[c]!).toFixed(1)}L${LEFT + c + 0.5} ${(y(lo[c]!) + 0.5).toFixed(1)}`;
  let s = `<path d="${d}" stroke="#1565c0" stroke-width="1" fill="none"/>`;
  for (const v of [0.5, 1, 1.5, 2])
    if (v < maxSec)
      s += `<text x="${LEFT - 4}" y="${y(v) + 3}" text-anchor="end" fill="${AXIS}">${v.toFixed(1)}</text><line x1="${LEFT}" x2="${W - 2}" y1="${y(v)}" y2="${y(v)}" stroke="#eeeeee"/>`;
  s += timeAxis((t) => LEFT + (t / dur) * plotW, r.record.durationSec, plotW, r.clock);
  return frame(s, 'RR tachogram (s)');
}
