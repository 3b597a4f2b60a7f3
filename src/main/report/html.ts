// The report page: header, summary tables in the clinic's vocabulary, the hourly table, trend
// plots, event strips and (optionally) full disclosure, as one self-contained HTML document that
// Chromium prints (A4 or US Letter; strips and full disclosure on landscape pages).
import { formatDuration, formatHms } from '../../renderer/src/lib/time';
import { clockAndElapsed, clockDescription, clockParts, clockRange, clockSpan, clockTime } from '../../renderer/src/lib/clock';
import { HRV_MIN_NN_SEC } from './figures';
import { longestRrTitle, type EventStrip, type HolterReport } from './model';
import { hrTrendSvg, pvcTrendSvg, tachogramSvg } from './trends';
import { escapeXml as esc } from './svg-ctx';
import { RATE_MIN_READABLE_SEC } from '../../shared/analysis';

import type { PaperSize } from '../../shared/report';
export type { PaperSize };

export interface DrawnStrip {
  strip: EventStrip;
  svg: string;
}

export interface PageParts {
  strips: DrawnStrip[];
  /** Full-disclosure lines (SVG, one minute each), when asked for. */
  disclosure?: { fromSec: number; svg: string }[];
  /** The lead the full disclosure draws (its description); default the record's first signal. */
  disclosureLead?: string;
  /** The signals the analysis read (header numbers); default: all the record's signals are listed as its leads. */
  leads?: readonly number[];
  paper: PaperSize;
  /** When the report was made (ISO). */
  madeAt: string;
  appVersion: string;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** The leads the figures come from; a record with more signals says how many it holds (a 15-lead record analysed on two leads is no 15-lead review). */
export function leadsText(signals: readonly string[], analysed?: readonly number[]): string {
  const read = analysed?.filter((i) => i >= 0 && i < signals.length);
  if (!read?.length || read.length === signals.length) return signals.join(', ');
  return `${read.map((i) => signals[i]!).join(', ')} (analysed; the record holds ${signals.length} signals: ${signals.join(', ')})`;
}
const int = (x: number) => String(Math.round(x));
const bpm = (x: number) => (Number.isFinite(x) ? `${Math.round(x)} bpm` : '—');
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} ms` : '—');

function rows(cells: [string, string][]): string {
  return cells.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
}

function table(title: string, cells: [string, string][]): string {
  return `<table class="kv"><caption>${esc(title)}</caption>${rows(cells)}</table>`;
}

/** When a sample was: the clock time with the elapsed time beside it, or elapsed alone when the header gives no start. */
function at(r: HolterReport, sample: number): string {
  return sample >= 0 ? clockAndElapsed(r.clock, sample / r.record.fs) : '—';
}

/** A span [from, to) of samples: "14:32:05 – 14:32:15 (elapsed 02:28:00 – 02:28:10)", or elapsed alone. */
function span(r: HolterReport, from: number, to: number): string {
  return clockRange(r.clock, from / r.record.fs, to / r.record.fs);
}

function header(r: HolterReport, p: PageParts): string {
  const rec = r.record;
  const beat = r.models.find((m) => m.task === 'beat');
  const rhythm = r.models.find((m) => m.task === 'rhythm');
  const model = (m: typeof beat) => (m ? `${m.id} ${m.version} (${m.provider})` : '—');
  const start = [rec.baseDate, rec.baseTime].filter(Boolean).join(' ') || 'not in the header';
  const end = r.clock.startSec === null ? '' : `, ends ${clockTime(r.clock, rec.durationSec)}`;
  return `<header><h1>Holter report</h1><div class="made">${esc(p.madeAt.slice(0, 16).replace('T', ' '))} UTC · Heartbeat Sensei ${esc(p.appVersion)}</div></header>
