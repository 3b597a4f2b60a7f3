// Text reports in WFDB's own layouts: bxb's standard report (-s), its line formats (-l: beat
// table and shutdown table) and sumstats' summary of a line table. Numbers are printed as C's
// printf does (round half to even on the exact binary value), so output compares byte for byte.
import { standardTable } from './matrix';
import type { RecordComparison } from './bxb';
import { lineColumns, qrsStat, classStat, shutdownStats, type Average, type BeatStats, type Summary } from './stats';
import type { EpisodeComparison, EpisodeSummary } from './epic';
import { cells, N, S, V, F, Q, O, X } from './matrix';

/** printf("%.<digits>f", x): like toFixed, but exact ties round to even as glibc does. */
export function cFixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  const exact = Math.abs(x).toFixed(Math.min(100, digits + 60));
  const tail = exact.slice(exact.indexOf('.') + 1 + digits);
  if (!/^50*$/.test(tail)) return s;
  // An exact tie: toFixed rounded away from zero; go to the even neighbour instead.
  const down = (Math.sign(x) * (Math.trunc(Math.abs(x) * 10 ** digits) / 10 ** digits)).toFixed(digits);
  const lastDigit = Number(down.replace(/\D/g, '').slice(-1));
  return lastDigit % 2 === 0 ? down : s;
}

const pad = (v: string | number, w: number): string => String(v).padStart(w);

/** bxb's pstat in line mode: " %6.2f" of 100a/b, or "      -". */
function linePct(a: number, b: number, digits = 2): string {
  return b <= 0 ? '      -' : ' ' + pad(cFixed((100 * a) / b, digits), 6);
}

/** bxb's pstat in report mode: "label: %6.2f% (a/b)". */
function reportPct(label: string, a: number, b: number, digits = 2): string {
  const v = b <= 0 ? '     - ' : pad(cFixed((100 * a) / b, digits), 6) + '%';
  return `${label}: ${v} (${a}/${b})`;
}

/** bxb -s: the standard report for one record. */
export function formatBxbReport(record: string, refAnn: string, testAnn: string, c: RecordComparison): string {
  const t = standardTable(c.matrix);
  const rowNames = ['N', 'V', 'F', 'Q', 'O', 'X'];
  const q = qrsStat(c.matrix);
  const v = classStat(c.matrix, 'V');
  const sd = shutdownStats(c.matrix);
  const nTotal = sd.totals.N + sd.totals.S;
  const lines = [
    `Beat-by-beat comparison results for record ${record}`,
    `Reference annotator: ${refAnn}`,
    `     Test annotator: ${testAnn}`,
    '',
    '               Algorithm',
    '        n    v    f    q    o    x',
    '   _______________________________',
    ...t.map((row, i) => ` ${rowNames[i]} |` + row.map((x) => ' ' + pad(x, 4)).join('')),
    '',
    reportPct('           QRS sensitivity', q.tp, q.tp + q.fn),
    reportPct(' QRS positive predictivity', q.tp, q.tp + q.fp),
    reportPct('           VEB sensitivity', v.tp, v.tp + v.fn),
    reportPct(' VEB positive predictivity', v.tp, v.tp + v.fp),
    reportPct('   VEB false positive rate', v.fp, v.tn + v.fp, 3),
    '',
    '',
    reportPct('  Beats missed in shutdown', sd.Nx + sd.Vx + sd.Fx + sd.Qx, q.tp + q.fn),
    reportPct('      N missed in shutdown', sd.Nx, nTotal),
    reportPct('      V missed in shutdown', sd.Vx, sd.totals.V),
    reportPct('      F missed in shutdown', sd.Fx, sd.totals.F),
    `       Total shutdown time: ${pad(c.shutdownSec, 5)} seconds`,
  ];
  return lines.join('\n') + '\n';
}

export const LINE_HEADER = "Record Nn' Vn' Fn' On'  Nv   Vv  Fv' Ov' No' Vo' Fo'  Q Se   Q +P   V Se   V +P  V FPR";
export const SHUTDOWN_HEADER =
  'Record Nx   Vx   Fx   Qx  % beats  % N    % V    % F   Total Shutdown\n                           missed missed missed missed      Time';

