// The synthetic ECG generator: ground truth consistent with the signal and with physiology.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  annotate,
  synthesize,
  writeSynthRecord,
  createNoise,
  createRng,
  drawFwave,
  fwaveUnit,
  type SynthResult,
  type SynthAnnotation,
} from '../../src/main/synth';
import { codeOf, RHYTHM } from '../../src/main/wfdb/codes';
import { lastBeforeOrEnd } from '../../src/main/synth/synthesize';
import { openRecord, readAnnotations } from '../../src/main/wfdb';

const N = codeOf('N')!;
const V = codeOf('V')!;
const A = codeOf('A')!;
const beatsOf = (anns: readonly SynthAnnotation[]) => anns.filter((a) => a.code !== RHYTHM);

/**
 * SNR of lead 0 as nst defines it: S from the noise-free twin's median sinus QRS peak-to-peak (±0.1 s
 * around each N beat) squared over 8, N the mean power of what the noise added (gain 200 adu/mV).
 */
function measuredSnrDb(
  noisy: { signals: ArrayLike<number>[] },
  ref: { signals: ArrayLike<number>[]; annotations: readonly SynthAnnotation[] },
  fs: number
): number {
  const x = noisy.signals[0]!;
  const y = ref.signals[0]!;
  let pn = 0;
  for (let i = 0; i < x.length; i++) pn += ((x[i]! - y[i]!) / 200) ** 2;
  pn /= x.length;
  const half = Math.round(0.1 * fs);
  const pp = beatsOf(ref.annotations)
    .filter((a) => a.code === N && a.sample > half && a.sample < y.length - half)
    .map((a) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = a.sample - half; i <= a.sample + half; i++) {
        lo = Math.min(lo, y[i]!);
        hi = Math.max(hi, y[i]!);
      }
      return (hi - lo) / 200;
    })
    .sort((a, b) => a - b);
  return 10 * Math.log10(pp[pp.length >> 1]! ** 2 / 8 / pn);
}

/** Beats with the rhythm each one belongs to (the last rhythm annotation before it). */
function labelled(anns: readonly SynthAnnotation[]): { sample: number; code: number; rhythm: string }[] {
  let rhythm = '';
  const out: { sample: number; code: number; rhythm: string }[] = [];
  for (const a of anns) {
    if (a.code === RHYTHM) rhythm = a.aux!.replace(/\0/g, '');
    else out.push({ sample: a.sample, code: a.code, rhythm });
  }
  return out;
}

const cv = (x: number[]) => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length) / m;
};

/** QRS width (ms) at 10 % of the R amplitude on a noise-free lead: outermost samples within ±150 ms with |x| ≥ 0.1 |x(R)|. */
function qrsWidthMs(x: Int16Array, s: number, fs: number): number {
  const h = Math.round(0.15 * fs);
  const th = 0.1 * Math.abs(x[s]!);
  let lo = s;
  let hi = s;
  for (let i = s - h; i <= s + h; i++) {
    if (Math.abs(x[i]!) >= th) {
      lo = Math.min(lo, i);
      hi = Math.max(hi, i);
    }
  }
  return ((hi - lo + 1) / fs) * 1000;
}