<table class="kv ident">${rows([
    ['Record', rec.name],
    ['Patient / record information', rec.info.length ? rec.info.join(' · ') : 'none in the header'],
    ['Recording start', `${start}${end}`],
    ['Times', clockDescription(r.clock)],
    ['Duration', `${formatHms(rec.durationSec)} (${formatDuration(rec.durationSec)})`],
    ['Analysed time', formatHms(r.analysedSec)],
    ['Unreadable time', formatHms(r.unreadableSec)],
    ['Leads', leadsText(rec.signals, p.leads)],
    ['Reviewer', r.reviewed ? r.reviewer || 'not named in the review file' : 'not reviewed: model output'],
    ['Review date', r.reviewed && r.reviewedAt ? r.reviewedAt.slice(0, 10) : '—'],
    ...(r.reviewed && r.decided
      ? ([['Reviewed', `${r.decided.beats} of ${r.decided.beatsTotal} beats, ${r.decided.episodes} of ${r.decided.episodesTotal} episodes decided`]] as [
          string,
          string,
        ][])
      : []),
    ['Beat model', model(beat)],
    ['Rhythm model', model(rhythm)],
    ...(r.modelsNote ? ([['Models of the review', r.modelsNote]] as [string, string][]) : []),
    ['Operating threshold P(V)', r.threshold === null ? 'none: reviewed before any analysis (reference labels)' : r.threshold.toFixed(3)],
    ...(r.recording
      ? ([
          [
            `Recording-level call (model${r.recordingRejected ? '; the reviewer rejected its episode' : ''})`,
            `${r.recording.label} (${Math.round(100 * r.recording.confidence)} %): ${r.recording.explanation}`,
          ],
        ] as [string, string][])
      : []),
  ])}</table>`;
}

function summaryTables(r: HolterReport): string {
  const s = r.summary;
  const v = s.v;
  const vt = r.vtRuns;
  const runText = (x: typeof vt.longest) => (x ? `${x.beats} beats at ${bpm(x.bpm)}, ${at(r, x.onsetSample)}` : 'none');
  const af = r.af;
  return `<div class="cols">
