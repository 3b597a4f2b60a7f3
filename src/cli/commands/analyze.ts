// heartbeat-sensei analyze: the app's analysis of WFDB records, headless. Per record it prints a
// summary row and writes <record>.pvc (WFDB annotations: beat labels, rhythm changes, pauses),
// <record>.csv and <record>.json beside the record or into --out DIR. As the unit of work of a batch
// (scale/, docs/scale.md): --layout database keeps records of different folders apart, --skip-done
// makes a re-run resume, --status prints one JSON line per record and the exit code says retry or not.
import { confidenceText } from '../../shared/confidence';
import { toWireError } from '../../shared/errors';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { EXIT, type CliCommand } from '../index';
import { leadsList, numberFlag, parseArgs, stringFlag } from '../args';
import { ANALYSIS_FLAGS, analysisSettings, chosenModels } from '../analysis-flags';
import { CliError } from '../errors';
import { IN_THE_WAY, makeFolder } from '../files';
import { progressBar } from '../progress';
import { analyzeInProcess, ctrlC, withPath } from '../analyze-in-process';
import type { AnalyzeSettings } from '../../main/analysis/pipeline';
import { analysisAnnotations, analysisJson, beatsCsv } from '../../main/analysis/outputs';
import { recordName } from '../../main/analysis/record';
import { hasRatePerHour, type Analysis } from '../../shared/analysis';
import { encodeAnnotations } from '../../main/wfdb';
import { writeFileAtomic, writeFilesAtomic } from '../../main/files/atomic';
import { collisions, LAYOUTS, outputBase, realRecordPath, type Layout } from '../../main/batch/layout';
import { checkDone, settingsKey } from '../../main/batch/done';
import { EXIT_RETRY, exitCodeOf, failureStatus, readErrorFile, type RecordStatus, type StatusLine } from '../../main/batch/status';

const usage =
  'analyze <records...> [--threshold T] [--beats reference|detector|auto] [--provider auto|cpu|cuda] [--rules] [--out DIR] [--layout flat|database] [--skip-done] [--status] [--threads N] [--json] [--no-cache] [--cache-dir DIR] [--models DIR] [--registry DIR] [--leads 0[,1]]';

/** A heart rate of the table: 0 is none (no beats; for min / max, no whole minute). */
const bpmCell = (bpm: number): string => (bpm > 0 ? bpm.toFixed(0) : '—');

/** PVCs per readable hour: none ("—") from under RATE_MIN_READABLE_SEC of readable signal. */
const perHourCell = (a: Analysis): string => (hasRatePerHour(a.durationSec - (a.summary.unreadableSec ?? 0)) ? a.summary.pvcPerHour.toFixed(0) : '—');

/** One record's row of the summary table, cells in SUMMARY_COLUMNS order. */
export function summaryRow(a: Analysis, sec: number): string[] {
  const s = a.summary;
  const beat = a.models.find((m) => m.task === 'beat');
  const rhythm = a.models.find((m) => m.task === 'rhythm');
  const call = a.recording;
  return [
    a.record,
    call ? `${call.label} ${call.confidence.toFixed(2)}` : '?',
    String(s.beats),
    String(s.pvcCount),
    (100 * s.pvcBurden).toFixed(1),
    perHourCell(a),
    `${s.couplets}/${s.triplets}/${s.bigeminyEpisodes}`,
    String(s.longestVtRunBeats),
    (100 * s.afBurden).toFixed(1),
    s.longestPauseSec.toFixed(2),
    s.unreadableSec === undefined ? '-' : s.unreadableSec.toFixed(0),
    `${bpmCell(s.meanHr)}/${bpmCell(s.minHr)}/${bpmCell(s.maxHr)}`,
    `${beat?.id ?? '?'}:${beat?.provider ?? '?'}`,
    `${rhythm?.id ?? '?'}:${rhythm?.provider ?? '?'}`,
    a.fromCache ? `${sec.toFixed(2)} (cache)` : sec.toFixed(2),
  ];
}

export const SUMMARY_COLUMNS = [
  'record',
  'recording',
  'beats',
  'PVC',
  'PVC %',
  'PVC/h',
  'coup/trip/bigem',
  'VT run',
  'AF %',
  'pause s',
  'unreadable s',
  'HR mean/min/max',
  'beat',
  'rhythm',
  'seconds',
];

function table(rows: string[][]): string {
  const all = [SUMMARY_COLUMNS, ...rows];
  const w = SUMMARY_COLUMNS.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}

async function writeStatusFile(file: string, line: StatusLine): Promise<void> {
  try {
    // the analysis of a record named <record>.error sits there: never written over
    if (existsSync(file) && !(await readErrorFile(file))) return;
    await mkdir(dirname(file), { recursive: true });
    await writeFileAtomic(file, Buffer.from(JSON.stringify(line, null, 2) + '\n'));
  } catch {
    // The status line and the exit code still say it; the file is a convenience for summarize.
  }
}

