// Statistics from a bxb confusion matrix, as EC57 defines them, and the gross and average
// statistics over records as WFDB's sumstats computes them.
import type { AamiClass } from '../../shared/analysis';
import { addMatrix, BEATS, cells, CLASS_INDEX, emptyMatrix, F, MISSED, N, O, Q, S, V, X, type ConfusionMatrix } from './matrix';

/** A detection count and its two ratios (fractions, null when the denominator is 0). */
export interface Stat {
  tp: number;
  fn: number;
  fp: number;
  /** Sensitivity tp / (tp + fn). */
  se: number | null;
  /** Positive predictivity tp / (tp + fp). */
  ppv: number | null;
}

export interface ClassStat extends Stat {
  tn: number;
  /** False positive rate fp / (fp + tn). */
  fpr: number | null;
}

export interface BeatStats {
  /** Beat detection regardless of class: matched beats vs missed (o, x) and extra (O, X). */
  qrs: Stat;
  N: ClassStat;
  S: ClassStat;
  V: ClassStat;
  F: ClassStat;
  Q: ClassStat;
}

export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

/** QRS detection: tp = all beat × beat cells, fn = beat rows × (o, x), fp = (O, X) × beat columns. */
export function qrsStat(m: ConfusionMatrix): Stat {
  const tp = cells(m, BEATS, BEATS);
  const fn = cells(m, BEATS, MISSED);
  const fp = cells(m, MISSED, BEATS);
  return { tp, fn, fp, se: ratio(tp, tp + fn), ppv: ratio(tp, tp + fp) };
}

/**
 * Reference rows whose beats called k are not false positives, as in EC57 and bxb: fusion and
 * unclassifiable beats called V are not VEB false positives, unclassifiable beats called S are
 * not SVEB false positives.
 */
const NOT_FALSE_POSITIVE: Readonly<Record<number, readonly number[]>> = { [V]: [F, Q], [S]: [Q] };

/**
 * Per-class statistics. tp = k×k; fn = the rest of row k (incl. missed); fp = the rest of column k
 * (incl. extra beats, less the EC57 exclusions); tn = beats of other classes detected as other
 * classes (for V exactly bxb's VTN, so fpr is bxb's VEB false positive rate).
 */
export function classStat(m: ConfusionMatrix, cls: AamiClass): ClassStat {
  const k = CLASS_INDEX[cls];
  const others = [N, S, V, F, Q, O, X].filter((r) => r !== k);
  const excluded = NOT_FALSE_POSITIVE[k] ?? [];
  const tp = m[k]![k]!;
  const fn = cells(m, [k], [N, S, V, F, Q, O, X]) - tp;
  const fp = cells(
    m,
    others.filter((r) => !excluded.includes(r)),
    [k]
  );
  const tn = cells(
    m,
    others,
    BEATS.filter((c) => c !== k)
  );
  return { tp, fn, fp, tn, se: ratio(tp, tp + fn), ppv: ratio(tp, tp + fp), fpr: ratio(fp, fp + tn) };
}

export function beatStats(m: ConfusionMatrix): BeatStats {
  return {
    qrs: qrsStat(m),
    N: classStat(m, 'N'),
    S: classStat(m, 'S'),
    V: classStat(m, 'V'),
    F: classStat(m, 'F'),
    Q: classStat(m, 'Q'),
  };
}

/** bxb's line-format (-l) columns: S folded into N, Q into F, X into O. */
export interface LineColumns {
  Nn: number;
  Vn: number;
  Fn: number;
  On: number;
  Nv: number;
  Vv: number;
  Fv: number;
  Ov: number;
  No: number;
  Vo: number;
  Fo: number;
}

export function lineColumns(m: ConfusionMatrix): LineColumns {
  const nRows = [N, S];
  const fRows = [F, Q];
  const oRows = [O, X];
  const nCols = [N, S, F, Q];
  return {
    Nn: cells(m, nRows, nCols),
    Vn: cells(m, [V], nCols),
    Fn: cells(m, fRows, nCols),
    On: cells(m, oRows, nCols),
    Nv: cells(m, nRows, [V]),
    Vv: m[V]![V]!,
    Fv: cells(m, fRows, [V]),
    Ov: cells(m, oRows, [V]),
    No: cells(m, nRows, MISSED),
    Vo: cells(m, [V], MISSED),
    Fo: cells(m, fRows, MISSED),
  };
}

