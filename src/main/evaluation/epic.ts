// Episode-by-episode comparison of rhythm detections (AF, VT, VF), following WFDB's epic
// (the ANSI/AAMI EC38/EC57 reference implementation):
// - an AF episode starts at a rhythm annotation "(AFIB" and ends at the next rhythm annotation
//   of another rhythm (at the end of the record, or the last annotation, if none); VT the same
//   with "(VT"; VF episodes run from a VFON ([) to a VFOFF (]) annotation;
// - episode sensitivity: reference episodes overlapped (by any amount > 0) by a test episode;
//   episode positive predictivity: test episodes overlapped by a reference episode;
// - duration sensitivity / positive predictivity: overlap time over reference / test episode time;
// - episodes are clipped to the comparison interval (EC57: after the first 5 minutes), episodes
//   shorter than minDurationSec are ignored, and for AF, reference atrial flutter ("(AFL") is
//   excluded from the positive-predictivity pass (the detector is neither penalised nor
//   rewarded for calling flutter AF).
// One addition: kind 'VTA' (ventricular tachyarrhythmia) is the union of VT ("(VT"), ventricular
// flutter and fibrillation ("(VFL", "(VF") rhythm episodes and VFON/VFOFF episodes, overlapping or
// touching ones merged. epic has no such kind; it is how a detector with one class for VT/VFL/VF
// (the rhythm model's "VT") is scored against databases that annotate the three apart (vfdb uses
// "(VT"/"(VFL"/"(VF", cudb "[" "]").
// One deliberate difference: epic reports both duration statistics with the overlap of its
// positive-predictivity pass; here duration Se uses the sensitivity pass's own overlap (the two
// agree unless minDurationSec drops episodes).
import { RHYTHM, VFOFF, VFON } from '../wfdb/codes';
import { EvaluationError } from './errors';
import { secondsToSamples } from './bxb';

/** An episode, in samples: [onset, offset). */
export interface EpisodeInterval {
  onset: number;
  offset: number;
}

export interface RhythmAnnotation {
  sample: number;
  code: number;
  aux?: string | null;
}

export type EpisodeKind = 'AF' | 'AFL' | 'VT' | 'VF' | 'VTA';

const RHYTHM_PREFIX: Readonly<Record<Exclude<EpisodeKind, 'VF' | 'VTA'>, string>> = { AF: '(AFIB', AFL: '(AFL', VT: '(VT' };

/** Rhythm-annotation episodes whose aux starts with one of the prefixes (each run until another rhythm). */
function auxEpisodes(anns: readonly RhythmAnnotation[], prefixes: readonly string[], recordLength: number): EpisodeInterval[] {
  const starts = (a: RhythmAnnotation) => a.code === RHYTHM && prefixes.some((p) => (a.aux ?? '').startsWith(p));
  return runs(anns, starts, (a) => a.code === RHYTHM && !starts(a), recordLength);
}

function runs(
  anns: readonly RhythmAnnotation[],
  starts: (a: RhythmAnnotation) => boolean,
  ends: (a: RhythmAnnotation) => boolean,
  recordLength: number
): EpisodeInterval[] {
  const out: EpisodeInterval[] = [];
  let onset = -1;
  let last = 0;
  for (const a of anns) {
    if (onset < 0) {
      if (starts(a)) onset = a.sample;
    } else if (ends(a)) {
      out.push({ onset, offset: a.sample });
      onset = -1;
    }
    last = a.sample;
  }
  if (onset >= 0) out.push({ onset, offset: Math.max(recordLength, last) });
  return out;
}

/** Sorted union of episode lists, overlapping or touching episodes merged. */
export function unionEpisodes(...lists: EpisodeInterval[][]): EpisodeInterval[] {
  const all = lists.flat().sort((a, b) => a.onset - b.onset || a.offset - b.offset);
  const out: EpisodeInterval[] = [];
  for (const e of all) {
    const prev = out[out.length - 1];
    if (prev && e.onset <= prev.offset) prev.offset = Math.max(prev.offset, e.offset);
    else out.push({ ...e });
  }
  return out;
}

/**
 * Episodes of one kind from an annotation list (rhythm annotations, or VFON/VFOFF for VF).
 * An episode still open at the end closes at max(recordLength, last annotation), as epic does.
 */
export function episodesFromAnnotations(anns: readonly RhythmAnnotation[], kind: EpisodeKind, recordLength = 0): EpisodeInterval[] {
  const vf = () =>
    runs(
      anns,
      (a) => a.code === VFON,
      (a) => a.code === VFOFF,
      recordLength
    );
  if (kind === 'VF') return vf();
  if (kind === 'VTA') return unionEpisodes(auxEpisodes(anns, ['(VT', '(VF'], recordLength), vf());
  return auxEpisodes(anns, [RHYTHM_PREFIX[kind]], recordLength);
}

