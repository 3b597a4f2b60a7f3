// heartbeat-sensei analyze: the app's analysis of WFDB records, headless. Per record it prints a
// summary row and writes <record>.pvc (WFDB annotations: beat labels, rhythm changes, pauses),
// <record>.csv and <record>.json beside the record or into --out DIR.
import { confidenceText } from '../../shared/confidence';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from '../index';
import { numberFlag, parseArgs, stringFlag } from '../args';
import { CliError } from '../errors';
import { progressBar } from '../progress';
import { AnalysisWorker, type AnalyzeSettings } from '../../main/analysis';
import { analysisAnnotations, analysisJson, beatsCsv } from '../../main/analysis/outputs';
import { recordName } from '../../main/analysis/record';
import type { Analysis } from '../../shared/analysis';
import { writeAnnotations } from '../../main/wfdb';
import { writeFileAtomic } from '../../main/wfdb/atomic';

const usage = 'analyze <records...> [--threshold T] [--beats atr|detect|auto] [--provider auto|cpu|cuda] [--rules] [--out DIR] [--json] [--no-cache] [--cache-dir DIR] [--models DIR] [--registry DIR] [--leads 0[,1]]';

const BEATS = { atr: 'reference', reference: 'reference', detect: 'detector', detector: 'detector', auto: 'auto' } as const;

function row(a: Analysis, sec: number): string[] {
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
    s.pvcPerHour.toFixed(0),
    `${s.couplets}/${s.triplets}/${s.bigeminyEpisodes}`,
    String(s.longestVtRunBeats),
    (100 * s.afBurden).toFixed(1),
    s.longestPauseSec.toFixed(2),
    `${s.meanHr.toFixed(0)}/${s.minHr.toFixed(0)}/${s.maxHr.toFixed(0)}`,
    `${beat?.id ?? '?'}:${beat?.provider ?? '?'}`,
    `${rhythm?.id ?? '?'}:${rhythm?.provider ?? '?'}`,
    a.fromCache ? `${sec.toFixed(2)} (cache)` : sec.toFixed(2),
  ];
}

const HEAD = ['record', 'recording', 'beats', 'PVC', 'PVC %', 'PVC/h', 'coup/trip/bigem', 'VT run', 'AF %', 'pause s', 'HR mean/min/max', 'beat', 'rhythm', 'seconds'];

function table(rows: string[][]): string {
  const all = [HEAD, ...rows];
  const w = HEAD.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return all.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]!) : c.padStart(w[i]!))).join('  ')).join('\n');
}