${table('Beats and heart rate', [
  ['Total beats', int(s.beats)],
  ['Mean heart rate', bpm(s.hr.mean)],
  ...((s.hr.minAt >= 0
    ? [
        ['Minimum heart rate (1-min mean)', `${bpm(s.hr.min)} at ${at(r, s.hr.minAt)}`],
        ['Maximum heart rate (1-min mean)', `${bpm(s.hr.max)} at ${at(r, s.hr.maxAt)}`],
      ]
    : [['Minimum / maximum heart rate (1-min mean)', '— (no whole minute of readable signal)']]) as [string, string][]),
])}
${table('Ventricular ectopy', [
  ['PVC count', int(v.count)],
  [r.unreadableSec > 0 ? 'PVC burden (of the beats on readable signal)' : 'PVC burden', pct(v.burden)],
  [
    r.unreadableSec > 0 ? 'PVCs per hour of analysed (readable) time' : 'PVCs per hour',
    Number.isFinite(v.perHour) ? v.perHour.toFixed(1) : `— (under ${RATE_MIN_READABLE_SEC / 60} min of readable signal)`,
  ],
  ['Couplets', int(v.couplets)],
  ['Triplets', int(v.triplets)],
  [`VT runs (≥ ${r.scan.vtMinBeats} beats, > ${r.scan.vtMinRateBpm} bpm)`, int(vt.count)],
  ['VT episodes', int(s.vt.kept - s.vt.vf)],
  ['VF episodes', int(s.vt.vf)],
  ['Longest VT run', runText(vt.longest)],
  ['Fastest VT run', runText(vt.fastest)],
  ['Bigeminy episodes', int(v.bigeminy)],
  ['Trigeminy episodes', int(v.trigeminy)],
])}
${table('Supraventricular ectopy', [
  ['S beat count', int(s.s.count)],
  ['S burden', pct(s.s.burden)],
  ['Couplets', int(s.s.couplets)],
  [`SVT runs (≥ ${r.scan.svtMinBeats} beats, > ${r.scan.svtMinRateBpm} bpm)`, int(r.svtRuns.count)],
  ['Longest SVT run', runText(r.svtRuns.longest)],
])}
${table('Atrial fibrillation / flutter', [
  ['AF burden', pct(af.burden)],
  ['AF episodes', int(af.episodes.length)],
  ['Longest AF episode', af.longest ? `${formatDuration(af.longest.sec)}, ${span(r, af.longest.onsetSample, af.longest.offsetSample)}` : 'none'],
])}
${table('Pauses', [
  ['Pause threshold', `${r.scan.pauseSec.toFixed(1)} s`],
  ['Pauses', int(s.pauses)],
  [longestRrTitle(s.longestPauseSec, r.scan.pauseSec), s.longestPauseAt >= 0 ? `${s.longestPauseSec.toFixed(2)} s at ${at(r, s.longestPauseAt)}` : 'none'],
])}
${table('Heart-rate variability (NN intervals outside AF, VT/VF and unreadable time)', [
  ['NN intervals', Number.isFinite(r.hrv.sdnnMs) ? int(r.hrv.nn) : `${int(r.hrv.nn)} (under ${HRV_MIN_NN_SEC / 60} min of them: no SDNN, RMSSD or pNN50)`],
  ['SDNN', ms(r.hrv.sdnnMs)],
  ['SDANN (5 min)', ms(r.hrv.sdannMs)],
  ['RMSSD', ms(r.hrv.rmssdMs)],
  ['pNN50', Number.isFinite(r.hrv.pnn50) ? pct(r.hrv.pnn50) : '—'],
])}
</div>
<p class="sign">Reviewed and signed: ______________________________ &nbsp; Date: ______________</p>`;
}

/** The AF episodes, the first 40 listed; with a clock, the onset's elapsed time in a column of its own. */
function afTable(r: HolterReport): string {
  const eps = r.af.episodes;
  if (!eps.length) return '';
  const fs = r.record.fs;
  const clock = r.clock.startSec !== null;
  const rows = eps
    .slice(0, 40)
    .map(
      (e, i) =>
        `<tr><td>${i + 1}</td><td>${clockTime(r.clock, e.onsetSample / fs)}</td><td>${clockTime(r.clock, e.offsetSample / fs)}</td><td>${formatDuration(e.sec)}</td>${clock ? `<td>${formatHms(e.onsetSample / fs)}</td>` : ''}</tr>`
    )
    .join('');
  const more = eps.length > 40 ? `<tr><td colspan="${clock ? 5 : 4}">… ${eps.length - 40} more</td></tr>` : '';
  return `<table class="grid"><caption>AF episodes (onset – offset)</caption><tr><th>#</th><th>onset</th><th>offset</th><th>duration</th>${clock ? '<th>onset, elapsed</th>' : ''}</tr>${rows}${more}</table>`;
}

/** Rows by the hour from the recording's start; with a clock, each labelled by its clock span (the last row's ends with the record) and its elapsed start beside it. */
function hourlyTable(r: HolterReport): string {
  const f = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : '—');
  const clock = r.clock.startSec !== null;
  const label = (hour: number) =>
    clock
      ? `<td>${esc(clockSpan(r.clock, hour * 3600, Math.min((hour + 1) * 3600, r.record.durationSec)))}</td><td>${formatHms(hour * 3600).slice(0, 5)}</td>`
      : `<td>${formatHms(hour * 3600).slice(0, 5)}</td>`;
  return `<table class="grid hourly"><caption>Hourly table</caption><tr>${clock ? '<th>clock time</th><th>elapsed</th>' : '<th>hour</th>'}<th>beats</th><th>HR min</th><th>HR mean</th><th>HR max</th><th>PVCs</th><th>S beats</th><th>pauses</th></tr>${r.hourly
    .map(
      (h) =>
        `<tr>${label(h.hour)}<td>${h.beats}</td><td>${f(h.hrMin)}</td><td>${f(h.hrMean)}</td><td>${f(h.hrMax)}</td><td>${h.v}</td><td>${h.s}</td><td>${h.pauses}</td></tr>`
    )
    .join('')}</table>`;
}