export interface EpisodeOptions {
  fs: number;
  /** Start of the comparison (s); EC57 uses 300. Default 0. */
  startSec?: number;
  /** End of the comparison (s), e.g. the record length. Default, or 0 (epic -t 0): no end. */
  endSec?: number;
  /** Ignore episodes shorter than this (epic -i). Default 0. */
  minDurationSec?: number;
  /** Intervals excluded from the positive-predictivity pass (for AF: the reference's atrial flutter). */
  exclude?: readonly EpisodeInterval[];
}

export interface EpisodeCount {
  tp: number;
  /** fn for sensitivity, fp for positive predictivity. */
  miss: number;
  value: number | null;
}

export interface DurationRatio {
  overlap: number;
  total: number;
  value: number | null;
}

export interface EpisodeComparison {
  /** Reference episodes detected (tp) and missed. */
  episodeSe: EpisodeCount;
  /** Test episodes that are true (tp) and false. */
  episodePpv: EpisodeCount;
  /** Overlap over reference episode time, in samples. */
  durationSe: DurationRatio;
  /** Overlap over test episode time, in samples. */
  durationPpv: DurationRatio;
  fs: number;
}

function checkEpisodes(list: readonly EpisodeInterval[], what: string): void {
  list.forEach((e, i) => {
    if (!(Number.isFinite(e.onset) && Number.isFinite(e.offset)) || e.offset < e.onset)
      throw new EvaluationError(`${what} episode ${i}: offset ${e.offset} before onset ${e.onset}`);
    if (i > 0 && e.onset < list[i - 1]!.offset) throw new EvaluationError(`${what} episodes overlap or are out of order at ${i}`);
  });
}

interface Pass {
  matched: number;
  unmatched: number;
  duration: number;
  overlap: number;
}

/** One epic pass: each episode of `a` (clipped, exclusions removed) against the episodes of `b`. */
function pass(
  a: readonly EpisodeInterval[],
  b: readonly EpisodeInterval[],
  start: number,
  end: number,
  minLen: number,
  exclude: readonly EpisodeInterval[]
): Pass {
  const out: Pass = { matched: 0, unmatched: 0, duration: 0, overlap: 0 };
  let j = 0;
  for (const ep of a) {
    if (ep.offset < start) continue;
    if (ep.onset >= end) break;
    let s = Math.max(ep.onset, start);
    let e = Math.min(ep.offset, end);
    let duration = e - s;
    for (const x of exclude) {
      if (e <= x.onset) break;
      if (x.onset <= s && s <= x.offset) {
        if (e <= x.offset) {
          duration = -1; // wholly excluded
          break;
        }
        duration -= x.offset - s;
        s = x.offset;
      } else if (s <= x.onset && x.onset <= e) {
        if (x.offset < e) duration -= x.offset - x.onset;
        else {
          duration -= e - x.onset;
          e = x.onset;
        }
      }
    }
    if (duration < minLen) continue;
    out.duration += duration;
    while (j < b.length && b[j]!.offset <= s) j++;
    let overlap = 0;
    for (let k = j; k < b.length && b[k]!.onset < e; k++) overlap += Math.max(0, Math.min(e, b[k]!.offset) - Math.max(s, b[k]!.onset));
    if (overlap > 0) out.matched++;
    else out.unmatched++;
    out.overlap += overlap;
  }
  return out;
}

/** Episode and duration sensitivity and positive predictivity of test episodes against reference episodes. */
export function compareEpisodes(ref: readonly EpisodeInterval[], test: readonly EpisodeInterval[], opts: EpisodeOptions): EpisodeComparison {
  const { fs } = opts;
  if (!(fs > 0)) throw new EvaluationError(`sampling frequency must be positive, got ${fs}`);
  checkEpisodes(ref, 'reference');
  checkEpisodes(test, 'test');
  const exclude = opts.exclude ?? [];
  checkEpisodes(exclude, 'excluded');
  const start = secondsToSamples(opts.startSec ?? 0, fs);
  if (opts.endSec !== undefined && !(opts.endSec >= 0)) throw new EvaluationError(`end must be ≥ 0 s, got ${opts.endSec}`);
  const endSample = secondsToSamples(opts.endSec ?? 0, fs);
  const end = endSample > 0 ? endSample : Number.MAX_SAFE_INTEGER; // as epic, an end of 0 is none
  if (end < start) throw new EvaluationError(`improper interval: end ${opts.endSec} s is before start ${opts.startSec} s`);
  const minLen = secondsToSamples(opts.minDurationSec ?? 0, fs);
  const se = pass(ref, test, start, end, minLen, []);
  const ppv = pass(test, ref, start, end, minLen, exclude);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    episodeSe: { tp: se.matched, miss: se.unmatched, value: ratio(se.matched, se.matched + se.unmatched) },
    episodePpv: { tp: ppv.matched, miss: ppv.unmatched, value: ratio(ppv.matched, ppv.matched + ppv.unmatched) },
    durationSe: { overlap: se.overlap, total: se.duration, value: ratio(se.overlap, se.duration) },
    durationPpv: { overlap: ppv.overlap, total: ppv.duration, value: ratio(ppv.overlap, ppv.duration) },
    fs,
  };
}