/** One row of bxb -l's beat table. */
export function formatLine(record: string, c: { matrix: RecordComparison['matrix'] }): string {
  const l = lineColumns(c.matrix);
  const q = qrsStat(c.matrix);
  const v = classStat(c.matrix, 'V');
  return (
    `${pad(record, 4)} ${pad(l.Nn, 5)} ${pad(l.Vn, 3)} ${pad(l.Fn, 3)} ${pad(l.On, 3)} ${pad(l.Nv, 3)} ${pad(l.Vv, 4)} ` +
    `${pad(l.Fv, 3)} ${pad(l.Ov, 3)} ${pad(l.No, 3)} ${pad(l.Vo, 3)} ${pad(l.Fo, 3)}` +
    linePct(q.tp, q.tp + q.fn) +
    linePct(q.tp, q.tp + q.fp) +
    linePct(v.tp, v.tp + v.fn) +
    linePct(v.tp, v.tp + v.fp) +
    linePct(v.fp, v.fp + v.tn, 3)
  );
}

/** One row of bxb -l's shutdown table (with the per-class reference totals bxb appends). */
export function formatShutdownLine(record: string, c: Pick<RecordComparison, 'matrix' | 'shutdownSec'>): string {
  const sd = shutdownStats(c.matrix);
  const m = c.matrix;
  const all = cells(m, [N, S, V, F, Q], [N, S, V, F, Q, O, X]);
  return (
    `${pad(record, 4)} ${pad(sd.Nx, 4)} ${pad(sd.Vx, 4)} ${pad(sd.Fx, 4)} ${pad(sd.Qx, 4)}  ` +
    linePct(sd.Nx + sd.Vx + sd.Fx + sd.Qx, all) +
    linePct(sd.Nx, sd.totals.N + sd.totals.S) +
    linePct(sd.Vx, sd.totals.V) +
    linePct(sd.Fx, sd.totals.F) +
    `${pad(c.shutdownSec, 5)} seconds ${sd.totals.N + sd.totals.S} 0 ${sd.totals.V} ${sd.totals.F} ${sd.totals.Q}`
  );
}

const avgPct = (a: Average, digits = 2): string => (a.n <= 0 ? '      -' : ' ' + pad(cFixed((100 * a.sum) / a.n, digits), 6));

/** sumstats' tail for a bxb -l table: Sum, Gross, Average rows and totals. */
export function formatSumStats(s: Summary): string {
  const l = s.sum;
  const g = s.gross;
  const a = s.average;
  return [
    '_'.repeat(86),
    `Sum  ${pad(l.Nn, 6)} ${pad(l.Vn, 3)} ${pad(l.Fn, 3)} ${pad(l.On, 3)} ${pad(l.Nv, 3)} ${pad(l.Vv, 4)} ${pad(l.Fv, 3)} ${pad(l.Ov, 3)} ${pad(l.No, 3)} ${pad(l.Vo, 3)} ${pad(l.Fo, 3)}`,
    'Gross' +
      ' '.repeat(49) +
      linePct(g.qrs.tp, g.qrs.tp + g.qrs.fn) +
      linePct(g.qrs.tp, g.qrs.tp + g.qrs.fp) +
      linePct(g.V.tp, g.V.tp + g.V.fn) +
      linePct(g.V.tp, g.V.tp + g.V.fp) +
      linePct(g.V.fp, g.V.fp + g.V.tn, 3),
    'Average' + ' '.repeat(47) + avgPct(a.qrsSe) + avgPct(a.qrsPpv) + avgPct(a.vSe) + avgPct(a.vPpv) + avgPct(a.vFpr, 3),
    `Total QRS complexes: ${s.totalQrs}  Total VEBs: ${s.totalVeb}`,
    '',
    `Summary of results from ${s.records} record${s.records === 1 ? '' : 's'}`,
  ].join('\n');
}