/** Removes the record's error file after its success; not a file of another name's (the analysis of <record>.error). */
async function removeErrorFile(file: string, recordPath: string): Promise<void> {
  const line = await readErrorFile(file);
  if (line && realRecordPath(line.recordPath) === realRecordPath(recordPath)) await rm(file, { force: true });
}

const command: CliCommand = {
  summary:
    'Analyses records as the app does (beat model or rule fallback, rhythm model, pauses, VT runs); a record of 3 h or more shares the work with a second thread. ' +
    'Prints a summary per record and writes <record>.pvc (WFDB: beat labels N/A/V/F/Q, rhythm changes "(AFIB" "(VT" "(N", pause notes), ' +
    '<record>.csv and <record>.json beside the record or into --out DIR (never over a file no analysis wrote; --layout flat: DIR/<record>.*, the default; ' +
    '--layout database: DIR/<database folder>/<record>.*, e.g. DIR/mitdb/100.json). Score with `evaluate --test pvc [--test-dir DIR]`.\n' +
    'Batch use: --skip-done skips a record whose JSON in the output folder holds the same record and settings; ' +
    '--json prints the analysis JSON instead of the table (an array when several records are named); ' +
    '--status prints one JSON line per record on stdout instead of the table ({record, recordPath, status: done|skipped|bad-input|retry, json, seconds, code, message}); ' +
    'with --out a failed record leaves <record>.error.json (removed by a later success); --threads N sets ONNX Runtime intra-op threads (default 1, or HEARTBEAT_ORT_THREADS).\n' +
    `Exit codes: 0 every record done or skipped; ${EXIT_RETRY} some record failed in a way another try may fix (I/O, a full disk): re-run, ideally with --skip-done; ` +
    '2 bad input (a missing or broken record, bad options, a file where an output folder should be): do not retry; 130 interrupted.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      ...ANALYSIS_FLAGS,
      out: { type: 'string' },
      layout: { type: 'string' },
      'skip-done': { type: 'boolean' },
      status: { type: 'boolean' },
      threads: { type: 'string' },
      json: { type: 'boolean' },
      leads: { type: 'string' },
    });
    if (p.positionals.length === 0) throw new CliError(`no record given\nusage: heartbeat-sensei ${usage}`);
    const analysis = analysisSettings(p);
    const outDir = stringFlag(p, 'out');
    const layout = stringFlag(p, 'layout', 'flat') as Layout;
    if (!LAYOUTS.includes(layout)) throw new CliError(`--layout must be flat or database, got "${layout}"`);
    if (layout !== 'flat' && !outDir) throw new CliError('--layout needs --out DIR');
    const threads = numberFlag(p, 'threads');
    if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) throw new CliError(`--threads must be a whole number >= 1, got ${threads}`);
    const statusLines = p.flags.status === true;
    if (statusLines && p.flags.json === true) throw new CliError('--status and --json both print on stdout: choose one');
    const leadsFlag = stringFlag(p, 'leads');
    const leads = leadsFlag === undefined ? undefined : leadsList(leadsFlag, 2);
    const settings: AnalyzeSettings = {
      ...analysis,
      ...(leads ? { leads } : {}),
      ...(threads !== undefined ? { threads } : {}),
    };
    const key = settingsKey(settings as Record<string, unknown>, await chosenModels(settings));
    const bases = p.positionals.map((r) => resolve(r.endsWith('.hea') ? r.slice(0, -4) : r));
    if (outDir) {
      const clash = collisions(bases, outDir, layout)[0];
      if (clash) throw new CliError(`${clash[0]} and ${clash[1]} would write the same files in ${outDir}${layout === 'flat' ? ': use --layout database' : ''}`);
      await makeFolder('--out', outDir);
    }
    const rows: string[][] = [];
    const jsons: Record<string, unknown>[] = [];
    const notes = new Set<string>();
    const statuses: RecordStatus[] = [];
    const report = (line: StatusLine) => {
      statuses.push(line.status);
      if (statusLines) console.log(JSON.stringify(line));
    };
    // one Ctrl-C handler for the whole run: a Ctrl-C between two records stops before the next
    const interrupt = ctrlC();
    try {
      for (const base of bases) {
        const name = recordName(base);
        const out = outDir ? outputBase(outDir, base, layout) : join(dirname(base), name);
        const done = await checkDone(`${out}.json`, base, key);
        if (!done.done && (done.collision || done.foreign)) {
          // Another record's analysis, or a file no analysis wrote, sits where this one's would go: never overwrite it.
          const elsewhere = outDir ? 'use another --out' : 'write the outputs elsewhere with --out DIR';
          const message = done.collision
            ? `${out}.json holds the outputs of ${done.collision}, not ${base}: ${elsewhere}`
            : `${done.foreign} is not an analysis this command wrote, and would be written over: ${elsewhere}`;
          if (!statusLines) console.error(`heartbeat-sensei analyze: ${message}`);
          report({ record: name, recordPath: base, status: 'bad-input', code: 'COLLISION', message });
          continue;
        }
        if (done.done && p.flags['skip-done'] === true) {
          report({ record: name, recordPath: base, status: 'skipped', json: `${out}.json` });
          continue;
        }
        const bar = progressBar(`analyze ${name}`);
        const t0 = performance.now();
        let a: Analysis;
        try {
          a = await analyzeInProcess(base, settings, interrupt.signal, (e) => bar.update(e.fraction, e.stage));
        } catch (e) {
          bar.done();
          if ((e as Error).name === 'CancelledError') {
            console.error(`heartbeat-sensei analyze: ${base}: cancelled`);
            return EXIT.interrupted;
          }
          // A bad record is reported and skipped; the others are still analysed. The code is one of the
          // app's (anything else, e.g. a Node errno, is ANALYSIS_FAILED), as the app's worker reports it.
          const { code, message } = toWireError(e, 'ANALYSIS_FAILED');
          if (!statusLines) console.error(`heartbeat-sensei analyze: ${withPath(base, message)}`);
          const line: StatusLine = { record: name, recordPath: base, status: failureStatus(code), code, message };
          if (outDir) await writeStatusFile(`${out}.error.json`, line);
          report(line);
          continue;
        }
        bar.done();
        const sec = (performance.now() - t0) / 1000;
        // recordPath and settingsKey let --skip-done and summarize know what the JSON is of.
        const json = { ...analysisJson(a), wallSec: sec, recordPath: base, settingsKey: key };
        try {
          await mkdir(dirname(out), { recursive: true });
          // The JSON renamed last: its presence means the record is done (--skip-done). The .csv
          // first: one left alone by a run stopped between renames is known as this command's by its header.
          await writeFilesAtomic([
            [`${out}.csv`, beatsCsv(a)],
            [`${out}.pvc`, encodeAnnotations(analysisAnnotations(a), `${out}.pvc`)],
            [`${out}.json`, Buffer.from(JSON.stringify(json, null, 2) + '\n')],
          ]);
          if (outDir) await removeErrorFile(`${out}.error.json`, base);
        } catch (e) {
          // Disk full, a folder gone: the analysis was fine, the write may pass next time. A file where
          // the outputs' folder should be (OUT/mitdb a file) stays there: bad input.
          const err = e as Error & { code?: string };
          if (!statusLines) console.error(`heartbeat-sensei analyze: ${base}: cannot write the outputs: ${err.message}`);
          const status = IN_THE_WAY.has(err.code) ? 'bad-input' : 'retry';
          report({ record: name, recordPath: base, status, code: err.code ?? 'WRITE_FAILED', message: err.message });
          continue;
        }
        report({ record: name, recordPath: base, status: 'done', json: `${out}.json`, seconds: sec });
        for (const w of a.recordWarnings ?? []) console.error(`heartbeat-sensei analyze: warning: ${w}`);
        for (const m of a.models) if (m.note) notes.add(`${m.task}: ${m.id} on ${m.provider} — ${m.note}`);
        for (const m of a.models) if (m.confidence?.unsure) notes.add(`${name}: ${confidenceText(m.confidence)}`);
        for (const l of a.leadsLeftOut ?? []) notes.add(`${name}: lead ${l.name} left out: ${l.reason}`);
        rows.push(summaryRow(a, sec));
        jsons.push(json);
      }
    } finally {
      interrupt.dispose();
    }
    // a Ctrl-C after the last record's analysis (its outputs were written whole: atomic writes)
    if (interrupt.signal.aborted) {
      console.error('heartbeat-sensei analyze: cancelled');
      return EXIT.interrupted;
    }
    if (statusLines) return exitCodeOf(statuses);
    // one record named: its object; several: an array, however many of them failed
    if (p.flags.json === true) console.log(JSON.stringify(bases.length === 1 && jsons.length === 1 ? jsons[0] : jsons, null, 2));
    else if (rows.length === 0) {
      // each record failed (said above: unreadable, or its outputs could not be written) or was already done: no table
      const skipped = statuses.filter((s) => s === 'skipped').length;
      const failed = statuses.length - skipped;
      console.log(`no analysis written: ${[failed && `${failed} failed`, skipped && `${skipped} already done (--skip-done)`].filter(Boolean).join(', ')}`);
    } else {
      console.log(table(rows));
      for (const n of notes) console.log(`note: ${n}`);
      const where = outDir ? (layout === 'database' ? `${outDir}/<database folder>` : outDir) : "each record's folder";
      console.log(`written: <record>.pvc, <record>.csv, <record>.json in ${where}`);
    }
    return exitCodeOf(statuses);
  },
};

export default command;
