// Analysis speed: a 30-minute MIT-BIH record and a 24-hour 2-lead synthetic Holter end to end on
// CPU (models, then the rule fallback), each in a fresh process: pipeline time, wall time with the
// worker's start, beats/s of the beat model (or rule) alone, peak RSS and the longest main-thread
// event-loop stall. Then the beat model's throughput by batch size (how DEFAULT_BEAT_BATCH was chosen).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BenchTable } from './harness';
import type { ModelUse } from '../src/shared/analysis';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, extractBeatWindows } from '../src/main/beats';
import { defaultModelsDir, loadCatalog, openModel, runBeatModel, sha256File, type ResolvedModel } from '../src/main/inference';
import { referenceBeats } from '../src/main/analysis';
import { openRecord } from '../src/main/wfdb';

const ROOT = resolve(import.meta.dirname, '..');
const DATA = resolve(process.env.HEARTBEAT_DATA ?? resolve(ROOT, '../shared/data'));
const HOLTER = process.env.HEARTBEAT_BENCH_HOLTER ?? join(tmpdir(), 'hbs-bench', 'holter24');

interface CaseResult {
  wallMs: number;
  warm: { wallMs: number; pipelineMs: number } | null;
  mainBusyMs: number;
  cpuMs: number;
  worstStall: { ms: number; stage: string };
  timingsMs: Record<string, number>;
  beats: number;
  models: ModelUse[];
  maxStallMs: number;
  p99StallMs: number;
  maxRssMB: number;
}

function runCase(record: string, settings: object | number, warm = false): CaseResult {
  const arg = typeof settings === 'number' ? String(settings) : JSON.stringify({ cacheDir: null, provider: 'cpu', ...settings });
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/analysis-case.ts'), record, arg, ...(warm ? ['--warm'] : [])], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as CaseResult;
}

function ensureHolter(): boolean {
  if (existsSync(`${HOLTER}.hea`)) return true;
  mkdirSync(join(HOLTER, '..'), { recursive: true });
  console.error(`making the 24-hour synthetic Holter at ${HOLTER} (once)…`);
  execFileSync(
    process.execPath,
    [join(ROOT, 'bin/heartbeat-sensei.mjs'), 'synth', '--scenario', 'holter', '--minutes', '1440', '--seed', '1', '--out', HOLTER],
    { cwd: ROOT, stdio: 'inherit' }
  );
  return existsSync(`${HOLTER}.hea`);
}

function used(r: CaseResult): string {
  return r.models.map((m) => `${m.task}:${m.id}/${m.provider}`).join(' ');
}

function row(name: string, r: CaseResult): (string | number)[] {
  const t = r.timingsMs;
  const beatPart = t.beatModelMs ?? t.beatRulesMs ?? NaN;
  return [
    name,
    used(r),
    r.beats,
    (t.totalMs ?? NaN) / 1000,
    r.wallMs / 1000,
    r.warm ? r.warm.wallMs / 1000 : NaN,
    r.cpuMs / 1000,
    r.beats / (beatPart / 1000),
    (t.beatsMs ?? 0) / 1000,
    (t.windowsMs ?? 0) / 1000,
    r.maxRssMB,
    r.mainBusyMs,
    r.maxStallMs,
    r.p99StallMs,
    r.worstStall.stage,
  ];
}