/** Per-class AAMI statistics (tp, fn, fp, Se, +P, FPR in %) as a small table. */
export function formatClassTable(title: string, s: BeatStats): string {
  const p = (x: number | null, d = 2) => (x === null ? '-' : cFixed(100 * x, d));
  const rows = (['N', 'S', 'V', 'F', 'Q'] as const).map((k) => {
    const c = s[k];
    return `${k.padEnd(5)} ${pad(c.tp, 7)} ${pad(c.fn, 6)} ${pad(c.fp, 6)} ${pad(p(c.se), 7)} ${pad(p(c.ppv), 7)} ${pad(p(c.fpr, 3), 7)}`;
  });
  const q = s.qrs;
  return [
    title,
    'Class      TP     FN     FP    Se %    +P %   FPR %',
    `QRS   ${pad(q.tp, 7)} ${pad(q.fn, 6)} ${pad(q.fp, 6)} ${pad(p(q.se), 7)} ${pad(p(q.ppv), 7)} ${pad('-', 7)}`,
    ...rows,
  ].join('\n');
}

/** h:mm:ss of a duration in samples. */
function hms(samples: number, fs: number): string {
  const t = Math.round(samples / fs);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  return `${h}:${String(m).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
}

/** epic's pstat/tstat in line mode: (int)((100.*a)/b + 0.5) from the counts (100 * (a/b) can fall just short of a half). */
const epicPct = (a: number, b: number): string => (b <= 0 ? '   -' : ' ' + pad(Math.trunc((100 * a) / b + 0.5), 3));
/** sumstats' rstat(" %3.0f", a, b): 100a/b with printf's rounding, exact halves to even. */
const sumPct = (a: number, b: number): string => (b <= 0 ? '   -' : ' ' + pad(cFixed((100 * a) / b, 0), 3));
const countPct = (c: { tp: number; miss: number }) => epicPct(c.tp, c.tp + c.miss);
const durationPct = (d: { overlap: number; total: number }) => epicPct(d.overlap, d.total);

export const EPISODE_HEADER = 'Record  TPs   FN  TPp   FP  ESe E+P DSe D+P  Ref duration  Test duration';

/** One row in epic's line format (-l). */
export function formatEpisodeLine(record: string, c: EpisodeComparison): string {
  return (
    `${pad(record, 6)} ${pad(c.episodeSe.tp, 4)} ${pad(c.episodeSe.miss, 4)} ${pad(c.episodePpv.tp, 4)} ${pad(c.episodePpv.miss, 4)} ` +
    countPct(c.episodeSe) +
    countPct(c.episodePpv) +
    durationPct(c.durationSe) +
    durationPct(c.durationPpv) +
    `  ${pad(hms(c.durationSe.total, c.fs), 12)}  ${pad(hms(c.durationPpv.total, c.fs), 13)}`
  );
}

/**
 * Gross and average rows under an epic table, printed as sumstats prints them (%3.0f); the gross
 * durations are the summed samples, not sumstats' sum re-read from each row's rounded percentages.
 * The Average duration columns are sumstats' own: the mean of each row's printed (rounded) percentage.
 */
export function formatEpisodeSummary(s: EpisodeSummary): string {
  const g = s.gross;
  const a = s.average;
  const avg = (x: number | null) => (x === null ? '   -' : sumPct(x, 1));
  const rowAvg = (x: { sum: number; n: number }) => sumPct(x.sum, x.n);
  const d = s.printedDurations;
  return [
    '_'.repeat(EPISODE_HEADER.length),
    `Sum    ${pad(g.episodeSe.tp, 4)} ${pad(g.episodeSe.miss, 4)} ${pad(g.episodePpv.tp, 4)} ${pad(g.episodePpv.miss, 4)}`,
    'Gross                      ' +
      sumPct(g.episodeSe.tp, g.episodeSe.tp + g.episodeSe.miss) +
      sumPct(g.episodePpv.tp, g.episodePpv.tp + g.episodePpv.miss) +
      sumPct(g.durationSe.overlap, g.durationSe.total) +
      sumPct(g.durationPpv.overlap, g.durationPpv.total),
    'Average                    ' + avg(a.episodeSe) + avg(a.episodePpv) + rowAvg(d.durationSe) + rowAvg(d.durationPpv),
  ].join('\n');
}
