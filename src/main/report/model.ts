// The Holter report as data: every figure the printed page shows, from the reviewed state. Pure
// (no I/O): the page (html.ts) only lays it out, the CLI and the app only fetch its inputs.
import type { ModelUse, Recording } from '../../shared/analysis';
import { DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../../shared/scan-settings';
import { intervalRead, longestRrTitle, readableCodes, reviewSummary, unionSec, type ReviewSummary } from '../../renderer/src/lib/review-summary';
import { recordClock, type RecordClock } from '../../renderer/src/lib/clock';
import type { ReviewedState } from './reviewed-state';
import {
  fastestBeatIn,
  fastRuns,
  hourly,
  hrv,
  intervalsOf,
  keptBeats,
  longestRun,
  pauseCounts,
  readableBetween,
  S,
  vtRuns,
  type HourRow,
  type Hrv,
  type KeptBeats,
  type Run,
} from './figures';

export const STRIP_SEC = 10;

export interface ReportRecord {
  name: string;
  fs: number;
  nFrames: number;
  durationSec: number;
  /** The header's start date and time as written there (null when absent). */
  baseDate: string | null;
  baseTime: string | null;
  /** The header's info lines (patient / record identification). */
  info: string[];
  /** Signal descriptions, in order. */
  signals: string[];
}

export interface ReportInput {
  record: ReportRecord;
  state: ReviewedState;
  models: readonly ModelUse[];
  /** The analysis's recording-level call (model output, shown as such). */
  recording?: Recording;
  /** The review was made on another model version's analysis (make.ts modelsNote). */
  modelsNote?: string;
  scan?: ScanSettings;
  /** Strips the reviewer asked for: a time (sample) and what it shows. */
  marked?: readonly { sample: number; note: string }[];
}

export type StripKind = 'vt' | 'svt' | 'hr-max' | 'hr-min' | 'pause' | 'af' | 'marked';

export interface EventStrip {
  kind: StripKind;
  title: string;
  /** The finding in words, with its figures. */
  finding: string;
  /** The 10-s window [from, to) in samples. */
  fromSample: number;
  toSample: number;
  /** Where the finding is (sample). */
  atSample: number;
}

export interface AfEpisode {
  onsetSample: number;
  offsetSample: number;
  sec: number;
}

export interface HolterReport {
  record: ReportRecord;
  /** The times the page shows: clock times from the header's start, else elapsed (`problem` says when the header's start was unusable). */
  clock: RecordClock;
  reviewed: boolean;
  reviewer: string | null;
  reviewedAt: string | null;
  /** How much the review decided (ReviewedState.decided). */
  decided: ReviewedState['decided'];
  /** null: the review was made before any analysis, no threshold applied. */
  threshold: number | null;
  models: readonly ModelUse[];
  recording: Recording | null;
  modelsNote: string | null;
  /** The review rejected the episode the recording-level call stands on (the header says so beside the call). */
  recordingRejected: boolean;
  scan: ScanSettings;
  /** Seconds of kept noise episodes (unreadable), and the rest (analysed). */
  unreadableSec: number;
  analysedSec: number;
  summary: ReviewSummary;
  vtRuns: { count: number; longest: Run | null; fastest: Run | null };
  svtRuns: { count: number; longest: Run | null; fastest: Run | null };
  af: { burden: number; episodes: AfEpisode[]; longest: AfEpisode | null };
  hrv: Hrv;
  hourly: HourRow[];
  strips: EventStrip[];
  /** The kept beats the figures count (for the trend plots). */
  kept: KeptBeats;
  /** Per kept beat from the second on: 1 when the interval that ends at it is drawn (the review's intervalRead: none across unreadable signal unless a pause the summary counts). */
  rrRead: Uint8Array;
}

function rrReadMask(sample: Int32Array, read: (from: number, to: number) => boolean): Uint8Array {
  const m = new Uint8Array(sample.length);
  for (let i = 1; i < sample.length; i++) m[i] = read(sample[i - 1]!, sample[i]!) ? 1 : 0;
  return m;
}

function fastest(runs: readonly Run[]): Run | null {
  let best: Run | null = null;
  for (const r of runs) if (!best || r.bpm > best.bpm) best = r;
  return best;
}

export function holterReport(input: ReportInput): HolterReport {
  const { record, state } = input;
  const fs = record.fs;
  const scan = input.scan ?? { ...DEFAULT_SCAN_SETTINGS };
  const summary = reviewSummary(state.beats, state.threshold, state.episodes, { fs, durationSec: record.durationSec, scan });
  const kept = keptBeats(state.beats, state.threshold);
  // the beats the ectopy figures count, as the summary counts them: none in unreadable time
  const counted = { sample: kept.sample, code: readableCodes(kept.sample, kept.code, state.episodes) };
  const noise = intervalsOf(state.episodes, 'NOISE', true);
  const unreadableSec = Math.min(record.durationSec, unionSec(noise, fs));
  const vt = vtRuns(counted, fs, scan, state.episodes);
  const svt = fastRuns(counted, fs, S, scan.svtMinBeats, scan.svtMinRateBpm, []);
  const afEpisodes = intervalsOf(state.episodes, 'AF', true)
    .map(([a, b]) => ({ onsetSample: a, offsetSample: b, sec: (b - a) / fs }))
    .sort((a, b) => a.onsetSample - b.onsetSample);
  const afLongest = afEpisodes.reduce<AfEpisode | null>((m, e) => (!m || e.sec > m.sec ? e : m), null);
  const report: HolterReport = {
    record,
    clock: recordClock(record.baseTime, record.baseDate),
    // a review that decided nothing (the app's own preview of untouched model output) is model output
    reviewed: state.decided !== null && state.decided.beats + state.decided.episodes > 0,
    reviewer: state.reviewer,
    reviewedAt: state.reviewedAt,
    decided: state.decided,
    threshold: state.analysed ? state.threshold : null,
    models: input.models,
    recording: input.recording ?? null,
    modelsNote: input.modelsNote ?? null,
    recordingRejected: callRejected(input.recording ?? null, state.episodes),
    scan,
    unreadableSec,
    analysedSec: record.durationSec - unreadableSec,
    summary,
    vtRuns: { count: vt.length, longest: longestRun(vt), fastest: fastest(vt) },
    svtRuns: { count: svt.length, longest: longestRun(svt), fastest: fastest(svt) },
    af: { burden: summary.af.burden, episodes: afEpisodes, longest: afLongest },
    hrv: hrv(kept, fs, [...noise, ...intervalsOf(state.episodes, 'AF', true), ...intervalsOf(state.episodes, 'VT', true)]),
    hourly: hourly(counted, fs, record.durationSec, summary.trend, scan.pauseSec, pauseCounts(state.episodes), readableBetween(state.episodes)),
    strips: [],
    kept,
    rrRead: rrReadMask(kept.sample, intervalRead(state.episodes, fs, scan.pauseSec)),
  };
  report.strips = eventStrips(report, input.marked ?? []);
  return report;
}

/** A 10-s window placed so that `at` sits `lead` seconds in, kept within the record. */
export function stripWindow(at: number, fs: number, nFrames: number, lead = STRIP_SEC / 2): [number, number] {
  const len = Math.round(STRIP_SEC * fs);
  const from = Math.max(0, Math.min(Math.max(0, nFrames - len), Math.round(at - lead * fs)));
  return [from, Math.min(nFrames, from + len)];
}

const bpmText = (b: number) => `${Math.round(b)} bpm`;

/** What the longest RR interval is called (the Summary panel's word too: lib/review-summary.ts). */
export { longestRrTitle };

/** The significant findings, each on a strip: longest VT run, fastest SVT run, fastest and slowest HR, longest pause, AF onset, then the reviewer's. */
export function eventStrips(r: HolterReport, marked: readonly { sample: number; note: string }[]): EventStrip[] {
  const fs = r.record.fs;
  const n = r.record.nFrames;
  const out: EventStrip[] = [];
  const add = (kind: StripKind, title: string, finding: string, at: number, lead?: number) => {
    const [fromSample, toSample] = stripWindow(at, fs, n, lead);
    out.push({ kind, title, finding, fromSample, toSample, atSample: at });
  };
  const vt = r.vtRuns.longest;
  if (vt) add('vt', 'Longest VT run', `${vt.beats} beats at ${bpmText(vt.bpm)}`, vt.onsetSample, 2);
  const svt = r.svtRuns.fastest;
  if (svt) add('svt', 'Fastest SVT run', `${svt.beats} beats at ${bpmText(svt.bpm)}`, svt.onsetSample, 2);
  const minute = Math.round(60 * fs);
  const { hr } = r.summary;
  if (hr.maxAt >= 0) {
    const at = fastestBeatIn(r.kept, hr.maxAt, hr.maxAt + minute);
    if (at >= 0) add('hr-max', 'Fastest heart rate', `minute mean ${bpmText(hr.max)}`, at);
  }
  if (hr.minAt >= 0) add('hr-min', 'Slowest heart rate', `minute mean ${bpmText(hr.min)}`, hr.minAt + minute / 2);
  if (r.summary.longestPauseAt >= 0) {
    const sec = r.summary.longestPauseSec;
    add('pause', longestRrTitle(sec, r.scan.pauseSec), `${sec.toFixed(2)} s RR`, r.summary.longestPauseAt + (sec * fs) / 2);
  }
  const af = r.af.longest;
  if (af) add('af', 'AF onset', `longest episode, ${af.sec.toFixed(0)} s`, af.onsetSample, 3);
  for (const m of marked) add('marked', 'Marked by the reviewer', m.note, m.sample);
  return out;
}

/** Whether the review rejected the episode a recording-level call names (its type, and its onset inside the episode). */
function callRejected(call: Recording | null, episodes: ReviewedState['episodes']): boolean {
  if (!call?.episodeType) return false;
  return episodes.some(
    (e) => e.status === 'rejected' && e.type === call.episodeType && e.onsetSample <= call.sample && call.sample < Math.max(e.offsetSample, e.onsetSample + 1)
  );
}
