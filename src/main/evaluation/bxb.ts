// Beat-by-beat comparison of a test annotation list against a reference, reproducing WFDB's
// bxb (the ANSI/AAMI EC38/EC57 reference implementation) count for count:
// - beats match when their times differ by at most the match window (150 ms), each beat being
//   paired with the closer of its two candidates, with bxb's 2002 tie rule for fast rhythms;
// - unmatched reference beats are tallied in the o column (x inside a test-marked shutdown),
//   unmatched test beats in the O row (X inside a reference-marked shutdown);
// - reference VF/flutter episodes ([ ... ]) are skipped: reference beats inside them are ignored
//   and test beats inside them are not counted;
// - shutdown = NOISE annotations with subtype bits 4 and 5 set, up to the next NOISE annotation
//   (or, AHA style, a lone mark: from match window after the previous beat to match window before
//   the next annotation); the test file's total shutdown time is reported;
// - the comparison starts at startSec (EC57's learning period is the first 300 s): a test beat
//   just before the start may still match the first reference beat, and an unmatched test beat
//   within one match window after the start is not counted.
import type { AamiClass } from '../../shared/analysis';
import * as C from '../wfdb/codes';
import { EvaluationError } from './errors';
import { aamiClassOf, bxbClassOf } from './labels';
import { CLASS_INDEX, emptyMatrix, LABELS, O, X, type ConfusionMatrix, type MatrixLabel } from './matrix';
import { beatStats, type BeatStats } from './stats';

/** One annotation: a beat (code = MIT beat code) or a NOISE / VFON / VFOFF mark (others are skipped). */
export interface AnnotationLike {
  sample: number;
  code: number;
  subtype?: number;
}

/** The same as columns (e.g. typed arrays straight from a reader or a detector). */
export interface AnnotationColumns {
  sample: ArrayLike<number>;
  code: ArrayLike<number>;
  subtype?: ArrayLike<number>;
}

export type AnnotationInput = readonly AnnotationLike[] | AnnotationColumns;

/** A beat as most callers have it ({sample, code}); the same shape as AnnotationLike. */
export type BeatLike = AnnotationLike;

export interface CompareOptions {
  /** Sampling frequency of both annotation lists (Hz). */
  fs: number;
  /** Match window in seconds (bxb -w). Default 0.15. */
  matchWindowSec?: number;
  /** Start of the comparison in seconds (bxb -f). Default 0; EC57 uses 300 (learning period). */
  startSec?: number;
  /**
   * End of the comparison (bxb -t): seconds (pass the record length for bxb's default), 0 to stop
   * at the end of the shorter list, 'reference' to stop at the end of the reference list (bxb
   * without a record length). Default: compare both lists to their ends (a test shutdown left open
   * is then not timed, only warned of, as bxb does without an end).
   */
  endSec?: number | 'reference';
  /**
   * Beat classes: 'aami' (default, EC57: e j n are N) or 'bxb' (bxb -S: e j n are S). The
   * four-class bxb tables, QRS and VEB statistics are the same under both.
   */
  labels?: 'aami' | 'bxb';
  /** Keep the list of every counted pair (annotation indices and labels), e.g. to mark beats in a view. */
  keepPairs?: boolean;
}

/** A counted pair: indices into the input lists (-1 for none) and the row/column labels. */
export interface BeatPair {
  ref: number;
  test: number;
  refLabel: MatrixLabel;
  testLabel: MatrixLabel;
}

export interface RecordComparison {
  /** 7 × 7 counts, rows = reference N S V F Q O X, columns = test n s v f q o x. */
  matrix: ConfusionMatrix;
  stats: BeatStats;
  fs: number;
  matchWindowSamples: number;
  startSample: number;
  /** The end bound used: a sample, 0 (shorter list), -1 (end of reference), null (both lists to their ends). */
  endSample: number | null;
  /** Test annotator's shutdown, in samples, and in whole seconds as bxb reports it. */
  shutdownSamples: number;
  shutdownSec: number;
  /** RMS difference of reference and test RR intervals over matched pairs (ms), null when none. */
  rmsRrErrorMs: number | null;
  warnings: string[];
  pairs?: BeatPair[];
}

