// Speed and memory targets, whole processes as a user runs them:
//  - `heartbeat-sensei analyze` on a 30-minute MIT-BIH record and on a 24-hour 2-lead synthetic
//    Holter (detector and reference beats): wall time (start included), CPU time of all threads,
//    peak RSS, each a fresh child process (median wall of REPS runs; CPU and RSS of that run);
//  - QRS detection CPU time over the 48 mitdb records in one process, beside the reference figure
//    of WFDB's gqrs (C) and beside wfdb-python's xqrs run here when Python's `wfdb` is installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { dataPath, hasData } from '../tests/helpers/data';
import type { BenchTable } from './harness';
import { ThreadCpu } from './speed-threads';
import { simdAvailable } from '../src/main/dsp';

const ROOT = resolve(import.meta.dirname, '..');
const HOLTER = process.env.HEARTBEAT_BENCH_HOLTER ?? join(tmpdir(), 'hbs-bench', 'holter24');
/** The same Holter at 128 Hz, as many recorders store it: both leads resampled to 360 Hz for the beat windows. */
const HOLTER_128 = `${HOLTER}-128`;
const REPS = Number(process.env.HBS_BENCH_REPS ?? 3);
const HOLTER_REPS = Number(process.env.HBS_BENCH_HOLTER_REPS ?? 1);

/** WFDB gqrs over the 48 mitdb records, 48 processes, on a machine of this class (the figure). */
const GQRS = { cpuS: 1.18, wallS: 1.77, se: 99.73, ppv: 99.72 };
const TARGETS = { record30WallS: 0.5, holterWallS: 8, holterRssMB: 500 };

interface Usage {
  wallS: number;
  cpuS: number;
  /** CPU of the busiest thread (null off Linux). */
  threadCpuS: number | null;
  maxRssMB: number;
}