const command: Command = {
  summary:
    'Analyses records as the app does (beat model or rule fallback, rhythm model, pauses, VT runs) in a worker thread. ' +
    'Prints a summary per record and writes <record>.pvc (WFDB: beat labels N/A/V/F/Q, rhythm changes "(AFIB" "(VT" "(N", pause notes), ' +
    '<record>.csv and <record>.json beside the record or into --out DIR. Score with `evaluate --test pvc [--test-dir DIR]`.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      threshold: { type: 'string' },
      beats: { type: 'string' },
      provider: { type: 'string' },
      rules: { type: 'boolean' },
      out: { type: 'string' },
      json: { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      'cache-dir': { type: 'string' },
      models: { type: 'string' },
      registry: { type: 'string' },
      leads: { type: 'string' },
    });
    if (p.positionals.length === 0) throw new CliError(`no record given\nusage: heartbeat-sensei ${usage}`);
    const threshold = numberFlag(p, 'threshold');
    if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw new CliError(`--threshold must be within [0, 1], got ${threshold}`);
    const beatsFlag = stringFlag(p, 'beats', 'auto')!;
    const beats = BEATS[beatsFlag as keyof typeof BEATS];
    if (!beats) throw new CliError(`--beats must be atr, detect or auto, got "${beatsFlag}"`);
    const provider = stringFlag(p, 'provider', 'auto')!;
    if (provider !== 'auto' && provider !== 'cpu' && provider !== 'cuda') throw new CliError(`--provider must be auto, cpu or cuda, got "${provider}"`);
    const outDir = stringFlag(p, 'out');
    const leadsFlag = stringFlag(p, 'leads');
    const leads = leadsFlag === undefined ? undefined : leadsFlag.split(',').map((x) => Number(x.trim()));
    if (leads && (leads.length < 1 || leads.length > 2 || leads.some((i) => !Number.isInteger(i) || i < 0))) throw new CliError(`--leads takes one or two signal numbers (e.g. 0 or 0,1), got "${leadsFlag}"`);
    const settings: AnalyzeSettings = {
      ...(leads ? { leads } : {}),
      beats,
      provider,
      useRules: p.flags.rules === true,
      ...(threshold !== undefined ? { threshold } : {}),
      ...(p.flags['no-cache'] === true ? { cacheDir: null } : stringFlag(p, 'cache-dir') ? { cacheDir: resolve(stringFlag(p, 'cache-dir')!) } : {}),
      ...(stringFlag(p, 'models') ? { modelsDir: resolve(stringFlag(p, 'models')!) } : {}),
      // A fine-tune registry (src/main/finetune) whose active version replaces the shipped model; none by default.
      ...(stringFlag(p, 'registry') ? { registryDir: resolve(stringFlag(p, 'registry')!) } : {}),
    };
    if (outDir) await mkdir(outDir, { recursive: true });
    const rows: string[][] = [];
    const jsons: Record<string, unknown>[] = [];
    const notes = new Set<string>();
    let failed = 0;
    // One worker for all the records (started once), closed at the end.
    const worker = new AnalysisWorker();
    try {
      for (const recordPath of p.positionals) {
        const base = recordPath.endsWith('.hea') ? recordPath.slice(0, -4) : recordPath;
        const name = recordName(base);
        const bar = progressBar(`analyze ${name}`);
        const t0 = performance.now();
        const run = worker.analyze(resolve(base), settings, (e) => bar.update(e.fraction, e.stage));
        const stop = () => run.cancel();
        process.once('SIGINT', stop);
        let a: Analysis;
        try {
          a = await run.promise;
        } catch (e) {
          bar.done();
          const err = e as Error;
          if (err.name === 'CancelledError') throw new CliError(`${base}: cancelled`);
          // A bad record is reported and skipped; the others are still analysed (exit code 1).
          console.error(`heartbeat-sensei analyze: ${base}: ${err.message}`);
          failed++;
          continue;
        } finally {
          process.off('SIGINT', stop);
        }
        bar.done();
        const sec = (performance.now() - t0) / 1000;
        const dir = outDir ?? dirname(resolve(base));
        await writeAnnotations(join(dir, `${name}.pvc`), analysisAnnotations(a));
        await writeFileAtomic(join(dir, `${name}.csv`), Buffer.from(beatsCsv(a)));
        const json = { ...analysisJson(a), wallSec: sec };
        await writeFileAtomic(join(dir, `${name}.json`), Buffer.from(JSON.stringify(json, null, 2) + '\n'));
        for (const m of a.models) if (m.note) notes.add(`${m.task}: ${m.id} on ${m.provider} — ${m.note}`);
        for (const m of a.models) if (m.confidence?.unsure) notes.add(`${name}: ${confidenceText(m.confidence)}`);
        rows.push(row(a, sec));
        jsons.push(json);
      }
    } finally {
      await worker.close();
    }
    if (p.flags.json === true) console.log(JSON.stringify(jsons.length === 1 ? jsons[0] : jsons, null, 2));
    else {
      console.log(table(rows));
      for (const n of notes) console.log(`note: ${n}`);
      console.log(`written: <record>.pvc, <record>.csv, <record>.json in ${outDir ?? 'each record\'s folder'}`);
    }
    return failed ? 1 : 0;
  },
};

export default command;