const HUGE = Number.MAX_SAFE_INTEGER;
const NONE = -1;

/** WFDB strtim() for a number of seconds: nearest sample, halves up. */
export function secondsToSamples(sec: number, fs: number): number {
  return Math.floor(sec * fs + 0.5);
}

interface Columns {
  sample: ArrayLike<number>;
  code: ArrayLike<number>;
  subtype: ArrayLike<number> | null;
  length: number;
}

function toColumns(input: AnnotationInput, what: string): Columns {
  let cols: Columns;
  if (Array.isArray(input)) {
    const list = input as readonly AnnotationLike[];
    const sample = new Float64Array(list.length);
    const code = new Int32Array(list.length);
    const subtype = new Int32Array(list.length);
    list.forEach((a, i) => {
      sample[i] = a.sample;
      code[i] = a.code;
      subtype[i] = a.subtype ?? 0;
    });
    cols = { sample, code, subtype, length: list.length };
  } else {
    const c = input as AnnotationColumns;
    if (c.code.length !== c.sample.length || (c.subtype && c.subtype.length !== c.sample.length))
      throw new EvaluationError(`${what} annotations: columns of different lengths`);
    cols = { sample: c.sample, code: c.code, subtype: c.subtype ?? null, length: c.sample.length };
  }
  for (let i = 0; i < cols.length; i++) {
    const s = cols.sample[i]!;
    if (!Number.isInteger(s) || s < 0) throw new EvaluationError(`${what} annotation ${i}: sample ${s} is not a non-negative integer`);
    if (i > 0 && s < cols.sample[i - 1]!) throw new EvaluationError(`${what} annotations are not in time order (index ${i}: ${s} < ${cols.sample[i - 1]})`);
  }
  return cols;
}

const isShutdownMark = (subtype: number): boolean => (subtype & 0x30) === 0x30;
/** True when a VF or shutdown onset lies in [prev, t): the RR interval prev → t is not valid. */
const crosses = (prev: number, t: number, onset: number): boolean => prev <= onset && onset < t;

/**
 * One annotation list read beat by beat, as bxb's getref()/gettest(): `cur` is the current beat,
 * `next` the one after it; VF and shutdown intervals met on the way are remembered (the last two).
 */
class BeatStream {
  private i = 0;
  cur = 0;
  curLabel = NONE;
  curIndex = -1;
  next = 0;
  nextLabel = NONE;
  nextIndex = -1;
  /** RR interval ending at `cur`, 0 when not valid. */
  interval = 0;
  sdOn = -1;
  sdOff = -1;
  prevSdOn = -1;
  prevSdOff = -1;
  vfOn = -1;
  vfOff = -1;
  prevVfOn = -1;
  prevVfOff = -1;
  shutdown = 0;

  constructor(
    private readonly a: Columns,
    private readonly labelOf: (code: number) => number,
    private readonly matchDt: number,
    private readonly isTest: boolean,
    private readonly endSample: number,
    private readonly warnings: string[]
  ) {}

  private eof(): void {
    this.next = HUGE;
    this.nextLabel = NONE;
    this.nextIndex = -1;
  }

