// WFDB decoding: throughput on a whole MIT-BIH record and on a 24-hour, 2-signal, format-212
// record built here (writeRecord, synthetic ECG-like ADC data), plus the 24-hour record's open
// time, a 10-s window at hour 12, and the peak memory of reading it whole. The 24-hour read runs
// in a child process (this file, with WFDB_BENCH_CHILD set) so its memory is measured alone.
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRecord, writeRecord } from '../src/main/wfdb';
import { decodeSamples } from '../src/main/wfdb/formats';
import { dataPath, hasData } from '../tests/helpers/data';
import type { BenchTable } from './harness';

const FS = 360;
const HOURS = 24;
const MB = 1e6;

interface Timing {
  wallMs: number;
  bestMs: number;
  cpuMs: number;
}

/** Median wall and CPU time, and the best wall time, of `reps` runs after one warm-up. */
async function measure(fn: () => Promise<unknown>, reps: number): Promise<Timing> {
  await fn();
  const runs: Timing[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await fn();
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    runs.push({ wallMs, bestMs: wallMs, cpuMs: (c.user + c.system) / 1000 });
  }
  const sorted = (k: 'wallMs' | 'cpuMs') => runs.map((r) => r[k]).sort((a, b) => a - b);
  return { wallMs: sorted('wallMs')[Math.floor(reps / 2)]!, bestMs: sorted('wallMs')[0]!, cpuMs: sorted('cpuMs')[Math.floor(reps / 2)]! };
}

/** Plausible 2-lead ADC data: a 72-bpm beat (QRS spike + T wave), baseline wander, mains hum, noise. */
function synthesise(n: number, lead: number): Int16Array {
  const rr = (FS * 60) / 72; // 300 samples
  const beat = Float64Array.from({ length: rr }, (_, k) => {
    const phase = k / rr;
    return Math.exp(-(((phase - 0.3) / 0.012) ** 2)) * (lead === 0 ? 600 : -350) + Math.exp(-(((phase - 0.6) / 0.05) ** 2)) * 120;
  });
  const wanderPeriod = FS * 7;
  const wander = Float64Array.from({ length: wanderPeriod }, (_, k) => 80 * Math.sin((2 * Math.PI * k) / wanderPeriod));
  const hum = Float64Array.from({ length: 6 }, (_, k) => 6 * Math.sin((2 * Math.PI * 60 * k) / FS));
  const out = new Int16Array(n);
  let seed = 12345 + lead;
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    out[i] = Math.round(beat[i % rr]! + wander[i % wanderPeriod]! + hum[i % 6]! + ((seed >>> 16) % 21) - 10);
  }
  return out;
}

interface ChildReport {
  openMs: number;
  windowMs: number;
  fullMs: number;
  fullCpuMs: number;
  rssBeforeMB: number;
  peakRssMB: number;
  heapAbBeforeMB: number;
  heapAbAfterMB: number;
  outputMB: number;
  datMB: number;
  samples: number;
}

/** Runs in the child: open the 24-hour record, read a 10-s window at hour 12, then all of it. */
async function child(recordPath: string): Promise<ChildReport> {
  const heapAb = () => {
    const m = process.memoryUsage();
    return (m.heapUsed + m.arrayBuffers) / MB;
  };
  const rssBeforeMB = process.memoryUsage().rss / MB;
  const heapAbBeforeMB = heapAb();
  let t0 = performance.now();
  const rec = await openRecord(recordPath);
  const openMs = performance.now() - t0;
  const at = 12 * 3600 * FS;
  t0 = performance.now();
  await rec.readRaw(at, at + 10 * FS);
  const windowMs = performance.now() - t0;
  const c0 = process.cpuUsage();
  t0 = performance.now();
  const raw = await rec.readRaw(0, rec.nFrames);
  const fullMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const heapAbAfterMB = heapAb();
  const peakRssMB = (process.resourceUsage().maxRSS * 1024) / MB;
  const outputMB = raw.reduce((s, a) => s + a.byteLength, 0) / MB;
  const datMB = (await stat(join(rec.dir, rec.header.signals[0]!.fileName))).size / MB;
  await rec.close();
  return {
    openMs,
    windowMs,
    fullMs,
    fullCpuMs: (c.user + c.system) / 1000,
    rssBeforeMB,
    peakRssMB,
    heapAbBeforeMB,
    heapAbAfterMB,
    outputMB,
    datMB,
    samples: raw.reduce((s, a) => s + a.length, 0),
  };
}

