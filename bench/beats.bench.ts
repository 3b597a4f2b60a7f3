// Beats + RR features (and rhythm windows) of a 24-hour 2-lead Holter: time, throughput and the
// peak memory added on top of the input signal (Linux: VmHWM reset via clear_refs, measured in a
// fresh child process, beats.measure.ts, so the set-up's garbage does not hide it).
// BENCH_HOURS=1 npm run bench -- beats for a quick run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { aamiClassOf } from '../src/main/evaluation';
import { synthesize } from '../src/main/synth';
import { openRecord, readAnnotations } from '../src/main/wfdb';
import { dataPath, hasData } from '../tests/helpers/data';
import type { BenchTable } from './harness';

const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const MB = 1024 * 1024;

interface Holter {
  name: string;
  fs: number;
  signals: Float32Array[];
  beats: Int32Array;
}

interface Measured {
  ms: number;
  /** CPU time of the call (all threads): close to the wall time on an idle machine. */
  cpuMs: number;
  n: number;
  outBytes: number;
  peakExtra: number | null;
}

/** Times one call in a fresh child process (beats.measure.ts) fed with the record's raw leads. */
function measure(h: Holter, what: 'beats' | 'rhythm'): Measured {
  const dir = mkdtempSync(join(tmpdir(), 'hs-bench-beats-'));
  try {
    h.signals.forEach((s, i) => writeFileSync(join(dir, `lead${i}.f32`), new Uint8Array(s.buffer, s.byteOffset, s.byteLength)));
    writeFileSync(join(dir, 'beats.i32'), new Uint8Array(h.beats.buffer, h.beats.byteOffset, h.beats.byteLength));
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'beats.measure.ts'), dir, String(h.fs), what], {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    return JSON.parse(out.trim().split('\n').pop()!) as Measured;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function synthetic(): Holter {
  const r = synthesize({ scenario: 'holter', minutes: HOURS * 60, seed: 1, fs: 250 });
  const signals = r.signals.map((s) => Float32Array.from(s, (v) => v / r.gain));
  const beats = Int32Array.from(r.annotations.filter((a) => aamiClassOf(a.code) !== null).map((a) => a.sample));
  return { name: `synth holter, seed 1, ${HOURS} h`, fs: r.fs, signals, beats };
}

/** mitdb 208 (30 min, 2 leads, frequent PVCs and couplets) repeated to HOURS hours. */
async function tiledMitdb(): Promise<Holter | null> {
  if (!hasData('mitdb/208.hea')) return null;
  const rec = await openRecord(dataPath('mitdb', '208'));
  const one = await rec.readPhysical(0, rec.nFrames);
  await rec.close();
  const beatsOne = (await readAnnotations(dataPath('mitdb', '208'), 'atr')).filter((a) => aamiClassOf(a.code) !== null).map((a) => a.sample);
  const tiles = Math.round((HOURS * 3600 * rec.fs) / rec.nFrames);
  const signals = one.map((s) => {
    const x = new Float32Array(s.length * tiles);
    for (let k = 0; k < tiles; k++) x.set(s, k * s.length);
    return x;
  });
  const beats = new Int32Array(beatsOne.length * tiles);
  for (let k = 0; k < tiles; k++) for (let i = 0; i < beatsOne.length; i++) beats[k * beatsOne.length + i] = beatsOne[i]! + k * rec.nFrames;
  return { name: `mitdb 208 × ${tiles}`, fs: rec.fs, signals, beats };
}

export async function run(): Promise<BenchTable[]> {
  const beatRows: (string | number)[][] = [];
  const rhythmRows: (string | number)[][] = [];
  const peak = (m: Measured) => (m.peakExtra === null ? NaN : m.peakExtra / MB);
  for (const make of [synthetic, tiledMitdb]) {
    const h = await make();
    if (!h) continue;
    const hours = h.signals[0]!.length / h.fs / 3600;
    const b = measure(h, 'beats');
    beatRows.push([h.name, h.fs, hours, b.n, b.ms / 1000, b.cpuMs / 1000, b.n / (b.cpuMs / 1000), b.outBytes / MB, peak(b)]);
    const r = measure(h, 'rhythm');
    rhythmRows.push([h.name, h.fs, hours, r.n, r.ms / 1000, r.cpuMs / 1000, r.n / (r.cpuMs / 1000), r.outBytes / MB, peak(r)]);
  }
  const load = `load average at the end: ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} (on ${availableParallelism()} cores)`;
  const memNote =
    'peak MB: resident memory the call adds at its peak over the input already loaded (its output included), VmHWM in a fresh process; NaN where /proc/self/clear_refs is unavailable';
  return [
    {
      title: `Beats: 216×2 windows at 360 Hz + RR features of a ${HOURS}-hour 2-lead record (extractBeatWindows)`,
      columns: ['input', 'fs', 'hours', 'beats', 'wall s', 'CPU s', 'beats/CPU s', 'output MB', 'peak MB'],
      rows: beatRows,
      notes: [
        'one cold run per input in its own process; at 250 Hz this includes resampling to 360 Hz; CPU s is what the wall time is on an idle core (the machine is shared)',
        memNote,
        load,
      ],
    },
    {
      title: 'Rhythm windows: 10 s at 125 Hz every 5 s, lead 0 of the same records (rhythmWindows)',
      columns: ['input', 'fs', 'hours', 'windows', 'wall s', 'CPU s', 'windows/CPU s', 'output MB', 'peak MB'],
      rows: rhythmRows,
      notes: [memNote, load],
    },
  ];
}