  advance(): void {
    const prev = this.cur;
    this.cur = this.next;
    this.curLabel = this.nextLabel;
    this.curIndex = this.nextIndex;
    const t = this.cur;
    this.interval =
      prev === 0 ||
      t === HUGE ||
      crosses(prev, t, this.vfOn) ||
      crosses(prev, t, this.sdOn) ||
      crosses(prev, t, this.prevVfOn) ||
      crosses(prev, t, this.prevSdOn)
        ? 0
        : t - prev;

    const { sample, code, subtype, length } = this.a;
    while (this.i < length) {
      const k = this.i++;
      const c = code[k]!;
      const label = this.labelOf(c);
      if (label !== NONE) {
        this.next = sample[k]!;
        this.nextLabel = label;
        this.nextIndex = k;
        return;
      }
      if (c === C.NOISE) {
        if (!isShutdownMark(subtype ? subtype[k]! : 0)) continue;
        this.prevSdOn = this.sdOn;
        this.prevSdOff = this.sdOff;
        this.sdOn = sample[k]!;
        if (this.i >= length) {
          // Shutdown that never ends.
          if (!this.isTest) this.sdOff = HUGE;
          else if (this.endSample > 0) this.shutdown += this.endSample - this.sdOn;
          else this.warnings.push(`unterminated test shutdown at sample ${this.sdOn} (not included in the shutdown time)`);
          this.eof();
          return;
        }
        const j = this.i++;
        if (code[j] === C.NOISE && !isShutdownMark(subtype ? subtype[j]! : 0)) this.sdOff = sample[j]!;
        else {
          // A lone shutdown mark (AHA DB style): from one match window after the previous beat
          // (or VF end) to one match window before the next annotation.
          this.sdOn = (this.vfOff > this.cur ? this.vfOff : this.cur) + this.matchDt;
          this.sdOff = sample[j]! - this.matchDt;
          if (this.sdOn > this.sdOff) this.sdOn = this.sdOff;
          this.i = j;
        }
        if (this.isTest) this.shutdown += this.sdOff - this.sdOn;
      } else if (c === C.VFON) {
        this.prevVfOn = this.vfOn;
        this.prevVfOff = this.vfOff;
        this.vfOn = sample[k]!;
        let j: number;
        do {
          if (this.i >= length) return this.eof();
          j = this.i++;
        } while (code[j] !== C.VFOFF);
        this.vfOff = sample[j]!;
      }
    }
    this.eof();
  }

  inVf(t: number): boolean {
    return (
      (this.vfOn !== -1 && this.vfOn <= t && (t <= this.vfOff || this.vfOff === -1)) || (this.prevVfOn !== -1 && this.prevVfOn <= t && t <= this.prevVfOff)
    );
  }

  inShutdown(t: number): boolean {
    return (
      (this.sdOn !== -1 && this.sdOn <= t && (t <= this.sdOff || this.sdOff === -1)) || (this.prevSdOn !== -1 && this.prevSdOn <= t && t <= this.prevSdOff)
    );
  }
}

function labelFunction(mode: 'aami' | 'bxb'): (code: number) => number {
  const classOf = mode === 'bxb' ? bxbClassOf : aamiClassOf;
  const table = new Int8Array(256).fill(NONE);
  for (let c = 0; c < 256; c++) {
    const k: AamiClass | null = classOf(c);
    if (k) table[c] = CLASS_INDEX[k];
  }
  return (code) => (code >= 0 && code < 256 ? table[code]! : NONE);
}