describe('synthesize', () => {
  const demo = synthesize({ scenario: 'demo', minutes: 10, seed: 7 });
  const clean = synthesize({ scenario: 'demo', minutes: 10, seed: 7, snrDb: null });

  it('annotates every generated beat once, with its class, and the demo holds every feature', () => {
    const s = demo.summary;
    const beats = beatsOf(demo.annotations);
    expect(beats.length).toBe(s.beats);
    expect(beats.filter((a) => a.code === V).length).toBe(s.byCode.V);
    expect(beats.filter((a) => a.code === A).length).toBe(s.byCode.A);
    expect(beats.filter((a) => a.code === N).length).toBe(s.byCode.N);
    // ~10 min at ~70 bpm
    expect(s.beats).toBeGreaterThan(600);
    expect(s.beats).toBeLessThan(900);
    // strictly increasing samples, all inside the record
    for (let i = 1; i < beats.length; i++) expect(beats[i]!.sample).toBeGreaterThan(beats[i - 1]!.sample);
    expect(beats[beats.length - 1]!.sample).toBeLessThan(demo.nSamples);
    expect(s.couplets).toBeGreaterThanOrEqual(1);
    expect(s.vtRuns).toContain(8);
    expect(s.byCode.A).toBeGreaterThan(0);
    expect(s.isolatedPvcs).toBeGreaterThan(10);
    const rhythms = s.episodes.map((e) => e.rhythm);
    for (const r of ['(N', '(B', '(T', '(VT', '(AFIB']) expect(rhythms).toContain(r);
    const af = s.episodes.filter((e) => e.rhythm === '(AFIB');
    expect(af.length).toBe(1);
    expect((af[0]!.end - af[0]!.start) / demo.fs).toBeGreaterThan(110);
    expect(s.pauses.length).toBe(1);
    const [p0, p1] = s.pauses[0]!;
    expect((p1 - p0) / demo.fs).toBeCloseTo(2.5, 2);
    // several PVC shapes (multifocal): count distinct QRS polarity/amplitude signatures on the clean signal
    const shapes = new Set(
      beatsOf(clean.annotations)
        .filter((a) => a.code === V)
        .map(
          (a) =>
            `${Math.sign(clean.signals[0]![a.sample]!)}${Math.sign(clean.signals[1]![a.sample]!)}${Math.round(Math.abs(clean.signals[0]![a.sample]!) / 40)}`
        )
    );
    expect(shapes.size).toBeGreaterThanOrEqual(2);
  });

  it('labels rhythms as MIT-BIH does: VT runs are ≥ 3 V at 120–220 bpm, AF beats are N without a P wave, bigeminy alternates N V', () => {
    const lb = labelled(demo.annotations);
    const vt = lb.filter((b) => b.rhythm === '(VT');
    expect(vt.length).toBeGreaterThanOrEqual(3);
    expect(vt.every((b) => b.code === V)).toBe(true);
    for (let i = 1; i < vt.length; i++) {
      const bpm = (60 * demo.fs) / (vt[i]!.sample - vt[i - 1]!.sample);
      // 120–220 bpm, ± one sample of rounding
      expect(bpm).toBeGreaterThanOrEqual(118);
      expect(bpm).toBeLessThanOrEqual(223);
    }
    const bigem = lb.filter((b) => b.rhythm === '(B');
    for (let i = 1; i < bigem.length; i++) expect(bigem[i]!.code).not.toBe(bigem[i - 1]!.code);
    // outside VT runs, no three consecutive V
    for (let i = 2; i < lb.length; i++) if (lb[i]!.code === V && lb[i - 1]!.code === V && lb[i - 2]!.code === V) expect(lb[i]!.rhythm).toBe('(VT');
  });

  it('PVCs are premature with a full compensatory pause; PACs are premature with a non-compensatory one', () => {
    const r = synthesize({ scenario: 'pvc', minutes: 10, seed: 3, snrDb: null });
    const lb = labelled(r.annotations);
    let pvcs = 0;
    let pacs = 0;
    for (let i = 2; i < lb.length - 2; i++) {
      const [p2, p1, b, n1, n2] = [lb[i - 2]!, lb[i - 1]!, lb[i]!, lb[i + 1]!, lb[i + 2]!];
      if ([p2, p1, n1, n2].some((x) => x.code !== N || x.rhythm !== '(N') || b.rhythm !== '(N') continue;
      // the sinus cycle: mean of the RR before and after (sinus arrhythmia changes it beat to beat)
      const rr = (p1.sample - p2.sample + n2.sample - n1.sample) / 2;
      const pre = b.sample - p1.sample;
      const post = n1.sample - b.sample;
      if (b.code === V) {
        pvcs++;
        expect(pre / rr).toBeLessThan(0.8);
        expect(Math.abs((pre + post) / (2 * rr) - 1)).toBeLessThan(0.1);
      } else if (b.code === A) {
        pacs++;
        expect(pre / rr).toBeLessThan(0.85);
        expect((pre + post) / (2 * rr)).toBeLessThan(0.96);
      }
    }
    expect(pvcs).toBeGreaterThan(20);
    expect(pacs).toBeGreaterThan(0);
  });

  it('PVC QRS complexes are wide (≥ 120 ms) and sinus ones narrow (≤ 100 ms), measured on the signal', () => {
    // outside AF: coarse f-waves reach 10 % of the R amplitude and would blur the boundaries
    const beats = labelled(clean.annotations).filter((a) => a.rhythm !== '(AFIB' && a.sample > clean.fs && a.sample < clean.nSamples - clean.fs);
    const w = (code: number) => beats.filter((a) => a.code === code).map((a) => qrsWidthMs(clean.signals[0]!, a.sample, clean.fs));
    const wv = w(V);
    const wn = w(N);
    expect(wv.length).toBeGreaterThan(20);
    expect(Math.min(...wv)).toBeGreaterThanOrEqual(120);
    expect(Math.max(...wn)).toBeLessThanOrEqual(100);
  });

  it('AF has an irregularly irregular RR (high CV) and sinus rhythm a regular one', () => {
    const rrOf = (r: SynthResult) => {
      const b = beatsOf(r.annotations).filter((a) => a.code === N);
      return b.slice(1).map((a, i) => a.sample - b[i]!.sample);
    };
    const af = cv(rrOf(synthesize({ scenario: 'af', minutes: 5, seed: 11, snrDb: null })));
    const sinus = cv(rrOf(synthesize({ scenario: 'normal', minutes: 5, seed: 11, snrDb: null })));
    expect(af).toBeGreaterThan(0.15);
    expect(sinus).toBeLessThan(0.08);
    expect(sinus).toBeGreaterThan(0.01); // HRV is there
  });

  it('AF shows f-waves at 4–9 Hz on the baseline, absent in sinus rhythm', () => {
    // V1 power spectrum (1–20 Hz, 0.5 Hz steps) per sample over the T–Q segments (R + 400 ms to the next R - 250 ms)
    const freqs = Array.from({ length: 39 }, (_, i) => 1 + 0.5 * i);
    const tqSpectrum = (r: SynthResult) => {
      const x = r.signals[1]!;
      const b = beatsOf(r.annotations);
      const spec = new Float64Array(freqs.length);
      let samples = 0;
      for (let i = 1; i < b.length; i++) {
        const a = b[i - 1]!.sample + Math.round(0.4 * r.fs);
        const n = b[i]!.sample - Math.round(0.25 * r.fs) - a;
        if (n < 0.1 * r.fs) continue;
        samples += n;
        freqs.forEach((f, j) => {
          let re = 0;
          let im = 0;
          for (let k = 0; k < n; k++) {
            const ph = (2 * Math.PI * f * k) / r.fs;
            re += x[a + k]! * Math.cos(ph);
            im += x[a + k]! * Math.sin(ph);
          }
          spec[j] += (re * re + im * im) / n;
        });
      }
      return spec.map((v) => v / samples);
    };
    const band = (spec: Float64Array) => freqs.reduce((s, f, j) => (f >= 4 && f <= 9 ? s + spec[j]! : s), 0);
    const af = tqSpectrum(synthesize({ scenario: 'af', minutes: 1, seed: 5, snrDb: null }));
    const sinus = tqSpectrum(synthesize({ scenario: 'normal', minutes: 1, seed: 5, snrDb: null }));
    const peak = freqs[af.indexOf(Math.max(...af.filter((_, j) => freqs[j]! >= 3)))]!;
    expect(peak).toBeGreaterThanOrEqual(4);
    expect(peak).toBeLessThanOrEqual(9);
    expect(band(af)).toBeGreaterThan(8 * band(sinus));
    // the f-wave generator alone: dominant frequency within 4–9 Hz, for several draws
    for (let seed = 1; seed <= 5; seed++) {
      const p = drawFwave(createRng(seed, 'x'));
      let best = 0;
      let bestF = 0;
      for (let f = 1; f <= 30; f += 0.25) {
        let re = 0;
        let im = 0;
        for (let k = 0; k < 10 * 360; k++) {
          const t = k / 360;
          const v = fwaveUnit(p, t);
          re += v * Math.cos(2 * Math.PI * f * t);
          im += v * Math.sin(2 * Math.PI * f * t);
        }
        if (re * re + im * im > best) {
          best = re * re + im * im;
          bestF = f;
        }
      }
      expect(bestF).toBeGreaterThanOrEqual(4);
      expect(bestF).toBeLessThanOrEqual(9);
    }
  });

  it('scales noise to the requested SNR (S = QRS peak-to-peak² / 8, as WFDB nst)', () => {
    const snrOf = (snrDb: number) =>
      measuredSnrDb(synthesize({ scenario: 'demo', minutes: 3, seed: 9, snrDb }), synthesize({ scenario: 'demo', minutes: 3, seed: 9, snrDb: null }), 360);
    const s12 = snrOf(12);
    const s24 = snrOf(24);
    expect(s12).toBeGreaterThan(10);
    expect(s12).toBeLessThan(14);
    expect(s24 - s12).toBeGreaterThan(11);
    expect(s24 - s12).toBeLessThan(13);
  });

  it('gives the asked SNR in the scenarios at rest too (normal, af, pvc: activity 0.5), not 1.3 dB more', () => {
    for (const scenario of ['normal', 'af'] as const) {
      const snr = measuredSnrDb(
        synthesize({ scenario, minutes: 3, seed: 9, fs: 250, snrDb: 12 }),
        synthesize({ scenario, minutes: 3, seed: 9, fs: 250, snrDb: null }),
        250
      );
      expect(Math.abs(snr - 12)).toBeLessThan(0.5);
    }
  });

  it('stops the f-waves 0.3 s before the first sinus beat after AF, clear of its P wave', () => {
    const beat = (time: number, rhythm: '(AFIB' | '(N') => ({ time, code: 'N' as const, shape: 0, p: rhythm === '(N' ? 1 : 0, gain: [1, 1] as const, rhythm });
    const s = { beats: [beat(9.4, '(AFIB'), beat(10, '(AFIB'), beat(11.2, '(N')], pauses: [], respHz: 0.25 };
    // the "(N" annotation (the episode's end) is up to 100 ms before the R peak: the P wave (~0.19 s before) is earlier
    expect(lastBeforeOrEnd(s, 11.1, 60)).toBeCloseTo(10.9, 9);
    expect(lastBeforeOrEnd(s, 12, 60)).toBe(60);
  });

  it('is deterministic: same seed, same samples and annotations; another seed differs', () => {
    const again = synthesize({ scenario: 'demo', minutes: 10, seed: 7 });
    expect(Buffer.from(again.signals[0]!.buffer).equals(Buffer.from(demo.signals[0]!.buffer))).toBe(true);
    expect(Buffer.from(again.signals[1]!.buffer).equals(Buffer.from(demo.signals[1]!.buffer))).toBe(true);
    expect(again.annotations).toEqual(demo.annotations);
    const other = synthesize({ scenario: 'demo', minutes: 10, seed: 8 });
    expect(Buffer.from(other.signals[0]!.buffer).equals(Buffer.from(demo.signals[0]!.buffer))).toBe(false);
    expect(other.annotations).not.toEqual(demo.annotations);
  });

  it('keeps the same rhythm at any sampling rate: beats at round(t·fs)', () => {
    const r250 = synthesize({ scenario: 'demo', minutes: 2, seed: 4 });
    const r500 = synthesize({ scenario: 'demo', minutes: 2, seed: 4, fs: 500 });
    expect(r500.nSamples).toBe(2 * 60 * 500);
    const b360 = beatsOf(r250.annotations);
    const b500 = beatsOf(r500.annotations);
    expect(b500.length).toBe(b360.length);
    for (let i = 0; i < b500.length; i++) {
      expect(b500[i]!.code).toBe(b360[i]!.code);
      expect(Math.abs(b500[i]!.sample / 500 - b360[i]!.sample / 360)).toBeLessThanOrEqual(0.5 / 360 + 0.5 / 500 + 1e-9);
    }
  });

  it('holter: paroxysmal AF, VT runs, pauses > 2 s, a few % PVCs and a heart rate that follows activity', () => {
    const r = synthesize({ scenario: 'holter', minutes: 90, seed: 12 });
    const s = r.summary;
    expect(s.episodes.some((e) => e.rhythm === '(AFIB' && e.end - e.start > 60 * r.fs)).toBe(true);
    expect(s.vtRuns.length).toBeGreaterThanOrEqual(1);
    const all = labelled(r.annotations);
    for (let i = 1; i < all.length; i++) {
      if (all[i]!.rhythm !== '(VT' || all[i - 1]!.rhythm !== '(VT') continue;
      const bpm = (60 * r.fs) / (all[i]!.sample - all[i - 1]!.sample);
      expect(bpm).toBeGreaterThanOrEqual(118);
      expect(bpm).toBeLessThanOrEqual(223);
    }
    expect(s.pauses.length).toBeGreaterThanOrEqual(1);
    for (const [a, b] of s.pauses) expect((b - a) / r.fs).toBeGreaterThan(2);
    expect(s.byCode.V / s.beats).toBeGreaterThan(0.01);
    expect(s.byCode.V / s.beats).toBeLessThan(0.08);
    // per-minute sinus rate spans rest and exercise
    const lb = labelled(r.annotations).filter((b) => b.rhythm === '(N');
    const perMin = new Map<number, number[]>();
    for (let i = 1; i < lb.length; i++) {
      if (lb[i]!.code !== N || lb[i - 1]!.code !== N) continue;
      const m = Math.floor(lb[i]!.sample / (60 * r.fs));
      perMin.set(m, [...(perMin.get(m) ?? []), lb[i]!.sample - lb[i - 1]!.sample]);
    }
    const bpm = [...perMin.values()].filter((v) => v.length > 20).map((v) => (60 * r.fs * v.length) / v.reduce((a, b) => a + b, 0));
    expect(Math.max(...bpm) - Math.min(...bpm)).toBeGreaterThan(20);
  });

  it('renders noise identically whatever the chunking', () => {
    const opts = { snrDb: 10, baseline: 0.4, muscle: 0.4, motion: 0.2 };
    const act = (t: number) => 0.5 + 0.5 * Math.sin(t / 7);
    const n = 30_000;
    const whole = [new Float64Array(n), new Float64Array(n)];
    createNoise(2, opts, 360, n, [0.1, 0.2], 0.25, act).addTo(whole, 0);
    const parts = [new Float64Array(n), new Float64Array(n)];
    const src = createNoise(2, opts, 360, n, [0.1, 0.2], 0.25, act);
    for (const [a, b] of [
      [0, 1234],
      [1234, 20_000],
      [20_000, n],
    ] as const)
      src.addTo(
        parts.map((p) => p.subarray(a, b)),
        a
      );
    expect(parts[0]).toEqual(whole[0]);
    expect(parts[1]).toEqual(whole[1]);
    expect(whole[0]!.some((v) => v !== 0)).toBe(true);
  });
});

