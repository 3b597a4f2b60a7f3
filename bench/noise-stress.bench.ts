// Noise stress test in the manner of WFDB's `nst` (EC57): recorded-style noise (baseline wander,
// muscle artefact, electrode motion; src/main/synth/noise.ts) added to a clean MIT-BIH record in
// 2-minute stretches alternating with 2 clean minutes from minute 5, at SNRs of 24 … −6 dB, with
// S = (QRS peak-to-peak)² / 8 measured per lead at the reference beats, as nst does. Each noisy
// record is analysed with the QRS detector and scored beat by beat (bxb, from 5 min) on QRS and V,
// over all beats and leaving out the time the analysis flagged unreadable (its share reported).
//   npm run bench -- noise-stress        (HEARTBEAT_NST_RECORDS="119 213" to choose the records)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { analyzeRecord } from '../src/main/analysis';
import { CLASS_CODE, compareBeats, isBeatCode } from '../src/main/evaluation';
import { createNoise } from '../src/main/synth';
import { openRecord, readAnnotations, writeRecord } from '../src/main/wfdb';
import { AAMI_CLASSES, type Analysis } from '../src/shared/analysis';
import type { BenchTable } from './harness';

const DATA = resolve(process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../shared/data'));
const SNRS = [24, 18, 12, 6, 0, -6];
const GAIN = 200;

/** Median QRS peak-to-peak (mV) of a lead around the reference beats (±50 ms). */
function qrsPeakToPeak(x: Float32Array, beats: number[], fs: number): number {
  const h = Math.round(0.05 * fs);
  const pp = beats.slice(0, 2000).map((s) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = Math.max(0, s - h); i < Math.min(x.length, s + h); i++) {
      lo = Math.min(lo, x[i]!);
      hi = Math.max(hi, x[i]!);
    }
    return hi - lo;
  });
  pp.sort((a, b) => a - b);
  return pp[pp.length >> 1] ?? 1;
}

function testBeats(a: Analysis, keep: (s: number) => boolean): { sample: number; code: number }[] {
  const out: { sample: number; code: number }[] = [];
  for (let k = 0; k < a.beats.sample.length; k++)
    if (keep(a.beats.sample[k]!)) out.push({ sample: a.beats.sample[k]!, code: CLASS_CODE[AAMI_CLASSES[a.beats.label[k]!]!] });
  return out;
}

const pct = (x: number | null) => (x === null ? '–' : (100 * x).toFixed(1));

export async function run(): Promise<BenchTable> {
  const records = (process.env.HEARTBEAT_NST_RECORDS ?? '119').split(/\s+/).filter(Boolean);
  const rows: (string | number)[][] = [];
  const dir = mkdtempSync(join(tmpdir(), 'hbs-nst-'));
  try {
    for (const name of records) {
      const path = join(DATA, 'mitdb', name);
      const rec = await openRecord(path);
      const fs = rec.fs;
      const clean = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
      await rec.close();
      const ref = (await readAnnotations(path, 'atr')).filter((a) => isBeatCode(a.code));
      const pp = clean.map((x) =>
        qrsPeakToPeak(
          x,
          ref.map((a) => a.sample),
          fs
        )
      );
      for (const snr of SNRS) {
        // noise rms per lead for this SNR: S / N = 10^(snr/10), S = pp² / 8
        const scale = pp.map((p) => Math.sqrt((p * p) / 8 / 10 ** (snr / 10)));
        const noise = createNoise(snr + 1000, { snrDb: snr, baseline: 1, muscle: 1, motion: 1 }, fs, clean[0]!.length, scale, 0.25, () => 1);
        const add = clean.map((x) => Float64Array.from(x));
        noise.addTo(add, 0);
        const on = (i: number) => i >= 300 * fs && Math.floor((i - 300 * fs) / (120 * fs)) % 2 === 0;
        const signals = clean.map((x, l) => Int16Array.from(x, (v, i) => Math.max(-32767, Math.min(32767, Math.round(GAIN * (on(i) ? add[l]![i]! : v))))));
        const noisy = `${name}_${snr < 0 ? 'm' + -snr : snr}`;
        await writeRecord(dir, noisy, {
          fs,
          signals,
          specs: signals.map((_, l) => ({ format: 16, adcGain: GAIN, baseline: 0, units: 'mV', adcResolution: 16, adcZero: 0, description: `lead ${l}` })),
        });
        const a = await analyzeRecord(join(dir, noisy), { beats: 'detector', cacheDir: null });
        const noiseIv = a.episodes.filter((e) => e.type === 'NOISE' && e.source === 'rules');
        const readable = (s: number) => !noiseIv.some((e) => s >= e.onsetSample && s < e.offsetSample);
        const all = compareBeats(
          ref,
          testBeats(a, () => true),
          { fs, startSec: 300 }
        );
        const kept = compareBeats(
          ref.filter((b) => readable(b.sample)),
          testBeats(a, readable),
          { fs, startSec: 300 }
        );
        const unreadable = noiseIv.reduce((s, e) => s + (e.offsetSample - e.onsetSample), 0) / fs;
        rows.push([
          name,
          snr,
          pct(all.stats.qrs.se),
          pct(all.stats.qrs.ppv),
          pct(all.stats.V.se),
          pct(all.stats.V.ppv),
          pct(kept.stats.qrs.se),
          pct(kept.stats.qrs.ppv),
          pct(kept.stats.V.se),
          pct(kept.stats.V.ppv),
          ((100 * unreadable) / a.durationSec).toFixed(1),
        ]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    title: 'Noise stress (nst-style: baseline + muscle + electrode motion, 2-min noisy stretches from 5 min), detector beats, bxb from 5 min',
    columns: ['record', 'SNR dB', 'QRS Se', 'QRS +P', 'V Se', 'V +P', 'readable QRS Se', 'readable QRS +P', 'readable V Se', 'readable V +P', 'unreadable %'],
    rows,
    notes: [
      '"readable": reference and detected beats inside the analysis\'s unreadable (NOISE, signal quality) stretches left out; targets at 6 dB: QRS +P ≥ 97 %, V +P ≥ 95 %.',
    ],
  };
}