/** Compares test beats against reference beats exactly as WFDB bxb does. */
export function compareBeats(ref: AnnotationInput, test: AnnotationInput, opts: CompareOptions): RecordComparison {
  const { fs } = opts;
  if (!(fs > 0) || !Number.isFinite(fs)) throw new EvaluationError(`sampling frequency must be positive, got ${fs}`);
  const windowSec = opts.matchWindowSec ?? 0.15;
  const startSec = opts.startSec ?? 0;
  if (!(windowSec >= 0)) throw new EvaluationError(`match window must be ≥ 0 s, got ${windowSec}`);
  if (!(startSec >= 0)) throw new EvaluationError(`start must be ≥ 0 s, got ${startSec}`);
  const dt = secondsToSamples(windowSec, fs);
  const start = secondsToSamples(startSec, fs);
  let end: number;
  if (opts.endSec === undefined) end = HUGE - 1;
  else if (opts.endSec === 'reference') end = -1;
  else {
    if (!(opts.endSec >= 0)) throw new EvaluationError(`end must be ≥ 0 s, got ${opts.endSec}`);
    end = secondsToSamples(opts.endSec, fs);
    if (end > 0 && end < start) throw new EvaluationError(`improper interval: end ${opts.endSec} s is before start ${startSec} s`);
  }

  const warnings: string[] = [];
  const labelOf = labelFunction(opts.labels ?? 'aami');
  const R = new BeatStream(toColumns(ref, 'reference'), labelOf, dt, false, end, warnings);
  // a test shutdown left open runs to the end only when that is a real bound (bxb: end_time > 0), not HUGE
  const T = new BeatStream(toColumns(test, 'test'), labelOf, dt, true, opts.endSec === undefined ? -1 : end, warnings);
  const matrix = emptyMatrix();
  const pairs: BeatPair[] | undefined = opts.keepPairs ? [] : undefined;
  let rrN = 0;
  let rrSumSq = 0;

  const count = (r: number, t: number, refIndex: number, testIndex: number): void => {
    const counted = (r >= 0 && r < 5 && t >= 0) || ((r === O || r === X) && t >= 0 && t < 5);
    if (counted) {
      matrix[r]![t]!++;
      pairs?.push({ ref: refIndex, test: testIndex, refLabel: LABELS[r]!, testLabel: LABELS[t]! });
    }
    if (R.interval > 0 && T.interval > 0) {
      const d = R.interval - T.interval;
      rrSumSq += d * d;
      rrN++;
    }
  };
  const pairCurrent = () => count(R.curLabel, T.curLabel, R.curIndex, T.curIndex);
  // An unmatched test beat: not counted inside reference VF, X inside reference shutdown, else O.
  const extraTest = () => {
    const t = T.cur;
    const r = R.inVf(t) ? NONE : R.inShutdown(t) ? X : O;
    count(r, T.curLabel, -1, T.curIndex);
  };
  const missedRef = () => count(R.curLabel, T.inShutdown(R.cur) ? X : O, R.curIndex, -1);

  // Learning period: the first reference beat at or after the start, and the last test beat
  // before it (cur) with the first test beat at or after it (next).
  do R.advance();
  while (R.cur < start);
  do T.advance();
  while (T.next < start);

  if (R.cur - T.cur < Math.abs(R.cur - T.next) && R.cur - T.cur <= dt) {
    if (R.curLabel !== NONE || T.curLabel !== NONE) pairCurrent();
    R.advance();
    T.advance();
  } else {
    T.advance();
    if (T.cur - start <= dt && Math.abs(R.cur - T.next) < Math.abs(R.cur - T.cur)) T.advance();
  }

  const going = (): boolean => (end > 0 && (R.cur <= end || T.cur <= end)) || (end === -1 && R.cur !== HUGE) || (end === 0 && R.cur !== HUGE && T.cur !== HUGE);
  while (going()) {
    const r = R.cur;
    const t = T.cur;
    if (t < r) {
      if (r - t <= dt && (r - t < Math.abs(r - T.next) || Math.abs(R.next - T.next) < Math.abs(r - T.next))) {
        pairCurrent();
        R.advance();
        T.advance();
      } else {
        extraTest();
        T.advance();
      }
    } else if (t - r <= dt && (t - r < Math.abs(t - R.next) || Math.abs(T.next - R.next) < Math.abs(t - R.next))) {
      pairCurrent();
      T.advance();
      R.advance();
    } else {
      missedRef();
      R.advance();
    }
  }

  const half = secondsToSamples(0.5, fs);
  const one = secondsToSamples(1, fs);
  return {
    matrix,
    stats: beatStats(matrix),
    fs,
    matchWindowSamples: dt,
    startSample: start,
    endSample: end === HUGE - 1 ? null : end,
    shutdownSamples: T.shutdown,
    shutdownSec: Math.trunc((half + T.shutdown) / one),
    rmsRrErrorMs: rrN > 0 ? (Math.sqrt(rrSumSq / rrN) * 1000) / one : null,
    warnings,
    ...(pairs ? { pairs } : {}),
  };
}