/**
 * epic -A / -V on two annotation lists: AF (reference flutter excluded from +P), VT or VF.
 * `recordLength` (samples; epic's end: the record length, or -t) closes episodes still open at the end of a list.
 */
export function compareRhythm(
  ref: readonly RhythmAnnotation[],
  test: readonly RhythmAnnotation[],
  kind: Exclude<EpisodeKind, 'AFL'>,
  opts: Omit<EpisodeOptions, 'exclude'> & { recordLength?: number }
): EpisodeComparison {
  const len = opts.recordLength ?? 0;
  const exclude = kind === 'AF' ? episodesFromAnnotations(ref, 'AFL', len) : [];
  return compareEpisodes(episodesFromAnnotations(ref, kind, len), episodesFromAnnotations(test, kind, len), { ...opts, exclude });
}

export interface EpisodeSummary {
  records: number;
  /** From summed counts and durations. */
  gross: Omit<EpisodeComparison, 'fs'>;
  /** Means of the per-record ratios over the records where each is defined (sumstats). */
  average: { episodeSe: number | null; episodePpv: number | null; durationSe: number | null; durationPpv: number | null };
  /**
   * What sumstats' Average duration columns are made of: the sum of each record row's printed DSe / D+P
   * (epic's rounded integer percentage, over 100: `CDS += atof(mds)/100.`) and the number of rows summed,
   * those whose printed reference / test duration is not 0:00:00. Average = 100 * sum / n.
   */
  printedDurations: { durationSe: { sum: number; n: number }; durationPpv: { sum: number; n: number } };
}

/** A record row's duration percentage as epic prints it, (int)((100.*a)/b + 0.5), summed as sumstats re-reads it. */
function printedSum(list: readonly EpisodeComparison[], d: (c: EpisodeComparison) => { overlap: number; total: number }) {
  let sum = 0;
  let n = 0;
  for (const c of list) {
    const { overlap, total } = d(c);
    // sumstats counts a row when its printed h:mm:ss duration is not zero
    if (Math.round(total / c.fs) <= 0) continue;
    sum += Math.trunc((100 * overlap) / total + 0.5) / 100;
    n++;
  }
  return { sum, n };
}

/** Gross and average episode statistics over records, as sumstats on an epic table. */
export function sumEpisodes(list: readonly EpisodeComparison[]): EpisodeSummary {
  const sum = (f: (c: EpisodeComparison) => number) => list.reduce((a, c) => a + f(c), 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  const mean = (f: (c: EpisodeComparison) => number | null) => {
    const v = list.map(f).filter((x): x is number => x !== null);
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const seTp = sum((c) => c.episodeSe.tp),
    seMiss = sum((c) => c.episodeSe.miss);
  const ppTp = sum((c) => c.episodePpv.tp),
    ppMiss = sum((c) => c.episodePpv.miss);
  const dSe = { overlap: sum((c) => c.durationSe.overlap), total: sum((c) => c.durationSe.total) };
  const dPp = { overlap: sum((c) => c.durationPpv.overlap), total: sum((c) => c.durationPpv.total) };
  return {
    records: list.length,
    gross: {
      episodeSe: { tp: seTp, miss: seMiss, value: ratio(seTp, seTp + seMiss) },
      episodePpv: { tp: ppTp, miss: ppMiss, value: ratio(ppTp, ppTp + ppMiss) },
      durationSe: { ...dSe, value: ratio(dSe.overlap, dSe.total) },
      durationPpv: { ...dPp, value: ratio(dPp.overlap, dPp.total) },
    },
    average: {
      episodeSe: mean((c) => c.episodeSe.value),
      episodePpv: mean((c) => c.episodePpv.value),
      durationSe: mean((c) => c.durationSe.value),
      durationPpv: mean((c) => c.durationPpv.value),
    },
    printedDurations: { durationSe: printedSum(list, (c) => c.durationSe), durationPpv: printedSum(list, (c) => c.durationPpv) },
  };
}
