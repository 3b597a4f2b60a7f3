// The machine-readable form of an evaluation (what `heartbeat-sensei evaluate --json` writes and
// other tools read). Contract: se, ppv and fpr are fractions (null when undefined); fields may be
// added, none renamed.
import type { RecordComparison } from './bxb';
import type { EpisodeComparison, EpisodeSummary } from './epic';
import { LABELS, type ConfusionMatrix } from './matrix';
import type { BeatStats, Summary } from './stats';

export interface MatrixJson {
  /** Row labels (reference); the column labels (test) are the same letters in lower case. */
  labels: string[];
  counts: number[][];
}

export type StatsJson = BeatStats;

export interface RecordJson extends StatsJson {
  record: string;
  matrix: MatrixJson;
  shutdownSec: number;
  rmsRrErrorMs: number | null;
}

export interface EvaluationJson {
  reference: string;
  test: string;
  matchWindowSec: number;
  startSec: number;
  gross: StatsJson;
  average: Record<string, number | null>;
  totals: { records: number; qrs: number; veb: number; sveb: number };
  records: RecordJson[];
  episodes?: Record<
    string,
    { gross: EpisodeSummary['gross']; average: EpisodeSummary['average']; records: ({ record: string } & Omit<EpisodeComparison, 'fs'>)[] }
  >;
}

export function matrixJson(m: ConfusionMatrix): MatrixJson {
  return { labels: [...LABELS], counts: m.map((r) => [...r]) };
}

export function recordJson(record: string, c: RecordComparison): RecordJson {
  return { record, ...c.stats, matrix: matrixJson(c.matrix), shutdownSec: c.shutdownSec, rmsRrErrorMs: c.rmsRrErrorMs };
}

export function summaryJson(s: Summary): Pick<EvaluationJson, 'gross' | 'average' | 'totals'> {
  const average = Object.fromEntries(Object.entries(s.average).map(([k, v]) => [k, v.value]));
  return { gross: s.gross, average, totals: { records: s.records, qrs: s.totalQrs, veb: s.totalVeb, sveb: s.totalSveb } };
}
