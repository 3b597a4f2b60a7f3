// Signal conditioning and QRS detection: resampling and filter-chain throughput on 30 minutes of
// real ECG (mitdb 100, or a synthetic signal without ../shared/data), and the detector over every
// record of mitdb (48) and cudb (35): total time, beats/s and EC57 gross Se/+P (bxb, 150 ms window,
// whole records; cudb beats outside VF episodes), all in one process, data read before timing.
import { readdirSync } from 'node:fs';
import { cascadedMedian, conditionForBeats, removeBaseline, resample, runningMedian, runningMedianHeap, simdAvailable } from '../src/main/dsp';
import { cascadedMedianDense, denseWasmAvailable } from '../src/main/dsp/median-dense';
import { detectQrs } from '../src/main/qrs';
import { compareBeats } from '../src/main/evaluation';
import { openRecord, readAnnotations, type Annotation } from '../src/main/wfdb';
import { dataPath, hasData } from '../tests/helpers/data';
import type { BenchTable } from './harness';

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Median wall and CPU time of `reps` runs after one warm-up. */
function measure(fn: () => unknown, reps = 3): Timing {
  fn();
  const runs: Timing[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    runs.push({ wallMs, cpuMs: (c.user + c.system) / 1000 });
  }
  const med = (k: keyof Timing): number => runs.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(reps / 2)]!;
  return { wallMs: med('wallMs'), cpuMs: med('cpuMs') };
}

async function testSignal(): Promise<{ x: Float32Array; source: string }> {
  if (hasData('mitdb/100.hea')) {
    const r = await openRecord(dataPath('mitdb', '100'));
    const [x] = await r.readPhysical(0, r.nFrames);
    await r.close();
    return { x: x!, source: 'mitdb 100 lead 0 (650000 samples)' };
  }
  const n = 650_000;
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.exp(-((((i % 300) - 150) / 4) ** 2)) + 0.2 * Math.sin(i * 0.004) + 0.02 * Math.sin(i * 1.1);
  return { x, source: 'synthetic spike train (650000 samples)' };
}

async function throughput(): Promise<BenchTable> {
  const { x, source } = await testSignal();
  const at250 = resample(x, 360, 250);
  const rows: (string | number)[][] = [];
  const add = (name: string, n: number, fn: () => unknown): void => {
    const t = measure(fn);
    rows.push([name, String(n), t.wallMs, t.cpuMs, n / t.cpuMs / 1000]);
  };
  const simd = simdAvailable() ? 'WebAssembly SIMD' : 'no WebAssembly SIMD here: the JavaScript loop';
  for (const [from, to, input] of [
    [250, 360, at250],
    [360, 125, x],
    [257, 360, at250],
    [128, 360, at250],
  ] as const) {
    add(`resample ${from} -> ${to} Hz (${simd})`, input.length, () => resample(input, from, to));
    add(`resample ${from} -> ${to} Hz (JavaScript loop, the baseline)`, input.length, () => resample(input, from, to, { simd: false }));
  }
  add('runningMedian 217 (600 ms)', x.length, () => runningMedian(x, 217));
  add('runningMedianHeap 217 (two-heap reference)', x.length, () => runningMedianHeap(x, 217));
  // a resampled lead (as a 250- or 128-Hz record's beat windows take it): too many distinct values for the ADC histogram
  const resampled = resample(at250, 250, 360);
  const engine = denseWasmAvailable() ? 'WebAssembly' : 'no WebAssembly here: JavaScript';
  add(`200 + 600 ms medians, resampled lead (dense ranks, ${engine})`, resampled.length, () => cascadedMedian(resampled, [73, 217]));
  add('200 + 600 ms medians, resampled lead (dense ranks, JavaScript)', resampled.length, () => cascadedMedianDense(resampled, [73, 217], { wasm: false }));
  add('200 + 600 ms medians, resampled lead (two heaps, the baseline)', resampled.length, () => runningMedianHeap(runningMedianHeap(resampled, 73), 217));
  add('removeBaseline (200 + 600 ms medians)', x.length, () => removeBaseline(x, 360));
  add('conditionForBeats (baseline + 35 Hz low-pass)', x.length, () => conditionForBeats(x, 360));
  return {
    title: 'dsp: resampling and filter throughput',
    columns: ['operation', 'input samples', 'wall ms', 'cpu ms', 'Msamples/s (cpu)'],
    rows,
    notes: [
      `input: ${source}; median of 3 runs after a warm-up; Msamples/s = input samples / CPU time.`,
      "resample: the WebAssembly SIMD rows and their JavaScript-loop baselines give the same bits (tests/unit/resample-simd.test.ts); 128 -> 360 Hz is the beat windows' path for a 128 Hz Holter (both leads), 360 -> 125 Hz the rhythm windows' (lead 0).",
      'runningMedian takes the histogram-of-ranks path on quantised (ADC) input and ranks from a radix sort on a resampled lead (median-dense.ts, on WebAssembly where it loads: median-dense.wat), all bit-identical to the two-heap reference and to sorted windows (tests/unit/dsp-equivalence.test.ts, median-dense.test.ts).',
      `24 h at 360 Hz is 31.1 M samples per lead: conditionForBeats ≈ ${(31.1 / (rows[rows.length - 1]![4] as number)).toFixed(1)} s CPU per lead at this rate.`,
    ],
  };
}