/** One process of the built CLI (`args(dir)`: its command line, writing into the temporary folder dir), its wall time and its own usage at exit. */
async function cliOnce(args: (dir: string) => string[]): Promise<Usage> {
  const dir = mkdtempSync(join(tmpdir(), 'hbs-speed-'));
  const usageFile = join(dir, 'usage.json');
  const argv = args(dir);
  try {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(ROOT, 'bin/heartbeat-sensei.mjs'), ...argv], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: `--require ${join(ROOT, 'bench/peak-rss.cjs')}`, HBS_BENCH_USAGE_FILE: usageFile },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const threads = new ThreadCpu(child.pid!);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    const wallS = (performance.now() - t0) / 1000;
    const threadCpuS = threads.stop();
    if (status !== 0) throw new Error(`${argv.slice(0, 2).join(' ')} exited ${status}: ${stderr}`);
    if (stderr.includes('through tsx')) throw new Error(`the CLI ran from the sources, not the build: ${stderr}`);
    return { wallS, threadCpuS, ...(JSON.parse(readFileSync(usageFile, 'utf8')) as Omit<Usage, 'wallS' | 'threadCpuS'>) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function analyzeMedian(record: string, args: string[], reps: number): Promise<Usage> {
  const runs: Usage[] = [];
  for (let i = 0; i < reps; i++) runs.push(await cliOnce((dir) => ['analyze', record, '--no-cache', '--out', dir, ...args]));
  runs.sort((a, b) => a.wallS - b.wallS);
  return runs[runs.length >> 1]!;
}

function ensureHolter(path: string, fs: number): boolean {
  if (existsSync(`${path}.hea`)) return true;
  mkdirSync(join(path, '..'), { recursive: true });
  console.error(`making the 24-hour synthetic Holter at ${path} (${fs} Hz, once)…`);
  const args = ['synth', '--scenario', 'holter', '--minutes', '1440', '--seed', '1', '--fs', String(fs), '--out', path];
  spawnSync(process.execPath, [join(ROOT, 'bin/heartbeat-sensei.mjs'), ...args], { cwd: ROOT, stdio: 'inherit' });
  return existsSync(`${path}.hea`);
}

async function wholeProcesses(): Promise<BenchTable> {
  spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'ignore' });
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  const row = (name: string, u: Usage, target: string, met: boolean) =>
    rows.push([name, u.wallS, u.cpuS, u.threadCpuS ?? NaN, u.maxRssMB, target, met ? 'yes' : 'NO']);
  if (hasData('mitdb/100.hea')) {
    const u = await analyzeMedian(dataPath('mitdb', '100'), [], REPS);
    row('mitdb 100 (30 min), reference beats', u, `wall < ${TARGETS.record30WallS} s`, u.wallS < TARGETS.record30WallS);
  } else notes.push('mitdb not found: the 30-minute row is skipped');
  const holters: [string, string, string[]][] = [
    [HOLTER, '24-h 2-lead Holter, --beats detect', ['--beats', 'detect']],
    [HOLTER, '24-h 2-lead Holter, --beats atr', ['--beats', 'atr']],
    [HOLTER_128, '24-h 2-lead Holter at 128 Hz, --beats detect', ['--beats', 'detect']],
  ];
  for (const [path, name, args] of holters) {
    if (!ensureHolter(path, path === HOLTER_128 ? 128 : 360)) {
      notes.push(`${path} could not be made: its row is skipped`);
      continue;
    }
    const u = await analyzeMedian(path, args, HOLTER_REPS);
    row(name, u, `wall < ${TARGETS.holterWallS} s, RSS < ${TARGETS.holterRssMB} MB`, u.wallS < TARGETS.holterWallS && u.maxRssMB < TARGETS.holterRssMB);
  }
  notes.push(
    `heartbeat-sensei analyze RECORD --no-cache --out TMP (the built CLI, models on CPU), a fresh process each; wall: median of ${REPS} (HBS_BENCH_REPS; Holter: of ${HOLTER_REPS}, HBS_BENCH_HOLTER_REPS), start included; CPU: all threads; busiest thread: the CPU of the process's busiest thread (/proc, Linux), its serial chain, about the wall time when two cores are free; peak RSS: the process's own (bench/peak-rss.cjs).`,
    `Holter: ${HOLTER} (heartbeat-sensei synth --scenario holter --minutes 1440 --seed 1; HEARTBEAT_BENCH_HOLTER overrides), ${HOLTER_128} the same with --fs 128. Machine: ${(await import('node:os')).cpus().length} cores shared with other work: compare runs made back to back.`,
    `Resampler: ${simdAvailable() ? 'WebAssembly SIMD' : 'the JavaScript loop (no WebAssembly SIMD in this Node): the 128 Hz row and every rhythm window take longer'} (src/main/dsp/resample-simd.ts).`
  );
  return { title: 'Speed targets: whole processes', columns: ['case', 'wall s', 'CPU s', 'busiest thread CPU s', 'peak RSS MB', 'target', 'met'], rows, notes };
}

