// The evaluator against WFDB's own bxb and sumstats output (../shared/data/reference/bxb): gqrs
// detections (.qrs) and perturbed reference beats (.pert) on 10 mitdb records, whole records
// (-f 0) and EC57 defaults (first 5 minutes excluded). Every number in every file is parsed and
// compared field by field; the text layouts are also compared byte for byte.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPath, needData } from '../helpers/data';
import { readAnnotationFile, readHeader } from '../../src/main/wfdb';
import {
  cFixed,
  classStat,
  compareBeats,
  formatBxbReport,
  formatLine,
  formatShutdownLine,
  formatSumStats,
  lineColumns,
  qrsStat,
  shutdownStats,
  standardTable,
  sumStats,
  type RecordComparison,
} from '../../src/main/evaluation';

const RECORDS = ['100', '105', '106', '119', '200', '203', '208', '210', '221', '233'];
const RUNS = [
  { ann: 'qrs', mode: 'f0', startSec: 0 },
  { ann: 'qrs', mode: 'ec57', startSec: 300 },
  { ann: 'pert', mode: 'f0', startSec: 0 },
  { ann: 'pert', mode: 'ec57', startSec: 300 },
] as const;

const have = needData('reference/bxb') && needData('mitdb');
const ref = (name: string) => readFileSync(dataPath('reference/bxb', name), 'utf8');

// ---- parsers of WFDB's text output -------------------------------------------------------
/** A printed percentage: a number, or null for bxb's "-". */
const pctValue = (s: string): number | null => (s === '-' ? null : Number(s.replace('%', '')));

interface ParsedReport {
  table: number[][];
  stats: Map<string, { value: number | null; a: number; b: number }>;
  shutdownSec: number;
}

function parseReport(text: string): ParsedReport {
  const table: number[][] = [];
  const stats = new Map<string, { value: number | null; a: number; b: number }>();
  let shutdownSec = NaN;
  for (const line of text.split('\n')) {
    const row = /^ ([NVFQOX]) \|((?:\s+\d+)+)$/.exec(line);
    if (row) table.push(row[2]!.trim().split(/\s+/).map(Number));
    const st = /^\s*(.+?):\s+(-|[\d.]+%)\s+\((\d+)\/(\d+)\)$/.exec(line);
    if (st) stats.set(st[1]!, { value: pctValue(st[2]!), a: Number(st[3]), b: Number(st[4]) });
    const sd = /Total shutdown time:\s+(\d+) seconds/.exec(line);
    if (sd) shutdownSec = Number(sd[1]);
  }
  return { table, stats, shutdownSec };
}

interface LineRow {
  record: string;
  counts: number[];
  values: (number | null)[];
}

/** bxb -l beat table rows (record, 11 counts, 5 statistics), header and sumstats tail skipped. */
function parseLineRows(text: string): LineRow[] {
  const rows: LineRow[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length !== 17 || !/^\d+$/.test(f[0]!)) continue;
    rows.push({ record: f[0]!, counts: f.slice(1, 12).map(Number), values: f.slice(12).map(pctValue) });
  }
  return rows;
}

interface ShutdownRow {
  record: string;
  counts: number[];
  values: (number | null)[];
  seconds: number;
  totals: number[];
}

function parseShutdownRows(text: string): ShutdownRow[] {
  const rows: ShutdownRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+) seconds((?:\s+\d+){5})$/.exec(line);
    if (!m) continue;
    rows.push({
      record: m[1]!,
      counts: m.slice(2, 6).map(Number),
      values: m.slice(6, 10).map(pctValue),
      seconds: Number(m[10]),
      totals: m[11]!.trim().split(/\s+/).map(Number),
    });
  }
  return rows;
}

interface ParsedSumstats {
  rows: LineRow[];
  sum: number[];
  gross: (number | null)[];
  average: (number | null)[];
  totalQrs: number;
  totalVeb: number;
  records: number;
}

function parseSumstats(text: string): ParsedSumstats {
  const grab = (re: RegExp) => {
    const m = re.exec(text);
    if (!m) throw new Error(`sumstats file lacks ${re}`);
    return m;
  };
  const values = (s: string) => s.trim().split(/\s+/).map(pctValue);
  const totals = grab(/Total QRS complexes: (\d+)\s+Total VEBs: (\d+)/);
  return {
    rows: parseLineRows(text),
    sum: grab(/^Sum((?:\s+\d+){11})$/m)[1]!
      .trim()
      .split(/\s+/)
      .map(Number),
    gross: values(grab(/^Gross(.*)$/m)[1]!),
    average: values(grab(/^Average(.*)$/m)[1]!),
    totalQrs: Number(totals[1]),
    totalVeb: Number(totals[2]),
    records: Number(grab(/Summary of results from (\d+) records?/)[1]),
  };
}