function stripsPage(r: HolterReport, strips: DrawnStrip[]): string {
  if (!strips.length) return '';
  return strips
    .map(
      (d) =>
        `<section class="strip" data-kind="${d.strip.kind}"><h3>${esc(d.strip.title)} — ${esc(d.strip.finding)} <span class="t">${span(r, d.strip.fromSample, d.strip.toSample)} · 25 mm/s · 10 mm/mV</span></h3>${d.svg}</section>`
    )
    .join('');
}

const CSS = (paper: PaperSize) => `
@page { size: ${paper} portrait; margin: 12mm; }
@page wide { size: ${paper} landscape; margin: 10mm; }
* { box-sizing: border-box; }
body { font: 9pt system-ui, sans-serif; color: #111; margin: 0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #c62828; margin-bottom: 4mm; }
h1 { font-size: 16pt; margin: 0; } .made { color: #555; }
h2 { font-size: 11pt; margin: 3mm 0 1mm; }
h3 { font-size: 9.5pt; margin: 0 0 1mm; } h3 .t { font-weight: normal; color: #555; }
table { border-collapse: collapse; margin-bottom: 3mm; break-inside: avoid; }
caption { text-align: left; font-weight: 600; padding: 1mm 0; }
.kv th { text-align: left; font-weight: normal; color: #444; padding: 0.4mm 3mm 0.4mm 0; }
.kv td { font-weight: 600; padding: 0.4mm 0; }
.ident { width: 100%; } .ident th { width: 48mm; white-space: nowrap; }
.cols .kv th { width: 40mm; }
.cols { columns: 2; column-gap: 8mm; }
.grid th, .grid td { border: 0.5px solid #bbb; padding: 0.5mm 2mm; text-align: right; }
.hourly { width: 100%; font-size: 8pt; } .hourly td, .hourly th { padding: 0.2mm 2mm; }
.sign { margin-top: 8mm; }
.page { break-after: page; }
.wide { page: wide; }
.trend { margin: 0 0 2mm; break-inside: avoid; } .trend figcaption { font-weight: 600; }
.strip { break-inside: avoid; margin-bottom: 5mm; }
.strip svg, .fd svg { display: block; }
@media screen { html { background: #8a949e; } body { background: #fff; max-width: 277mm; margin: 6mm auto; padding: 10mm; } .page { border-bottom: 1px dashed #999; margin-bottom: 8mm; padding-bottom: 4mm; } }
.fd { page: wide; } .fd .line { display: flex; align-items: center; } .fd .line span { width: 16mm; font-size: 7pt; color: #555; }
`;

/** A full-disclosure line's start: its time (of day, or elapsed), under it the day when not the first. */
function lineLabel(r: HolterReport, sec: number): string {
  const p = clockParts(r.clock, sec);
  return p.day ? `${p.time}<br>${esc(p.day)}` : p.time;
}

export function reportHtml(r: HolterReport, p: PageParts): string {
  const disclosure = p.disclosure?.length
    ? `<section class="fd"><h2>Full disclosure — lead ${esc(p.disclosureLead ?? r.record.signals[0] ?? '0')}, one minute per line</h2>${p.disclosure.map((l) => `<div class="line"><span>${lineLabel(r, l.fromSec)}</span>${l.svg}</div>`).join('')}</section>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Holter report — ${esc(r.record.name)}</title><style>${CSS(p.paper)}</style></head><body>
<section class="page">${header(r, p)}${summaryTables(r)}</section>
<section class="page">${hourlyTable(r)}${hrTrendSvg(r)}${pvcTrendSvg(r)}${tachogramSvg(r)}${afTable(r)}</section>
<section class="wide${disclosure ? ' page' : ''}"><h2>Event strips</h2>${stripsPage(r, p.strips) || '<p>No significant finding.</p>'}</section>
${disclosure}
</body></html>`;
}