describe('annotate', () => {
  it('never puts a beat at or past the end: a beat in the last half sample rounds to nSamples', () => {
    const seconds = 10;
    const fs = 360;
    const nSamples = Math.round(seconds * fs);
    const beat = (time: number) => ({ time, code: 'N' as const, shape: 0, p: 1, gain: [1, 1] as const, rhythm: '(N' as const });
    const s = { beats: [beat(1), beat(5), beat(seconds - 0.001)], pauses: [], respHz: 0.25 };
    const anns = annotate(s, fs, nSamples);
    expect(anns.filter((a) => a.code !== RHYTHM).map((a) => a.sample)).toEqual([360, 1800]);
    expect(Math.max(...anns.map((a) => a.sample))).toBeLessThan(nSamples);
    // without the record's length every beat is annotated (the old behaviour, one past the end here)
    expect(
      annotate(s, fs)
        .filter((a) => a.code !== RHYTHM)
        .map((a) => a.sample)
    ).toEqual([360, 1800, nSamples]);
  });
});

describe('writeSynthRecord', () => {
  it('reads back through src/main/wfdb with every annotation on its R peak', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-synth-'));
    try {
      for (const [fs, format] of [
        [360, 212],
        [250, 16],
      ] as const) {
        const path = join(dir, 'sub', `rec${fs}`);
        const r = await writeSynthRecord(path, { scenario: 'demo', minutes: 4, seed: 21, fs, format });
        expect(r.format).toBe(format);
        const rec = await openRecord(path);
        const raw = await rec.readRaw(0, r.nSamples);
        await rec.close();
        expect(rec.header.fs).toBe(fs);
        expect(rec.header.nFrames).toBe(r.nSamples);
        expect(rec.header.signals.map((s) => s.description)).toEqual(['MLII', 'V1']);
        expect(rec.header.signals[0]!.adcGain).toBe(200);
        expect(rec.header.signals[0]!.format).toBe(format);
        expect(Array.from(raw[0]!)).toEqual(Array.from(r.signals[0]!));
        const anns = await readAnnotations(path, 'atr');
        expect(anns).toEqual(r.annotations);
        // the annotated sample is the extremum of lead 0 (baseline: median of the window) within ±100 ms, to a few ms
        const x = raw[0]!;
        const h = Math.round(0.1 * fs);
        let worst = 0;
        let off = 0;
        const beats = beatsOf(anns).filter((a) => a.sample > h && a.sample < r.nSamples - h);
        for (const a of beats) {
          const w = Array.from(x.subarray(a.sample - h, a.sample + h + 1));
          const med = [...w].sort((p, q) => p - q)[h]!;
          let k = 0;
          for (let i = 1; i < w.length; i++) if (Math.abs(w[i]! - med) > Math.abs(w[k]! - med)) k = i;
          const d = Math.abs(k - h);
          worst = Math.max(worst, d);
          if (d > 0.01 * fs) off++;
        }
        expect(beats.length).toBeGreaterThan(200);
        expect(off / beats.length).toBeLessThan(0.01); // ≥ 99 % within 10 ms under noise
        expect(worst / fs).toBeLessThan(0.03);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('puts annotations exactly on the extremum of a noise-free record', async () => {
    const r = synthesize({ scenario: 'pvc', minutes: 3, seed: 2, snrDb: null });
    const x = r.signals[0]!;
    for (const a of beatsOf(r.annotations)) {
      if (a.sample < 40 || a.sample > r.nSamples - 40) continue;
      let k = a.sample;
      for (let i = a.sample - 36; i <= a.sample + 36; i++) if (Math.abs(x[i]!) > Math.abs(x[k]!)) k = i;
      expect(Math.abs(k - a.sample)).toBeLessThanOrEqual(1);
    }
  });

  it('writes the same bytes for the same seed and different bytes for another', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-synth-'));
    try {
      await writeSynthRecord(join(dir, 'a', 'r'), { scenario: 'normal', minutes: 2, seed: 5 });
      await writeSynthRecord(join(dir, 'b', 'r'), { scenario: 'normal', minutes: 2, seed: 5 });
      await writeSynthRecord(join(dir, 'c', 'r'), { scenario: 'normal', minutes: 2, seed: 6 });
      for (const ext of ['hea', 'dat', 'atr']) {
        const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => readFile(join(dir, d, `r.${ext}`))));
        expect(a!.equals(b!)).toBe(true);
        if (ext !== 'hea') expect(a!.equals(c!)).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