interface Loaded {
  name: string;
  fs: number;
  x: Float32Array[];
  ref: Annotation[];
}

async function loadDb(db: string): Promise<Loaded[]> {
  const dir = dataPath(db);
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.hea'))
    .map((f) => f.slice(0, -4))
    .sort();
  const out: Loaded[] = [];
  for (const name of names) {
    const r = await openRecord(dataPath(db, name));
    out.push({ name, fs: r.fs, x: await r.readPhysical(0, r.nFrames), ref: await readAnnotations(dataPath(db, name), 'atr') });
    await r.close();
  }
  return out;
}

async function detector(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  const notes = [
    'EC57 beat by beat with src/main/evaluation (bxb: 150 ms window, whole records, VF episodes excluded); all leads of each record fused.',
    'time = detectQrs only (signals already in memory), two passes over the database after a warm-up record (the first still compiling); anchor: WFDB gqrs 99.73 / 99.72 % on mitdb, 1.18 s CPU (1.77 s wall, 48 processes; bench/speed.bench.ts sets it beside the detector CPU time).',
  ];
  for (const db of ['mitdb', 'cudb']) {
    if (!hasData(db)) {
      notes.push(`${db}: ../shared/data/${db} not found, skipped`);
      continue;
    }
    const recs = await loadDb(db);
    detectQrs(recs[0]!.x, recs[0]!.fs); // warm-up
    const passes: { wallMs: number; cpuMs: number; dets: Int32Array[] }[] = [];
    for (let pass = 0; pass < 2; pass++) {
      let wallMs = 0,
        cpuMs = 0;
      const dets: Int32Array[] = [];
      for (const r of recs) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        dets.push(detectQrs(r.x, r.fs));
        wallMs += performance.now() - t0;
        const c = process.cpuUsage(c0);
        cpuMs += (c.user + c.system) / 1000;
      }
      passes.push({ wallMs, cpuMs, dets });
    }
    let tp = 0,
      fn = 0,
      fp = 0,
      beats = 0,
      hours = 0;
    recs.forEach((r, i) => {
      const det = passes[1]!.dets[i]!;
      const n = r.x[0]!.length;
      beats += det.length;
      hours += n / r.fs / 3600;
      // as `heartbeat-sensei evaluate` (bxb): the record's length ends the comparison
      const q = compareBeats(r.ref, { sample: det, code: new Int32Array(det.length).fill(1) }, { fs: r.fs, endSec: n / r.fs }).stats.qrs;
      tp += q.tp;
      fn += q.fn;
      fp += q.fp;
    });
    const [p1, p2] = [passes[0]!, passes[1]!];
    rows.push([
      db,
      String(recs.length),
      hours.toFixed(2),
      String(tp),
      String(fn),
      String(fp),
      ((100 * tp) / (tp + fn)).toFixed(3),
      ((100 * tp) / (tp + fp)).toFixed(3),
      `${(p1.wallMs / 1000).toFixed(2)} / ${(p2.wallMs / 1000).toFixed(2)}`,
      `${(p1.cpuMs / 1000).toFixed(2)} / ${(p2.cpuMs / 1000).toFixed(2)}`,
      (beats / p2.cpuMs) * 1000,
    ]);
  }
  return {
    title: 'qrs: detector over whole databases',
    columns: ['db', 'records', 'hours', 'TP', 'FN', 'FP', 'Se %', '+P %', 'wall s (1st / 2nd pass)', 'cpu s (1st / 2nd)', 'beats/s (cpu, 2nd)'],
    rows,
    notes,
  };
}

export async function run(): Promise<BenchTable[]> {
  return [await throughput(), await detector()];
}