async function batchTable(): Promise<BenchTable | null> {
  const cat = await loadCatalog(defaultModelsDir());
  const model = cat.models.beat;
  const rec100 = join(DATA, 'mitdb/100');
  if (!model || !existsSync(`${rec100}.hea`)) return null;
  const rec = await openRecord(rec100);
  const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
  const sample = await referenceBeats(rec100, rec.nFrames);
  await rec.close();
  const bw = extractBeatWindows(signals, rec.fs, sample);
  const n = sample.length;
  const rows: (string | number)[][] = [];
  // ONNX Runtime's one-time start-up, kept out of the first row
  const first = await openModel(model, { provider: 'cpu' });
  await runBeatModel(first, bw, 64, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch: 64 });
  await first.session.release();
  // the same model's float32 export, where a training run left one: the int8 convolutions' baseline
  const float = process.env.HEARTBEAT_BENCH_FLOAT_MODEL ?? join(ROOT, 'training/work/beats/run/beat-pvc.float.onnx');
  const files: [string, ResolvedModel, number[], number[]][] = [[`${model.entry.version} (shipped)`, model, [1, 2], [64, 256, 512, 1024, 2048]]];
  if (existsSync(float))
    files.push(['float32 export of a training run', { entry: { ...model.entry, sha256: await sha256File(float) }, path: float }, [1], [256]]);
  for (const [label, file, threadList, batches] of files) {
    for (const threads of threadList) {
      for (const batch of batches) {
        // a fresh session per batch size: its first pass is what one analysis of this record costs
        const m = await openModel(file, { provider: 'cpu', threads });
        const t0 = performance.now();
        await runBeatModel(m, bw, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch });
        const cold = (performance.now() - t0) / 1000;
        let wall = Infinity;
        let cpu = Infinity;
        for (let rep = 0; rep < 3; rep++) {
          const t = performance.now();
          const c = process.cpuUsage();
          await runBeatModel(m, bw, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch });
          const cu = process.cpuUsage(c);
          wall = Math.min(wall, (performance.now() - t) / 1000);
          cpu = Math.min(cpu, (cu.user + cu.system) / 1e6);
        }
        rows.push([label, threads, batch, cold, n / wall, n / cpu]);
        await m.session.release();
      }
    }
  }
  return {
    title: `Beat model throughput by batch size (${model.entry.id} ${model.entry.version}, CPU, mitdb 100: ${n} beats)`,
    columns: ['file', 'intra-op threads', 'batch', 'first pass s (fresh session)', 'beats/s (best of 3 after it)', 'beats per CPU-second'],
    rows,
    notes: [
      "DEFAULT_BEAT_BATCH = 256 and DEFAULT_INTRA_OP_THREADS = 1 from this table (intra-op spinning off): 256 is about the fastest once warm, and a fresh session's first pass (what one record costs) grows with the batch. On a machine this busy, beats per CPU-second is the steadier figure.",
      'The shipped file runs its convolutions in int8 (hbs.quantize); the float32 row (HEARTBEAT_BENCH_FLOAT_MODEL, else training/work/beats/run/beat-pvc.float.onnx where `npm run train:beats` ran) is the same network in float32 kernels, the baseline of that ratio.',
    ],
  };
}

export async function run(): Promise<BenchTable[]> {
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const idle = runCase('--idle', 5);
  rows.push(['idle main thread, 5 s (machine baseline)', '-', 0, NaN, 5, NaN, NaN, NaN, NaN, NaN, NaN, idle.mainBusyMs, idle.maxStallMs, idle.p99StallMs, '-']);
  const rec100 = join(DATA, 'mitdb/100');
  if (existsSync(`${rec100}.hea`)) {
    rows.push(row('mitdb 100 (30 min), models', runCase(rec100, { beats: 'reference' }, true)));
    rows.push(row('mitdb 100 (30 min), rules', runCase(rec100, { beats: 'reference', useRules: true }, true)));
    rows.push(row('mitdb 100 (30 min), detector + models', runCase(rec100, { beats: 'detector' }, true)));
  } else notes.push(`mitdb not found under ${DATA}: 30-minute rows skipped`);
  if (ensureHolter()) {
    rows.push(row('24-h synthetic Holter, detector + models', runCase(HOLTER, { beats: 'detector' })));
    rows.push(row('24-h synthetic Holter, detector + rules', runCase(HOLTER, { beats: 'detector', useRules: true })));
  } else notes.push('24-hour Holter could not be made (src/main/synth): rows skipped');
  notes.push(
    "pipeline s: inside the worker (open → summary); wall s: from the main thread, worker start included (tsx compiles the sources on a cold start; the Electron bundle does not); warm wall s: the same record again in the same worker (JIT warm: the app's second record, the CLI's records after the first); CPU s: all threads of the process (first run);",
    'beat part beats/s: beat model inference (or the V rule) alone; windows s: beat windows + conditioning (src/main/beats);',
    'main busy ms: total time the main thread ran callbacks during the analysis (eventLoopUtilization().active): the work the analysis puts on it;',
    'stall: longest main-thread event-loop delay while the worker ran (monitorEventLoopDelay, 5 ms resolution) — on a loaded machine mostly waiting for a core (compare the idle baseline). Targets: 30 min < 1 s, 24 h < 20 s, RSS < 1.5 GB, stall < 50 ms.',
    `machine: ${(await import('node:os')).cpus().length} cores shared with other work; CUDA: ${(await import('../src/main/inference')).probeCuda().reason ?? 'available'}`
  );
  const tables: BenchTable[] = [
    {
      title: 'Analysis end to end (CPU)',
      columns: [
        'case',
        'models',
        'beats',
        'pipeline s',
        'wall s',
        'warm wall s',
        'CPU s',
        'beat part beats/s',
        'QRS/ref s',
        'windows s',
        'peak RSS MB',
        'main busy ms',
        'max stall ms',
        'p99 stall ms',
        'worst stall in',
      ],
      rows,
      notes,
    },
  ];
  const bt = await batchTable();
  if (bt) tables.push(bt);
  return tables;
}