export async function run(): Promise<BenchTable[]> {
  const rows: (string | number)[][] = [];
  const notes: string[] = [
    'wall = median of 7 reads after a warm-up (file in the page cache); best = fastest of them; CPU MB/s = .dat bytes per second of process CPU time',
    '(on a shared, loaded machine the best-wall and CPU columns show the decoder, the median shows the load; see the load average below)',
    `load average when the bench started: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} CPUs`,
  ];
  const row = (name: string, datBytes: number, samples: number, t: Timing) => [
    name,
    datBytes / MB,
    samples / 1e6,
    t.wallMs,
    datBytes / MB / (t.wallMs / 1000),
    datBytes / MB / (t.bestMs / 1000),
    samples / 1e6 / (t.bestMs / 1000),
    datBytes / MB / (t.cpuMs / 1000),
  ];

  if (hasData('mitdb/100.dat')) {
    const rec = await openRecord(dataPath('mitdb', '100'));
    const bytes = (await stat(dataPath('mitdb', '100.dat'))).size;
    const t = await measure(() => rec.readRaw(0, rec.nFrames), 7);
    rows.push(row('mitdb 100 readRaw (212, 2 signals, 30 min)', bytes, rec.nFrames * 2, t));
    // the decode loop alone, on bytes already in memory
    const buf = new Uint8Array(await readFile(dataPath('mitdb', '100.dat')));
    const out = new Int32Array(rec.nFrames * 2);
    rows.push(row('  format-212 decode loop only (in memory)', bytes, out.length, await measure(async () => decodeSamples(212, buf, out.length, out), 7)));
    await rec.close();
  } else notes.push('mitdb/100 not found in the shared data: its row is missing');

  const dir = await mkdtemp(join(tmpdir(), 'wfdb-bench-'));
  try {
    const n = HOURS * 3600 * FS;
    const spec = { format: 212 as const, adcGain: 200, baseline: 0, units: 'mV', adcResolution: 12, adcZero: 0, description: '' };
    const signals = [synthesise(n, 0), synthesise(n, 1)];
    const tw = performance.now();
    await writeRecord(dir, 'holter24', {
      fs: FS,
      signals,
      specs: [
        { ...spec, description: 'MLII' },
        { ...spec, description: 'V5' },
      ],
    });
    const writeMs = performance.now() - tw;
    signals.length = 0;
    const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, WFDB_BENCH_CHILD: join(dir, 'holter24') },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as ChildReport;
    rows.push(
      row(`24-h record readRaw (212, 2 signals, ${FS} Hz; one cold run)`, r.datMB * MB, r.samples, { wallMs: r.fullMs, bestMs: r.fullMs, cpuMs: r.fullCpuMs })
    );
    const mem: BenchTable = {
      title: 'WFDB 24-hour record (2 signals, format 212, 360 Hz), read in a fresh process',
      columns: ['measure', 'value'],
      rows: [
        ['.dat size (MB)', r.datMB],
        ['samples (M)', r.samples / 1e6],
        ['writeRecord (ms)', writeMs],
        ['openRecord (ms)', r.openMs],
        ['10-s window at hour 12 (ms)', r.windowMs],
        ['whole read (ms, single run)', r.fullMs],
        ['output Int16Arrays (MB)', r.outputMB],
        ['RSS before the read (MB)', r.rssBeforeMB],
        ['peak RSS (MB)', r.peakRssMB],
        ['peak RSS growth / output size', (r.peakRssMB - r.rssBeforeMB) / r.outputMB],
        ['heap + arrayBuffers growth (MB)', r.heapAbAfterMB - r.heapAbBeforeMB],
      ],
      notes: ['peak RSS growth counts everything the read allocated (output arrays, 1 MiB read buffer, decode chunk) over the process before it'],
    };
    return [
      { title: 'WFDB decode throughput', columns: ['case', '.dat MB', 'Msamples', 'wall ms', 'MB/s', 'best MB/s', 'best Msamples/s', 'CPU MB/s'], rows, notes },
      mem,
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.env.WFDB_BENCH_CHILD) {
  const report = await child(process.env.WFDB_BENCH_CHILD);
  process.stdout.write(JSON.stringify(report) + '\n');
}
