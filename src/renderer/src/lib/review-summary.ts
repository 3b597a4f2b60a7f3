// The Holter summary of the review: what the reviewer signs. Figures come from the final labels
// (the reviewer's where there is one, else the model's at the threshold), without deleted or
// X beats and with added ones, and from the episodes the reviewer did not reject. Each figure
// carries how much of what it counts a reviewer decided, and the model's own figure beside it.
import { RATE_MIN_READABLE_SEC, episodeName, hasRatePerHour, noRateIn, perReadableHour, type Episode, type EpisodeType } from '../../../shared/analysis';
import type { EpisodeStatus } from '../../../shared/review';
import { DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../../../shared/scan-settings';
import { beatsInside } from '../../../main/quality/intervals';
import { hrTrend, hrExtremes, type HrTrend } from './hr-trend';
import { LABEL_ORDER, STATUS, lowerBound, type ReviewBeats } from './beats';
import { formatHms } from './time';

const S = LABEL_ORDER.indexOf('S');
const V = LABEL_ORDER.indexOf('V');
const X = LABEL_ORDER.indexOf('X');
/** The code a beat in unreadable time counts as (no class): no ectopy figure counts it, runs break at it. */
export const UNREADABLE_CODE = 255;

/** How much of a figure a reviewer decided: `reviewed` of the `of` beats (or episodes) it rests on. */
export interface Provenance {
  reviewed: number;
  of: number;
}

export interface EctopyFigure {
  /** Beats of the class on readable signal: one inside a kept noise episode counts for no ectopy figure. */
  count: number;
  /** Share of the beats on readable signal. */
  burden: number;
  /** Per hour of readable signal (the record less its unreadable time); NaN, none, under RATE_MIN_READABLE_SEC of it. */
  perHour: number;
  /** The model's count at the threshold, before any review. */
  model: number;
  /** Beats that are this class in the review or in the model's call, and how many a reviewer decided. */
  provenance: Provenance;
  couplets: number;
  triplets: number;
  /** Runs of ≥ 3 beats faster than the run rate (VT for V, SVT for S). */
  runs: number;
  longestRunBeats: number;
  /** Runs of ≥ 3 beats at any rate. */
  longestAnyRunBeats: number;
  /** The fastest counted run (VT for V, SVT for S): where it starts, its rate and length; null when none. */
  fastest: { onsetSample: number; bpm: number; beats: number } | null;
  /** Stretches of ≥ 3 single ectopic beats every 2nd beat (bigeminy) or every 3rd beat (trigeminy). */
  bigeminy: number;
  trigeminy: number;
}

export interface EpisodeFigure {
  /** Seconds covered by the kept episodes over the record's duration. */
  burden: number;
  modelBurden: number;
  kept: number;
  rejected: number;
  provenance: Provenance;
}

export interface ReviewSummary {
  beats: number;
  /** Beats of the analysis (or reference) before the review: the model's beat count. */
  modelBeats: number;
  reviewedBeats: number;
  addedBeats: number;
  deletedBeats: number;
  v: EctopyFigure;
  s: EctopyFigure;
  af: EpisodeFigure;
  /** VT episodes, VF ones among them; `vf`: the kept ones named VF. */
  vt: EpisodeFigure & { vf: number };
  longestPauseSec: number;
  /** Sample of the beat that opens the longest pause (-1: none). */
  longestPauseAt: number;
  /** RR intervals longer than the scan settings' pause limit (outside rejected pause / noise episodes). */
  pauses: number;
  /** The scan settings the figures were counted under. */
  scan: ScanSettings;
  /**
   * min / max: the lowest and highest 1-minute mean rates of whole minutes (lib/hr-trend.ts), with the
   * sample each minute starts at; NaN and -1 when no minute is whole (a strip, mostly noise): the
   * mean of an irregular strip is no minimum or maximum.
   */
  hr: { mean: number; min: number; max: number; minAt: number; maxAt: number };
  /** Unreadable time: the noise episodes the reviewer did not reject (their union), and its share of the record; heart rate and pauses leave it out. */
  unreadable: { sec: number; share: number };
  /** Per-minute HR of the kept beats: the trend plot draws the same minutes the min / max come from. */
  trend: HrTrend;
  episodesDecided: number;
  episodesTotal: number;
}

/** The episode fields the summary reads: a ReviewEpisodeView fits. */
export interface SummaryEpisode {
  type: EpisodeType;
  /** 'VF' on a VT episode of fibrillation or flutter (counted as VT, named VF). */
  rhythm?: Episode['rhythm'];
  onsetSample: number;
  offsetSample: number;
  status: EpisodeStatus;
  /** The model's (or reference's) episode under the decision, with its source where known; null for one the reviewer added. */
  base: { onsetSample: number; offsetSample: number; source?: Episode['source'] } | null;
}

export interface SummaryOptions {
  fs: number;
  durationSec: number;
  /** Pause limit and VT / SVT run criteria; the defaults when absent. */
  scan?: ScanSettings;
}

/** Seconds covered by the union of the intervals. */
export function unionSec(iv: readonly (readonly [number, number])[], fs: number): number {
  const s = [...iv].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cs = 0;
  let ce = -1;
  for (const [a, b] of s) {
    if (a > ce) {
      if (ce > cs) total += ce - cs;
      cs = a;
      ce = b;
    } else ce = Math.max(ce, b);
  }
  if (ce > cs) total += ce - cs;
  return total / fs;
}

/** Maximal runs of consecutive beats of class `cls` (first and last index, inclusive). */
export function classRuns(codes: Uint8Array, cls: number): [number, number][] {
  const out: [number, number][] = [];
  for (let k = 0; k < codes.length; k++) {
    if (codes[k] !== cls) continue;
    let e = k;
    while (e + 1 < codes.length && codes[e + 1] === cls) e++;
    out.push([k, e]);
    k = e;
  }
  return out;
}

/**
 * Stretches where single beats of `cls` come every `period`-th beat (2: bigeminy, 3: trigeminy)
 * for at least 3 cycles: counted once per stretch.
 */
export function everyNth(codes: Uint8Array, cls: number, period: number): number {
  let episodes = 0;
  let cycles = 0;
  let last = -Infinity;
  for (let k = 0; k < codes.length; k++) {
    if (codes[k] !== cls) continue;
    const single = (k === 0 || codes[k - 1] !== cls) && (k + 1 >= codes.length || codes[k + 1] !== cls);
    if (!single) {
      cycles = 0;
      last = -Infinity;
      continue;
    }
    cycles = k - last === period ? cycles + 1 : 1;
    last = k;
    if (cycles === 3) episodes++;
  }
  return episodes;
}

/**
 * The codes the ectopy figures count: a beat inside a kept noise episode (unreadable signal) is
 * left out (UNREADABLE_CODE), as a Holter scanner leaves artefact out of its counts and as the
 * analysis's summary does (summary.ts readableLabels).
 */
export function readableCodes(sample: Int32Array, codes: Uint8Array, episodes: readonly SummaryEpisode[]): Uint8Array {
  const inside = beatsInside(
    sample,
    episodes.filter((e) => e.type === 'NOISE' && e.status !== 'rejected')
  );
  return codes.map((c, k) => (inside[k] ? UNREADABLE_CODE : c));
}

function ectopy(
  codes: Uint8Array,
  sample: Int32Array,
  cls: number,
  fs: number,
  /** Beats and seconds on readable signal: the burden's and the rate's denominators. */
  readable: { beats: number; sec: number },
  minBeats: number,
  minBpm: number,
  inRejected: (from: number, to: number) => boolean
): Omit<EctopyFigure, 'model' | 'provenance'> {
  let count = 0;
  for (let k = 0; k < codes.length; k++) if (codes[k] === cls) count++;
  const f: Omit<EctopyFigure, 'model' | 'provenance'> = {
    fastest: null,
    count,
    burden: readable.beats ? count / readable.beats : 0,
    perHour: perReadableHour(count, readable.sec) ?? NaN,
    couplets: 0,
    triplets: 0,
    runs: 0,
    longestRunBeats: 0,
    longestAnyRunBeats: 0,
    bigeminy: everyNth(codes, cls, 2),
    trigeminy: everyNth(codes, cls, 3),
  };
  for (const [a, b] of classRuns(codes, cls)) {
    const len = b - a + 1;
    if (len === 2) f.couplets++;
    if (len === 3) f.triplets++;
    if (len < minBeats) continue;
    f.longestAnyRunBeats = Math.max(f.longestAnyRunBeats, len);
    // rate over the run's intervals, the one into its first beat included
    const from = Math.max(0, a - 1);
    const bpm = b > from ? (60 * fs * (b - from)) / (sample[b]! - sample[from]!) : 0;
    if (bpm > minBpm && !inRejected(sample[a]!, sample[b]!)) {
      f.runs++;
      f.longestRunBeats = Math.max(f.longestRunBeats, len);
      if (!f.fastest || bpm > f.fastest.bpm) f.fastest = { onsetSample: sample[a]!, bpm, beats: len };
    }
  }
  return f;
}

function episodeFigure(episodes: readonly SummaryEpisode[], type: EpisodeType, fs: number, durationSec: number): EpisodeFigure {
  const mine = episodes.filter((e) => e.type === type);
  const kept = mine.filter((e) => e.status !== 'rejected');
  const share = (iv: (readonly [number, number])[]) => (durationSec > 0 ? Math.min(1, unionSec(iv, fs) / durationSec) : 0);
  return {
    burden: share(kept.map((e) => [e.onsetSample, e.offsetSample] as const)),
    modelBurden: share(mine.flatMap((e) => (e.base ? [[e.base.onsetSample, e.base.offsetSample] as const] : []))),
    kept: kept.length,
    rejected: mine.length - kept.length,
    provenance: { reviewed: mine.filter((e) => e.status !== 'unreviewed').length, of: mine.length },
  };
}

/** The summary of the review at threshold `t` (labels of unreviewed beats follow it). */
export function reviewSummary(beats: ReviewBeats, t: number, episodes: readonly SummaryEpisode[], o: SummaryOptions): ReviewSummary {
  // typed per-beat arrays (labels, predictions, edit status): one pass over 100 000 beats per edit
  const all = beats.labelCodes(t);
  const pred = beats.predictedCodes(t);
  const status = beats.statusCodes();
  // the model's count and the provenance are of the beats the figures count: on readable signal
  const unreadable = beatsInside(
    beats.sample,
    episodes.filter((e) => e.type === 'NOISE' && e.status !== 'rejected')
  );
  const sample = new Int32Array(beats.count);
  const codes = new Uint8Array(beats.count);
  let kept = 0;
  let reviewedBeats = 0;
  let addedBeats = 0;
  let deletedBeats = 0;
  let modelBeats = 0;
  const model = { v: 0, s: 0 };
  const candidates = { v: 0, s: 0, vReviewed: 0, sReviewed: 0 };
  for (let i = 0; i < beats.count; i++) {
    const st = status[i]!;
    const reviewed = st !== STATUS.none;
    if (reviewed) reviewedBeats++;
    if (st === STATUS.added) addedBeats++;
    const predicted = pred[i]!;
    if (predicted >= 0) modelBeats++;
    const deleted = st === STATUS.deleted || all[i] === X;
    if (deleted && predicted >= 0) deletedBeats++;
    const code = deleted ? -1 : unreadable[i] ? UNREADABLE_CODE : all[i]!;
    if (!unreadable[i]) {
      if (predicted === V) model.v++;
      if (predicted === S) model.s++;
      if (predicted === V || code === V) {
        candidates.v++;
        if (reviewed) candidates.vReviewed++;
      }
      if (predicted === S || code === S) {
        candidates.s++;
        if (reviewed) candidates.sReviewed++;
      }
    }
    if (deleted) continue;
    sample[kept] = beats.sample[i]!;
    codes[kept++] = code;
  }
  return summaryOf(sample.subarray(0, kept), codes.subarray(0, kept), episodes, o, { modelBeats, reviewedBeats, addedBeats, deletedBeats, model, candidates });
}

/**
 * Whether the RR interval [from, to] may count as a pause (this summary and the report's hourly table
 * alike): not inside a rejected pause episode; over unreadable signal (a noise episode kept) or a
 * VT/VF episode kept (no QRS to find) only where a kept pause episode marks it. As the analysis reads
 * its own (summary.ts pauseIntervals), the rhythm model's noise alone hides none (asystole's bare
 * baseline reads as noise) and a VT run of beat labels none (it has its beats); an episode whose
 * source is not known (the reviewer's own, or one of a WFDB review file or a JSON or CSV export made before
 * exports carried it: ReviewedEpisode.source) hides.
 */
export function pauseCounts(episodes: readonly SummaryEpisode[]): (from: number, to: number) => boolean {
  const of = (type: EpisodeType, kept: boolean) => episodes.filter((e) => e.type === type && (e.status !== 'rejected') === kept);
  const inside = (eps: readonly SummaryEpisode[]) => (from: number, to: number) => eps.some((e) => from >= e.onsetSample && to <= e.offsetSample);
  const rejectedPause = inside(of('PAUSE', false));
  const marked = inside(of('PAUSE', true));
  const hides = (e: SummaryEpisode) => e.base?.source === undefined || e.base.source !== (e.type === 'NOISE' ? 'model' : 'rules');
  const hidden = [...of('NOISE', true), ...of('VT', true)].filter(hides);
  return (from, to) => !rejectedPause(from, to) && (!hidden.some((e) => from < e.offsetSample && to > e.onsetSample) || marked(from, to));
}

/** The kept episodes over which RR intervals are no heart rate (noRateIn: unreadable signal, VF), as [onset, offset). */
export function noRateSpans(episodes: readonly SummaryEpisode[]): [number, number][] {
  return episodes.filter((e) => e.status !== 'rejected' && noRateIn(e)).map((e) => [e.onsetSample, e.offsetSample]);
}

/**
 * Whether the summary reads the RR interval [from, to] (frames): over readable signal outside
 * fibrillation / flutter, as the heart rate does, or else (over a noise or VF episode kept) only as
 * a pause it counts (longer than `pauseSec`, where pauseCounts lets one count). The tachogram and the
 * Poincaré plot show these intervals only: one over an unreadable stretch or across fibrillation is
 * no rate and no pause (the heart rate and the pauses leave it out), and drawn it read as either.
 */
export function intervalRead(episodes: readonly SummaryEpisode[], fs: number, pauseSec: number): (from: number, to: number) => boolean {
  // the kept noise and VF as a sorted union: one binary search an interval (a day's 100 000 intervals on each deletion)
  const noisy = noRateSpans(episodes).sort((x, y) => x[0] - y[0]);
  if (!noisy.length) return () => true;
  const on: number[] = [];
  const off: number[] = [];
  for (const [a, b] of noisy)
    if (on.length && a <= off[off.length - 1]!) off[off.length - 1] = Math.max(off[off.length - 1]!, b);
    else {
      on.push(a);
      off.push(b);
    }
  const counts = pauseCounts(episodes);
  return (from, to) => {
    // the first stretch ending after `from`: the interval overlaps noise when that stretch starts before `to`
    const j = lowerBound(off, from + 1);
    const unreadable = j < on.length && on[j]! < to;
    return !unreadable || ((to - from) / fs > pauseSec && counts(from, to));
  };
}

function summaryOf(
  sample: Int32Array,
  codes: Uint8Array,
  episodes: readonly SummaryEpisode[],
  o: SummaryOptions,
  c: {
    modelBeats: number;
    reviewedBeats: number;
    addedBeats: number;
    deletedBeats: number;
    model: { v: number; s: number };
    candidates: { v: number; s: number; vReviewed: number; sReviewed: number };
  }
): ReviewSummary {
  const { modelBeats, reviewedBeats, addedBeats, deletedBeats, model, candidates } = c;
  const scan = o.scan ?? { ...DEFAULT_SCAN_SETTINGS };
  const rejected = (type: EpisodeType) => {
    const iv = episodes.filter((e) => e.type === type && e.status === 'rejected');
    return (from: number, to: number) => iv.some((e) => from >= e.onsetSample && to <= e.offsetSample);
  };
  const noisy = episodes.filter((e) => e.type === 'NOISE' && e.status !== 'rejected');
  const unreadableSec = Math.min(
    o.durationSec,
    unionSec(
      noisy.map((e) => [e.onsetSample, e.offsetSample] as const),
      o.fs
    )
  );
  // codes hold UNREADABLE_CODE for the beats in unreadable time (reviewSummary)
  let readableBeats = 0;
  for (let k = 0; k < codes.length; k++) if (codes[k] !== UNREADABLE_CODE) readableBeats++;
  const readable = { beats: readableBeats, sec: Math.max(0, o.durationSec - unreadableSec) };
  const v = ectopy(codes, sample, V, o.fs, readable, scan.vtMinBeats, scan.vtMinRateBpm, rejected('VT'));
  const s = ectopy(codes, sample, S, o.fs, readable, scan.svtMinBeats, scan.svtMinRateBpm, () => false);
  const counts = pauseCounts(episodes);
  let longestPause = 0;
  let longestPauseAt = -1;
  let pauses = 0;
  for (let k = 1; k < sample.length; k++) {
    const gap = (sample[k]! - sample[k - 1]!) / o.fs;
    if (gap <= scan.pauseSec && gap <= longestPause) continue;
    if (!counts(sample[k - 1]!, sample[k]!)) continue;
    if (gap > scan.pauseSec) pauses++;
    if (gap > longestPause) {
      longestPause = gap;
      longestPauseAt = sample[k - 1]!;
    }
  }
  // heart rate over readable signal only, and not across fibrillation or flutter (no QRS to count)
  const noRate = noRateSpans(episodes);
  const trend = hrTrend(sample, o.fs, (from, to) => noRate.some(([a, b]) => from < b && to > a));
  const ext = hrExtremes(trend);
  return {
    beats: sample.length,
    modelBeats,
    reviewedBeats,
    addedBeats,
    deletedBeats,
    v: { ...v, model: model.v, provenance: { reviewed: candidates.vReviewed, of: candidates.v } },
    s: { ...s, model: model.s, provenance: { reviewed: candidates.sReviewed, of: candidates.s } },
    af: episodeFigure(episodes, 'AF', o.fs, o.durationSec),
    vt: {
      ...episodeFigure(episodes, 'VT', o.fs, o.durationSec),
      vf: episodes.filter((e) => e.status !== 'rejected' && episodeName(e) === 'VF').length,
    },
    longestPauseSec: longestPause,
    longestPauseAt,
    pauses,
    scan,
    hr: {
      mean: trend.meanBpm,
      min: ext.min?.meanBpm ?? NaN,
      max: ext.max?.meanBpm ?? NaN,
      minAt: ext.min?.startSample ?? -1,
      maxAt: ext.max?.startSample ?? -1,
    },
    unreadable: { sec: unreadableSec, share: o.durationSec > 0 ? unreadableSec / o.durationSec : 0 },
    trend,
    episodesDecided: episodes.filter((e) => e.status !== 'unreviewed').length,
    episodesTotal: episodes.length,
  };
}

/** The kept VT episodes, VF ones named apart (they are VT by type): "3 VT episodes", "2 VT · 1 VF episodes", "1 VF episode". */
export function vtEpisodesText(f: { kept: number; vf: number }): string {
  const vt = f.kept - f.vf;
  const parts = [...(vt || !f.vf ? [`${vt} VT`] : []), ...(f.vf ? [`${f.vf} VF`] : [])];
  return `${parts.join(' · ')} episode${f.kept === 1 ? '' : 's'}`;
}

/**
 * What the longest RR interval is called: a pause only when it is one (over the pause limit); else,
 * with no pause, the longest RR interval. The report's table and strip and the Summary panel use it.
 */
export function longestRrTitle(sec: number, pauseSec: number): string {
  return sec > pauseSec ? 'Longest pause' : 'Longest RR interval';
}

/** The Summary panel's words for it: "longest pause", "longest RR interval". */
export function longestRrName(sec: number, pauseSec: number): string {
  const t = longestRrTitle(sec, pauseSec);
  return `${t[0]!.toLowerCase()}${t.slice(1)}`;
}

/**
 * What the heart rate leaves out, beside it: unreadable signal (kept noise) and fibrillation or
 * flutter (kept VF episodes: no QRS to count); null when it leaves out nothing.
 */
export function hrScopeNote(s: Pick<ReviewSummary, 'unreadable' | 'vt'>): string | null {
  const noise = s.unreadable.sec > 0;
  const vf = s.vt.vf > 0;
  if (noise && vf) return '(readable signal outside VF only)';
  if (noise) return '(readable signal only)';
  return vf ? '(outside VF only)' : null;
}

/**
 * The ectopy rate as the panel shows it: per hour of readable signal, which it says where part of
 * the record is unreadable ("100/readable h": mitdb 105, 46 PVCs in 30 min with 2.5 min unreadable,
 * is 100 an hour of readable signal, 92 an hour of recording); "/h" where all of it is readable;
 * "—" and why where there is too little readable signal for a rate (perHour NaN).
 */
export function perHourText(perHour: number, unreadableSec: number): string {
  if (!Number.isFinite(perHour)) return `—/h (under ${RATE_MIN_READABLE_SEC / 60} min readable)`;
  return `${perHour.toFixed(0)}/${unreadableSec > 0 ? 'readable ' : ''}h`;
}

/** The tooltip of an ectopy line: what its count, burden and rate are of. */
export function ectopyTitle(what: string, unreadableSec: number, durationSec: number): string {
  const readableSec = Math.max(0, durationSec - unreadableSec);
  const readable = formatHms(readableSec);
  const noRate = !hasRatePerHour(readableSec)
    ? `; no rate per hour from under ${RATE_MIN_READABLE_SEC / 60} min of readable signal (a few minutes say little of an hour)`
    : '';
  return unreadableSec > 0
    ? `${what}: count, burden and rate on readable signal only (${formatHms(unreadableSec)} unreadable, kept noise episodes, left out): burden of the beats on readable signal, rate per hour of readable signal (${readable})${noRate}`
    : `${what}: count, share of the beats and rate per hour (${readable}, all of it readable)${noRate}`;
}

/** 'model' (nothing decided), 'reviewed' (all of it), else 'k of n reviewed'. */
export function provenanceText(p: Provenance): string {
  if (p.of === 0) return '';
  if (p.reviewed === 0) return 'model';
  if (p.reviewed >= p.of) return 'reviewed';
  return `${p.reviewed} of ${p.of} reviewed`;
}