/** The detector bundled as the app ships it (bench/qrs-passes.ts) over the records, in a child process. */
async function detectorPasses(dir: string): Promise<{ firstPassCpuS: number; bestCpuS: number; tp: number; fn: number; fp: number }> {
  const { build } = await import('esbuild');
  mkdirSync(join(ROOT, 'out'), { recursive: true });
  const tmp = mkdtempSync(join(ROOT, 'out', 'bench-qrs-')); // inside the project: the bundle imports its packages from node_modules
  try {
    const bundle = join(tmp, 'qrs-passes.mjs');
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['bench/qrs-passes.ts'],
      outfile: bundle,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20.19',
      packages: 'external',
      logLevel: 'warning',
    });
    const r = spawnSync(process.execPath, [bundle, dir, '7'], { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`bench/qrs-passes.ts exited ${r.status}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { firstPassCpuS: number; bestCpuS: number; tp: number; fn: number; fp: number };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

async function qrsAgainstGqrs(): Promise<BenchTable | null> {
  if (!hasData('mitdb')) return null;
  const dir = dataPath('mitdb');
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => join(dir, f.slice(0, -4)))
    .sort();
  const d = await detectorPasses(dir);
  // `heartbeat-sensei detect` over the records in one process: start, read, detect, write, as gqrs's figure counts them
  const jobs: number[] = [];
  for (let i = 0; i < 3; i++) jobs.push((await cliOnce((dir) => ['detect', ...records, '--out', dir])).cpuS);
  jobs.sort((a, b) => a - b);
  const se = ((100 * d.tp) / (d.tp + d.fn)).toFixed(2);
  const ppv = ((100 * d.tp) / (d.tp + d.fp)).toFixed(2);
  const rows: (string | number)[][] = [
    ['detectQrs (this build, bundled), one process: best warm pass', String(records.length), d.bestCpuS, d.bestCpuS / GQRS.cpuS, se, ppv],
    ["detectQrs, the same process's first pass (JIT cold)", String(records.length), d.firstPassCpuS, d.firstPassCpuS / GQRS.cpuS, se, ppv],
    ['heartbeat-sensei detect, one process: start, read, detect, write', String(records.length), jobs[1]!, jobs[1]! / GQRS.cpuS, se, ppv],
    ['WFDB gqrs (C), 48 processes: reference figure', '48', GQRS.cpuS, 1, GQRS.se.toFixed(2), GQRS.ppv.toFixed(2)],
    xqrsRow(records),
  ];
  return {
    title: 'QRS detection CPU time, mitdb (48 records) against gqrs',
    columns: ['detector', 'records', 'CPU s', '× gqrs CPU', 'Se %', '+P %'],
    rows,
    notes: [
      'detectQrs: bench/qrs-passes.ts bundled by esbuild as the CLI is (run through tsx the same code is ~40 % slower), signals in memory (the reference annotations read after the passes: held during them, their objects slow every garbage collection ~50 %), all leads fused; CPU = best of 6 passes after the first, cold one. Se/+P: EC57 bxb (150 ms, whole records).',
      'heartbeat-sensei detect RECORDS --out TMP: the built CLI, one process writing a .qrs per record; CPU of the whole process (median of 3), as the gqrs figure counts its 48 processes.',
      `gqrs: WFDB's C detector is not installable here; ${GQRS.cpuS} s CPU (${GQRS.wallS} s wall, reading and writing included) was measured on a machine of this class. Target: ≤ 1.0× gqrs CPU.`,
    ],
  };
}

/** wfdb-python's xqrs over the records, in one Python process, when the package is installed. */
function xqrsRow(records: string[]): (string | number)[] {
  const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import wfdb'], { stdio: 'ignore' }).status === 0);
  if (!python) return ["wfdb-python xqrs: not run (no Python with the 'wfdb' package here)", String(records.length), NaN, NaN, '-', '-'];
  const script = [
    'import sys, time, wfdb',
    'from wfdb import processing',
    'cpu = 0.0',
    'for p in sys.argv[1:]:',
    '    sig, f = wfdb.rdsamp(p, channels=[0])',
    '    t = time.process_time()',
    '    processing.xqrs_detect(sig=sig[:, 0], fs=f["fs"], verbose=False)',
    '    cpu += time.process_time() - t',
    'print(cpu)',
  ].join('\n');
  const r = spawnSync(python, ['-c', script, ...records], { encoding: 'utf8' });
  if (r.status !== 0) return [`wfdb-python xqrs: failed (${r.stderr.trim().split('\n').pop()})`, String(records.length), NaN, NaN, '-', '-'];
  const cpu = Number(r.stdout.trim());
  return ['wfdb-python xqrs (lead 0), one process', String(records.length), cpu, cpu / GQRS.cpuS, '-', '-'];
}

export async function run(): Promise<BenchTable[]> {
  const tables = [await wholeProcesses()];
  const q = await qrsAgainstGqrs();
  if (q) tables.push(q);
  return tables;
}