/** Reference beats of each class missed inside test shutdown (x column) and their totals. */
export interface ShutdownStats {
  /** Missed in shutdown: N (incl. S, as bxb's four-class report), V, F, Q. */
  Nx: number;
  Vx: number;
  Fx: number;
  Qx: number;
  /** Reference beat totals per row (N here excludes S; S separately). */
  totals: Record<AamiClass, number>;
}

export function shutdownStats(m: ConfusionMatrix): ShutdownStats {
  const row = (k: number) => cells(m, [k], [N, S, V, F, Q, O, X]);
  return {
    Nx: m[N]![X]! + m[S]![X]!,
    Vx: m[V]![X]!,
    Fx: m[F]![X]!,
    Qx: m[Q]![X]!,
    totals: { N: row(N), S: row(S), V: row(V), F: row(F), Q: row(Q) },
  };
}

/** A mean of per-record fractions over the records where it is defined (sumstats' "Average"). */
export interface Average {
  value: number | null;
  /** Sum of the defined per-record fractions, in record order, and how many there were. */
  sum: number;
  n: number;
}

export interface AverageStats {
  qrsSe: Average;
  qrsPpv: Average;
  vSe: Average;
  vPpv: Average;
  vFpr: Average;
  sSe: Average;
  sPpv: Average;
  nSe: Average;
  nPpv: Average;
  fSe: Average;
  fPpv: Average;
}

export interface Summary {
  records: number;
  /** The summed matrix. */
  matrix: ConfusionMatrix;
  /** Statistics of the summed matrix (sumstats' "Gross"). */
  gross: BeatStats;
  /** Means of the per-record statistics (sumstats' "Average"). */
  average: AverageStats;
  /** bxb -l columns summed (sumstats' "Sum"). */
  sum: LineColumns;
  /** Reference QRS complexes (tp + fn) and reference VEBs / SVEBs. */
  totalQrs: number;
  totalVeb: number;
  totalSveb: number;
  shutdownSec: number;
}

function average(values: readonly (number | null)[]): Average {
  let sum = 0;
  let n = 0;
  for (const v of values)
    if (v !== null) {
      sum += v;
      n++;
    }
  return { value: n > 0 ? sum / n : null, sum, n };
}

/** Gross and average statistics over records, as WFDB's sumstats on a bxb table. */
export function sumStats(records: readonly { matrix: ConfusionMatrix; shutdownSec?: number }[]): Summary {
  const matrix = emptyMatrix();
  for (const r of records) addMatrix(matrix, r.matrix);
  const per = records.map((r) => beatStats(r.matrix));
  const pick = (f: (s: BeatStats) => number | null) => average(per.map(f));
  const gross = beatStats(matrix);
  const sum = lineColumns(matrix);
  return {
    records: records.length,
    matrix,
    gross,
    average: {
      qrsSe: pick((s) => s.qrs.se),
      qrsPpv: pick((s) => s.qrs.ppv),
      vSe: pick((s) => s.V.se),
      vPpv: pick((s) => s.V.ppv),
      vFpr: pick((s) => s.V.fpr),
      sSe: pick((s) => s.S.se),
      sPpv: pick((s) => s.S.ppv),
      nSe: pick((s) => s.N.se),
      nPpv: pick((s) => s.N.ppv),
      fSe: pick((s) => s.F.se),
      fPpv: pick((s) => s.F.ppv),
    },
    sum,
    totalQrs: gross.qrs.tp + gross.qrs.fn,
    totalVeb: gross.V.tp + gross.V.fn,
    totalSveb: gross.S.tp + gross.S.fn,
    shutdownSec: records.reduce((a, r) => a + (r.shutdownSec ?? 0), 0),
  };
}