// ---- our numbers in the same units -------------------------------------------------------
/** A percentage as bxb prints it (rounded to `digits`), or null when undefined. */
const pct = (a: number, b: number, digits = 2): number | null => (b > 0 ? Number(cFixed((100 * a) / b, digits)) : null);

function lineValues(c: Pick<RecordComparison, 'matrix'>): { counts: number[]; values: (number | null)[] } {
  const l = lineColumns(c.matrix);
  const q = qrsStat(c.matrix);
  const v = classStat(c.matrix, 'V');
  return {
    counts: [l.Nn, l.Vn, l.Fn, l.On, l.Nv, l.Vv, l.Fv, l.Ov, l.No, l.Vo, l.Fo],
    values: [pct(q.tp, q.tp + q.fn), pct(q.tp, q.tp + q.fp), pct(v.tp, v.tp + v.fn), pct(v.tp, v.tp + v.fp), pct(v.fp, v.fp + v.tn, 3)],
  };
}

let compared = 0;
/** Compares one field and counts it. */
function field(actual: number | null, expected: number | null, what: string): void {
  expect(actual, what).toBe(expected);
  compared++;
}

describe.skipIf(!have)('bxb conformance (WFDB bxb + sumstats on 10 mitdb records)', () => {
  const results = new Map<string, RecordComparison[]>();

  beforeAll(async () => {
    for (const run of RUNS) {
      const list: RecordComparison[] = [];
      for (const rec of RECORDS) {
        const h = await readHeader(dataPath('mitdb', rec));
        const refAnn = await readAnnotationFile(dataPath('mitdb', `${rec}.atr`));
        const testAnn = await readAnnotationFile(dataPath('reference/bxb', `${rec}.${run.ann}`));
        // bxb's defaults: the record's length from its header as the end, 150 ms window.
        list.push(compareBeats(refAnn, testAnn, { fs: h.fs, startSec: run.startSec, endSec: h.nFrames / h.fs }));
      }
      results.set(`${run.ann}-${run.mode}`, list);
    }
  });

  afterAll(() => {
    console.log(`bxb conformance: ${compared} reference fields compared`);
  });

  for (const run of RUNS) {
    const key = `${run.ann}-${run.mode}`;
    describe(key, () => {
      it('reproduces every number of the 10 full bxb reports', () => {
        RECORDS.forEach((rec, i) => {
          const c = results.get(key)![i]!;
          const p = parseReport(ref(`${rec}.${key}.bxb.txt`));
          const at = `${rec}.${key}`;
          const ours = standardTable(c.matrix);
          expect(
            p.table.map((r) => r.length),
            `${at} table shape`
          ).toEqual([6, 6, 6, 6, 4, 4]);
          p.table.forEach((row, r) => row.forEach((v, k) => field(ours[r]![k]!, v, `${at} cell ${r},${k}`)));
          const q = qrsStat(c.matrix);
          const v = classStat(c.matrix, 'V');
          const sd = shutdownStats(c.matrix);
          const expected: [string, number, number, number?][] = [
            ['QRS sensitivity', q.tp, q.tp + q.fn],
            ['QRS positive predictivity', q.tp, q.tp + q.fp],
            ['VEB sensitivity', v.tp, v.tp + v.fn],
            ['VEB positive predictivity', v.tp, v.tp + v.fp],
            ['VEB false positive rate', v.fp, v.fp + v.tn, 3],
            ['Beats missed in shutdown', sd.Nx + sd.Vx + sd.Fx + sd.Qx, q.tp + q.fn],
            ['N missed in shutdown', sd.Nx, sd.totals.N + sd.totals.S],
            ['V missed in shutdown', sd.Vx, sd.totals.V],
            ['F missed in shutdown', sd.Fx, sd.totals.F],
          ];
          expect(p.stats.size, `${at} statistics lines`).toBe(expected.length);
          for (const [label, a, b, digits] of expected) {
            const s = p.stats.get(label);
            expect(s, `${at} ${label}`).toBeDefined();
            field(a, s!.a, `${at} ${label} numerator`);
            field(b, s!.b, `${at} ${label} denominator`);
            field(pct(a, b, digits ?? 2), s!.value, `${at} ${label}`);
          }
          field(c.shutdownSec, p.shutdownSec, `${at} shutdown time`);
        });
      });

      it('reproduces every number of the bxb -l beat table', () => {
        const rows = parseLineRows(ref(`${key}.line.txt`));
        expect(rows.map((r) => r.record)).toEqual(RECORDS);
        rows.forEach((row, i) => {
          const ours = lineValues(results.get(key)![i]!);
          row.counts.forEach((v, k) => field(ours.counts[k]!, v, `${key} line ${row.record} count ${k}`));
          row.values.forEach((v, k) => field(ours.values[k]!, v, `${key} line ${row.record} statistic ${k}`));
        });
      });

      it('reproduces every number of the bxb -l shutdown table', () => {
        const rows = parseShutdownRows(ref(`${key}.summary.txt`));
        expect(rows.map((r) => r.record)).toEqual(RECORDS);
        rows.forEach((row, i) => {
          const c = results.get(key)![i]!;
          const sd = shutdownStats(c.matrix);
          const all = qrsStat(c.matrix).tp + qrsStat(c.matrix).fn;
          const nTotal = sd.totals.N + sd.totals.S;
          const at = `${key} shutdown ${row.record}`;
          [sd.Nx, sd.Vx, sd.Fx, sd.Qx].forEach((v, k) => field(v, row.counts[k]!, `${at} count ${k}`));
          [pct(sd.Nx + sd.Vx + sd.Fx + sd.Qx, all), pct(sd.Nx, nTotal), pct(sd.Vx, sd.totals.V), pct(sd.Fx, sd.totals.F)].forEach((v, k) =>
            field(v, row.values[k]!, `${at} statistic ${k}`)
          );
          field(c.shutdownSec, row.seconds, `${at} seconds`);
          // bxb -l prints the reference totals N (S folded in), S, V, F, Q.
          [nTotal, 0, sd.totals.V, sd.totals.F, sd.totals.Q].forEach((v, k) => field(v, row.totals[k]!, `${at} total ${k}`));
        });
      });

      it('reproduces every number of sumstats (sum, gross, average, totals)', () => {
        const p = parseSumstats(ref(`${key}.sumstats.txt`));
        const list = results.get(key)!;
        const s = sumStats(list);
        field(s.records, p.records, `${key} records`);
        expect(p.rows).toHaveLength(RECORDS.length);
        p.rows.forEach((row, i) => {
          const ours = lineValues(list[i]!);
          row.counts.forEach((v, k) => field(ours.counts[k]!, v, `${key} sumstats ${row.record} count ${k}`));
          row.values.forEach((v, k) => field(ours.values[k]!, v, `${key} sumstats ${row.record} statistic ${k}`));
        });
        const l = s.sum;
        [l.Nn, l.Vn, l.Fn, l.On, l.Nv, l.Vv, l.Fv, l.Ov, l.No, l.Vo, l.Fo].forEach((v, k) => field(v, p.sum[k]!, `${key} sum ${k}`));
        const g = s.gross;
        [
          pct(g.qrs.tp, g.qrs.tp + g.qrs.fn),
          pct(g.qrs.tp, g.qrs.tp + g.qrs.fp),
          pct(g.V.tp, g.V.tp + g.V.fn),
          pct(g.V.tp, g.V.tp + g.V.fp),
          pct(g.V.fp, g.V.fp + g.V.tn, 3),
        ].forEach((v, k) => field(v, p.gross[k]!, `${key} gross ${k}`));
        const a = s.average;
        const avg = (x: { sum: number; n: number }, digits = 2) => (x.n > 0 ? Number(cFixed((100 * x.sum) / x.n, digits)) : null);
        [avg(a.qrsSe), avg(a.qrsPpv), avg(a.vSe), avg(a.vPpv), avg(a.vFpr, 3)].forEach((v, k) => field(v, p.average[k]!, `${key} average ${k}`));
        field(s.totalQrs, p.totalQrs, `${key} total QRS`);
        field(s.totalVeb, p.totalVeb, `${key} total VEBs`);
      });

      it('prints the same text as bxb and sumstats, byte for byte', () => {
        const list = results.get(key)!;
        RECORDS.forEach((rec, i) => {
          const want = ref(`${rec}.${key}.bxb.txt`).replace(/^bxb: \(warning\).*\n/, '');
          expect(formatBxbReport(rec, 'atr', run.ann, list[i]!)).toBe(want);
        });
        const lines = ref(`${key}.line.txt`).trimEnd().split('\n');
        expect(RECORDS.map((rec, i) => formatLine(rec, list[i]!))).toEqual(lines.slice(1));
        const sd = ref(`${key}.summary.txt`).trimEnd().split('\n');
        expect(RECORDS.map((rec, i) => formatShutdownLine(rec, list[i]!))).toEqual(sd.slice(2));
        const tail = ref(`${key}.sumstats.txt`)
          .split('\n')
          .slice(1 + RECORDS.length)
          .join('\n')
          .trimEnd();
        expect(formatSumStats(sumStats(list))).toBe(tail);
      });
    });
  }
});
