import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord, applyThreshold } from '../../src/main/analysis';
import {
  clipModelNoise,
  DEFAULT_QUALITY,
  flatWindows,
  gateAfByQuality,
  leadQuality,
  qualityOfLeadsSteps,
  QUALITY,
  unreadableEpisodes,
  withoutRhythm,
} from '../../src/main/quality';
import type { Analysis, Episode } from '../../src/shared/analysis';
import { createNoise, createRng, synthesize } from '../../src/main/synth';
import { dataPath, needData } from '../helpers/data';
import { writeSynthesized } from '../helpers/synth-record';

const FS = 360;
const dir = mkdtempSync(join(tmpdir(), 'hbs-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An analysis's beats less those whose sample `drop` picks (their per-beat columns alike; widths and embeddings left out). */
function beatsWithout(a: Analysis, drop: (sample: number) => boolean): Analysis['beats'] {
  const keep = Array.from(a.beats.sample, (x) => !drop(x));
  const pick = <T extends Float32Array | Int32Array | Uint8Array>(x: T, per = 1): T => x.filter((_, i) => keep[Math.floor(i / per)]) as T;
  const beats = {
    ...a.beats,
    sample: pick(a.beats.sample),
    probs: pick(a.beats.probs, 5),
    pvcScore: pick(a.beats.pvcScore),
    label: pick(a.beats.label),
    rrMs: pick(a.beats.rrMs),
  };
  delete beats.wide;
  delete beats.embedding;
  return beats;
}

/** 10 s of a 1-mV 1.2-Hz "ECG-like" smooth wave at FS. */
function smooth(sec = 10): Float32Array {
  return Float32Array.from({ length: sec * FS }, (_, i) => Math.sin((2 * Math.PI * 1.2 * i) / FS) + 0.3 * Math.sin((2 * Math.PI * 7 * i) / FS));
}

describe('per-second signal quality of one lead', () => {
  it('flags a flat line, saturation, high-frequency noise and a baseline jump, and leaves clean seconds alone', () => {
    const x = smooth(10);
    x.fill(0.2, 2 * FS, 3 * FS); // second 2: flat
    const rng = createRng(5);
    for (let i = 4 * FS; i < 5 * FS; i++) x[i]! += 0.8 * (rng.next() - 0.5); // second 4: white noise
    for (let i = 6 * FS; i < 10 * FS; i++) x[i]! += 3; // second 6 onwards sits 3 mV higher: one jump
    x.fill(9, 8 * FS, 8 * FS + FS / 2); // half of second 8 at the lead's maximum
    const f = leadQuality(x, FS);
    expect(f.length).toBe(10);
    expect(f[2]! & QUALITY.FLAT).toBeTruthy();
    expect(f[4]! & QUALITY.HF_NOISE).toBeTruthy();
    expect(f[6]! & QUALITY.BASELINE_JUMP).toBeTruthy();
    expect(f[8]! & QUALITY.SATURATED).toBeTruthy();
    for (const s of [0, 1, 5, 7]) expect(f[s]).toBe(0); // (second 9 reads as a jump back from the saturated level)
  });

  it('one pass in steps gives the flags of the per-second definitions (range over the whole lead, infinities, NaN, a part second)', () => {
    // the definitions written plainly: the lead's range first, then each second on its own
    function plain(x: Float32Array, fs: number): Uint8Array {
      const per = Math.round(fs);
      const nSec = Math.ceil(x.length / per);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of x) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const f = new Uint8Array(nSec);
      const ratio: number[] = [];
      const act: number[] = [];
      const level: number[] = [];
      const hfLevel: number[] = [];
      const ranges: number[] = [];
      const lag = Math.max(1, Math.round(fs / 360));
      for (let s = 0; s < nSec; s++) {
        const sec = Array.from(x.subarray(s * per, Math.min(x.length, (s + 1) * per)));
        const fin = sec.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
        const range = fin.length ? fin[fin.length - 1]! - fin[0]! : NaN;
        if (sec.length - fin.length > sec.length / 2 || !(range >= 0.05)) f[s]! |= QUALITY.FLAT;
        if (hi > lo && fin.filter((v) => v === lo || v === hi).length >= 0.2 * sec.length) f[s]! |= QUALITY.SATURATED;
        let d1 = 0;
        let d2 = 0;
        for (let i = 2; i < sec.length; i++) {
          d1 += Math.abs(sec[i]! - sec[i - 1]!);
          d2 += Math.abs(sec[i]! - 2 * sec[i - 1]! + sec[i - 2]!);
        }
        ratio.push(d1 > 0 ? d2 / d1 : 0);
        act.push(sec.length > 2 ? d1 / (sec.length - 2) : 0);
        const m = fin.length;
        level.push(m === 0 ? NaN : m % 2 ? fin[m >> 1]! : 0.5 * (fin[(m >> 1) - 1]! + fin[m >> 1]!));
        ranges.push(range);
        const d = [];
        for (let i = 2 * lag; i < sec.length; i++) d.push(Math.abs(sec[i]! - 2 * sec[i - lag]! + sec[i - 2 * lag]!));
        const dd = d.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
        const k = dd.length;
        hfLevel.push(k === 0 ? 0 : k % 2 ? dd[k >> 1]! : 0.5 * (dd[(k >> 1) - 1]! + dd[k >> 1]!));
      }
      const med = (v: number[]) => {
        const t = v.filter((_, s) => !(f[s]! & QUALITY.FLAT)).sort((a, b) => a - b);
        return t.length === 0 ? NaN : t.length % 2 ? t[(t.length - 1) >> 1]! : 0.5 * (t[t.length / 2 - 1]! + t[t.length / 2]!);
      };
      const [typical, typicalAct, typicalRange] = [med(ratio), med(act), med(ranges)];
      const own = (s: number) => hfLevel[s]! >= 0.02 && hfLevel[s]! >= 0.12 * Math.max(ranges[s]!, typicalRange);
      const read = [...f.keys()].filter((s) => !(f[s]! & QUALITY.FLAT));
      const noisyLead = 2 * read.filter(own).length >= read.length && read.some(own);
      for (let s = 0; s < nSec; s++) {
        if (f[s]! & QUALITY.FLAT) continue;
        if (ratio[s]! >= 0.9 && ratio[s]! >= 1.6 * typical && act[s]! >= 3 * typicalAct) f[s]! |= QUALITY.HF_NOISE;
        if (noisyLead && own(s)) f[s]! |= QUALITY.HF_NOISE;
        if (s > 0 && Math.abs(level[s]! - level[s - 1]!) >= 0.8) f[s]! |= QUALITY.BASELINE_JUMP;
      }
      return f;
    }
    const rng = createRng(11);
    const fs = 100.4; // 100 samples a second
    for (const [sec, extra] of [
      [1500, 37], // three spans and a part second
      [700, 0],
      [7, 1],
    ] as const) {
      const x = Float32Array.from({ length: sec * 100 + extra }, (_, i) => Math.round(1000 * (Math.sin(i / 17) + 0.02 * (rng.next() - 0.5))) / 1000);
      x.fill(0.3, 200, 300); // a flat second
      for (let i = 400; i < 500; i++) x[i] = i % 3 ? -3 : x[i]!; // two thirds at the lowest value
      for (let i = 500; i < 600; i++) x[i] = i % 4 ? 9 : x[i]!; // three quarters at the highest finite value
      if (sec > 7) {
        x.fill(NaN, 1000, 1070);
        if (sec > 1000) x[101_000] = Infinity; // the lead's highest value: the second at 9 is then not saturated
        x.fill(-3, 50_000, 50_030);
        for (let i = 60_000; i < 60_100; i++) x[i] = 5 * (rng.next() - 0.5); // noise
        for (let i = 65_000; i < x.length; i++) x[i]! += 2; // a jump
        // noise over most of the lead (the median second then holds it too): flagged on its own scale
        if (sec > 1000) for (let i = 70_000; i < x.length; i++) x[i]! += 0.8 * (rng.next() - 0.5);
      }
      const f = leadQuality(x, fs);
      expect(f, `${sec} s`).toEqual(plain(x, fs));
      // in steps (the helper's turns): the share read rises to 1 over the two leads, and the flags are the same
      const steps = qualityOfLeadsSteps([x, x], ['a', 'b'], fs);
      const shares: number[] = [];
      let r = steps.next();
      for (; !r.done; r = steps.next()) shares.push(r.value);
      expect(r.value.map((l) => l.flags)).toEqual([f, f]);
      expect(shares.at(-1)).toBe(1);
      expect(shares.every((v, i) => v > 0 && (i === 0 || v > shares[i - 1]!))).toBe(true);
      expect(shares.length).toBe(2 * Math.ceil(x.length / (600 * 100))); // a pause after each 600-s span of each lead
      expect(f[4]! & QUALITY.SATURATED).toBeTruthy();
      expect(f[5]! & QUALITY.SATURATED, `${sec} s`).toBe(sec > 1000 ? 0 : QUALITY.SATURATED);
      if (sec > 7) for (const bit of [QUALITY.FLAT, QUALITY.HF_NOISE, QUALITY.BASELINE_JUMP]) expect(f.some((v) => v & bit)).toBe(true);
      // which the comparison with the median second alone does not flag
      if (sec > 1000) expect(leadQuality(x, fs, { ...DEFAULT_QUALITY, hfLevelShare: Infinity })).not.toEqual(f);
    }
  });

  it('flags muscle noise that makes the beats unreadable whether it covers a third of the lead or all of it, and mild noise over all of it not', () => {
    // a clean synthetic ECG, MLII, in mV
    const r = synthesize({ scenario: 'normal', minutes: 3, seed: 7, fs: FS, snrDb: null });
    const clean = Float64Array.from(r.signals[0]!, (v) => v / r.gain);
    const n = clean.length;
    // nst's signal: S = (QRS peak-to-peak)² / 8, the peak-to-peak read as the median second's
    const pp = Array.from({ length: Math.floor(n / FS) }, (_, s) => {
      const sec = clean.subarray(s * FS, (s + 1) * FS);
      return Math.max(...sec) - Math.min(...sec);
    }).sort((a, b) => a - b)[90]!;
    const hfShare = (snrDb: number, from: number, to: number) => {
      const rms = Math.sqrt((pp * pp) / 8 / 10 ** (snrDb / 10));
      const noise = [new Float64Array(n)];
      createNoise(3, { snrDb, baseline: 0, muscle: 1, motion: 0 }, FS, n, [rms], 0.25, () => 1).addTo(noise, 0);
      const x = Float32Array.from(clean, (v, i) => (i >= from * FS && i < to * FS ? v + noise[0]![i]! : v));
      const f = leadQuality(x, FS);
      let hf = 0;
      for (let s = from; s < to; s++) if (f[s]! & QUALITY.HF_NOISE) hf++;
      return hf / (to - from);
    };
    expect(hfShare(0, 60, 120)).toBeGreaterThan(0.9); // a third of the lead: the median second is clean
    expect(hfShare(0, 0, 110)).toBeGreaterThan(0.9); // most of it: the median second is noise too (none flagged before)
    expect(hfShare(0, 0, 180)).toBeGreaterThan(0.9); // all of it
    expect(hfShare(24, 0, 180)).toBe(0);
    expect(leadQuality(Float32Array.from(clean), FS).some((v) => v & QUALITY.HF_NOISE)).toBe(false);
  });

  it('turns flagged seconds into NOISE episodes, joining short gaps and skipping lone blips', () => {
    const a = new Uint8Array(20);
    a.set([1, 1, 0, 1], 3); // seconds 3-6 (one-second gap bridged)
    a[15] = QUALITY.BASELINE_JUMP; // a lone second: not a stretch
    const eps = unreadableEpisodes(
      [
        { name: 'MLII', flags: a },
        { name: 'V1', flags: new Uint8Array(20) },
      ],
      FS,
      20 * FS
    );
    expect(eps.map((e) => [e.type, e.onsetSample / FS, e.offsetSample / FS, e.source])).toEqual([['NOISE', 3, 7, 'rules']]);
    expect(eps[0]!.explanation).toMatch(/unreadable for 4 s \(MLII: flat line\)/);
  });

  it('a second lead that is only flat (electrode off) leaves the seconds readable; noisy, or lead 0 flat, it does not', () => {
    const flat = new Uint8Array(20).fill(QUALITY.FLAT, 5, 15);
    const noisy = new Uint8Array(20).fill(QUALITY.HF_NOISE, 5, 15);
    const clean = new Uint8Array(20);
    const of = (l0: Uint8Array, l1: Uint8Array) =>
      unreadableEpisodes(
        [
          { name: 'MLII', flags: l0 },
          { name: 'V1', flags: l1 },
        ],
        FS,
        20 * FS
      ).map((e) => [e.onsetSample / FS, e.offsetSample / FS]);
    expect(of(clean, flat)).toEqual([]);
    expect(of(clean, noisy)).toEqual([[5, 15]]);
    expect(of(flat, clean)).toEqual([[5, 15]]);
    expect(of(flat, flat)).toEqual([[5, 15]]);
  });

  it('places a stretch on the samples its seconds flagged where fs is not a whole number (seconds of round(fs) samples)', () => {
    const fs = 100.4; // the quality's seconds are 100 samples; 3000 of fs's seconds are 301,200 samples
    const x = Float32Array.from({ length: 4000 * 100 }, (_, i) => Math.sin((2 * Math.PI * 1.2 * i) / 100));
    x.fill(0, 300_000, 306_000); // lead 0 flat over samples 300,000-306,000: its seconds 3000-3059
    const eps = unreadableEpisodes([{ name: 'MLII', flags: leadQuality(x, fs) }], fs, x.length);
    expect(eps.map((e) => [e.onsetSample, e.offsetSample])).toEqual([[300_000, 306_000]]);
  });

  it("a second lead's flat line at its rail (an electrode off driving the amplifier to its limit: flat and saturated) leaves the seconds readable too", () => {
    const lead0 = smooth(60);
    const offAt = (level: number) => {
      const x = smooth(60);
      x.fill(level, 20 * FS, 40 * FS); // 20 s off
      return x;
    };
    const unreadable = (lead1: Float32Array) => {
      const q = [
        { name: 'MLII', flags: leadQuality(lead0, FS) },
        { name: 'V1', flags: leadQuality(lead1, FS) },
      ];
      return unreadableEpisodes(q, FS, 60 * FS).map((e) => [e.onsetSample / FS, e.offsetSample / FS]);
    };
    const atRail = offAt(10); // above every sample of the lead: its maximum
    expect(leadQuality(atRail, FS)[30]).toBe(QUALITY.FLAT | QUALITY.SATURATED);
    expect(unreadable(offAt(0))).toEqual([]);
    expect(unreadable(atRail)).toEqual([]);
    expect(unreadable(offAt(-10))).toEqual([]);
  });
});

describe("the rhythm model's noise and the signal quality's stretches never overlap", () => {
  const ep = (type: Episode['type'], source: Episode['source'], a: number, b: number): Episode => ({
    type,
    onsetSample: a * FS,
    offsetSample: b * FS,
    confidence: 0.8,
    explanation: `${source} ${type}`,
    source,
  });
  const spans = (eps: Episode[]) => eps.map((e) => [e.type, e.source, e.onsetSample / FS, e.offsetSample / FS]);

  it('clips a model NOISE episode to the time no quality stretch covers, drops pieces under the stretch minimum, passes the rest', () => {
    const rules = [ep('NOISE', 'rules', 11, 15), ep('NOISE', 'rules', 20, 22), ep('NOISE', 'rules', 29, 40), ep('NOISE', 'rules', 50, 60)];
    const model = [ep('NOISE', 'model', 10, 30), ep('NOISE', 'model', 70, 80), ep('NOISE', 'model', 52, 58), ep('VT', 'model', 10, 30)];
    const clipped = clipModelNoise(model, rules, FS);
    // 10-11 (1 s, under MIN_STRETCH_SEC) dropped; 15-20 and 22-29 kept; 70-80 untouched; 52-58 inside a stretch: gone; VT as it was
    expect(spans(clipped)).toEqual([
      ['NOISE', 'model', 15, 20],
      ['NOISE', 'model', 22, 29],
      ['NOISE', 'model', 70, 80],
      ['VT', 'model', 10, 30],
    ]);
    expect(clipped[0]!.explanation).toBe("model NOISE; the part outside the signal quality's unreadable stretches");
    expect(clipped[0]!.confidence).toBe(0.8);
    expect(clipped[2]).toBe(model[1]);
    const all = [...clipped, ...rules].filter((e) => e.type === 'NOISE');
    for (const x of all) for (const y of all) if (x !== y) expect(x.onsetSample < y.offsetSample && y.onsetSample < x.offsetSample).toBe(false);
  });

  it("a pause in the model-only part of clipped noise is still reported (the model's noise alone hides none); one under the quality's stretch is not", async () => {
    const r = synthesize({ scenario: 'normal', minutes: 1, seed: 4, fs: FS, snrDb: null });
    const a = await analyzeRecord(await writeSynthesized(dir, 'clipped', r), { cacheDir: null, beats: 'detector' });
    // no beat in 20-30 s and in 40-45 s: the model reads 15-50 s as noise, the quality 38-48 s
    const beats = beatsWithout(a, (x) => (x >= 20 * FS && x < 30 * FS) || (x >= 40 * FS && x < 45 * FS));
    const rules = [ep('NOISE', 'rules', 38, 48)];
    const episodes = [...clipModelNoise([ep('NOISE', 'model', 15, 50)], rules, FS), ...rules];
    const b = applyThreshold({ ...a, beats, episodes }, a.threshold);
    const pauses = b.episodes.filter((e) => e.type === 'PAUSE');
    expect(pauses).toHaveLength(1);
    expect(pauses[0]!.onsetSample).toBeLessThan(20 * FS);
    expect(pauses[0]!.offsetSample).toBeGreaterThanOrEqual(30 * FS);
    expect(pauses[0]!.explanation).toContain('the rhythm model reads this stretch as noise');
    // the ectopy and heart-rate figures still leave out all of 15-50 s
    expect(b.summary.unreadableSec).toBe(35);
  }, 60_000);

  it.runIf(needData('vfdb'))(
    "vfdb 419: the rhythm model's noise (162500-182500, over 5 quality stretches) overlaps none of them; each noisy second lies in one NOISE episode",
    async () => {
      const a = await analyzeRecord(dataPath('vfdb', '419'), { cacheDir: null, beats: 'detector' });
      const noise = a.episodes.filter((e) => e.type === 'NOISE').sort((x, y) => x.onsetSample - y.onsetSample);
      expect(noise.some((e) => e.source === 'model')).toBe(true);
      for (let k = 1; k < noise.length; k++) expect(noise[k]!.onsetSample).toBeGreaterThanOrEqual(noise[k - 1]!.offsetSample);
      // the model's stretch is covered by the two sources together, each second by one episode
      const inside = noise.filter((e) => e.onsetSample < 182_500 && e.offsetSample > 162_500);
      expect(new Set(inside.map((e) => e.source))).toEqual(new Set(['model', 'rules']));
      // the union of both, less two 1-s edges of the model's windows beside a quality stretch
      expect(a.summary.unreadableSec).toBe(1249);
    },
    120_000
  );
});

describe('a flat line holds no rhythm', () => {
  it('flags the windows flat on at least half of the seconds they touch', () => {
    const fs = 250;
    const flags = new Uint8Array(40);
    flags.fill(QUALITY.FLAT, 10, 25); // seconds 10–24 flat
    flags[30] = QUALITY.HF_NOISE; // noise is not flat
    const starts = Int32Array.from([0, 5, 10, 15, 20, 25, 30], (s) => s * fs);
    // [0,10) none; [5,15) 5 of 10; [10,20) all; [15,25) all; [20,30) 5 of 10; [25,35) none; [30,40) none
    expect(Array.from(flatWindows(flags, starts, 10 * fs, fs))).toEqual([0, 1, 1, 1, 1, 0, 0]);
    // a window starting mid-second touches 11 seconds: 5 flat of 11 is under half
    expect(Array.from(flatWindows(flags, Int32Array.of(Math.round(4.5 * fs)), 10 * fs, fs))).toEqual([0]);
  });

  it('gives flagged windows the other class, leaves the rest, and copies only when it must', () => {
    const classes = ['other', 'AF', 'VT', 'noise'];
    const probs = Float32Array.from([0.1, 0.2, 0.6, 0.1, 0.3, 0.1, 0.5, 0.1]);
    const isEpisode = (c: string) => c !== 'other';
    expect(withoutRhythm(probs, classes, Uint8Array.of(0, 0), isEpisode)).toBe(probs);
    const out = withoutRhythm(probs, classes, Uint8Array.of(0, 1), isEpisode);
    expect(Array.from(out)).toEqual([...Array.from(probs.subarray(0, 4)), 1, 0, 0, 0]);
    expect(probs[6]).toBeCloseTo(0.5, 6);
  });
});

describe('no pause is reported inside unreadable signal', () => {
  it('a flat-line stretch in the middle of a synthetic record is unreadable time, not a pause', async () => {
    const r = synthesize({ scenario: 'normal', minutes: 1, seed: 4, fs: FS, snrDb: null });
    for (const s of r.signals) s.fill(0, 25 * FS, 30 * FS); // 5 s of lead-off: no beat to find
    const a = await analyzeRecord(await writeSynthesized(dir, 'flat', r), { cacheDir: null, beats: 'detector' });
    expect(a.episodes.filter((e) => e.type === 'PAUSE')).toEqual([]);
    const noise = a.episodes.filter((e) => e.type === 'NOISE' && e.source === 'rules');
    expect(noise.some((e) => e.onsetSample <= 26 * FS && e.offsetSample >= 29 * FS)).toBe(true);
    expect(a.summary.unreadableSec).toBeGreaterThanOrEqual(4);
    expect(a.summary.longestPauseSec).toBeLessThan(2);
  }, 60_000);

  it("the rhythm model's noise class alone does not hide a pause (it reads asystole's bare baseline as noise); the signal quality's does", async () => {
    const r = synthesize({ scenario: 'normal', minutes: 1, seed: 4, fs: FS, snrDb: null });
    const a = await analyzeRecord(await writeSynthesized(dir, 'asystole', r), { cacheDir: null, beats: 'detector' });
    // 10 s without a beat: the beats between 20 s and 30 s taken out
    const beats = beatsWithout(a, (x) => x >= 20 * FS && x < 30 * FS);
    const noise = (source: 'model' | 'rules'): Episode => ({
      type: 'NOISE',
      onsetSample: 19 * FS,
      offsetSample: 31 * FS,
      confidence: 0.9,
      explanation: 'noise',
      source,
    });
    const asystole = { ...a, beats, episodes: a.episodes.filter((e) => e.type !== 'PAUSE') };
    const byModel = applyThreshold({ ...asystole, episodes: [...asystole.episodes, noise('model')] }, a.threshold);
    const pause = byModel.episodes.filter((e) => e.type === 'PAUSE');
    expect(pause).toHaveLength(1);
    expect(pause[0]!.explanation).toContain('the rhythm model reads this stretch as noise, the signal quality as readable');
    expect(byModel.summary.longestPauseSec).toBeGreaterThan(9);
    expect(byModel.recording?.label).toBe('PAUSE');
    const byQuality = applyThreshold({ ...asystole, episodes: [...asystole.episodes, noise('rules')] }, a.threshold);
    expect(byQuality.episodes.filter((e) => e.type === 'PAUSE')).toEqual([]);
    expect(byQuality.summary.longestPauseSec).toBeLessThan(2);
  }, 60_000);

  it.runIf(needData('mitdb'))(
    "MIT-BIH 208's unreadable stretch (reference '~', samples 457495-458621) gives no pause",
    async () => {
      const a = await analyzeRecord(dataPath('mitdb', '208'), { cacheDir: null });
      expect(a.episodes.filter((e) => e.type === 'PAUSE' && e.onsetSample < 458621 && e.offsetSample > 457495)).toEqual([]);
      expect(a.episodes.some((e) => e.type === 'NOISE' && e.onsetSample < 458621 && e.offsetSample > 457495)).toBe(true);
    },
    120_000
  );
});

describe('AF of a long record only on readable signal', () => {
  const af = (a: number, b: number): Episode => ({
    type: 'AF',
    onsetSample: a * FS,
    offsetSample: b * FS,
    confidence: 0.9,
    explanation: 'rhythm model: AF',
    source: 'model',
  });
  const noise = (a: number, b: number) => ({ onsetSample: a * FS, offsetSample: b * FS });
  const spans = (eps: Episode[]) => eps.map((e) => [e.type, e.onsetSample / FS, e.offsetSample / FS]);

  it('drops AF with less than the minimum of readable time, moves its ends out of noise, bridges noise inside', () => {
    expect(spans(gateAfByQuality([af(100, 140)], [noise(105, 120)], FS, 30))).toEqual([]); // 25 s readable
    expect(spans(gateAfByQuality([af(100, 200)], [noise(90, 110), noise(150, 155), noise(190, 210)], FS, 30))).toEqual([['AF', 110, 190]]);
    const vt: Episode = { ...af(0, 50), type: 'VT' };
    expect(gateAfByQuality([vt, af(300, 400)], [noise(0, 50)], FS, 30)).toEqual([vt, af(300, 400)]);
    expect(gateAfByQuality([af(100, 140)], [], FS, 30)).toEqual([af(100, 140)]);
    // the same stretch twice (the signal quality's and the rhythm model's noise) is unreadable once: 35 s readable
    expect(spans(gateAfByQuality([af(100, 145)], [noise(110, 120), noise(110, 120), noise(115, 118)], FS, 30))).toEqual([['AF', 100, 145]]);
    // overlapping stretches at an end move it past both
    expect(spans(gateAfByQuality([af(100, 200)], [noise(90, 105), noise(95, 112)], FS, 30))).toEqual([['AF', 112, 200]]);
  });

  it('the analysis of a long record leaves out AF called over a flat-line stretch, and keeps AF around it', async () => {
    const r = synthesize({ scenario: 'normal', minutes: 3, seed: 4, fs: FS, snrDb: null });
    for (const s of r.signals) s.fill(0, 85 * FS, 90 * FS); // 5 s of lead-off
    const a = await analyzeRecord(await writeSynthesized(dir, 'flat3', r), { cacheDir: null, beats: 'detector' });
    expect(a.strip).toBeUndefined();
    const flat = a.episodes.find((e) => e.type === 'NOISE')!;
    const at = (e: Episode) => [e.type, e.onsetSample, e.offsetSample];
    // AF over the 5-s flat line alone: nothing readable to call AF on
    const onNoise = applyThreshold(
      { ...a, episodes: [...a.episodes, { ...af(0, 0), onsetSample: flat.onsetSample, offsetSample: flat.offsetSample }] },
      a.threshold
    );
    expect(onNoise.episodes.filter((e) => e.type === 'AF')).toEqual([]);
    // AF over a minute around it: the flat line inside is bridged, the episode stays whole
    const whole = af(60, 120);
    expect(
      applyThreshold({ ...a, episodes: [...a.episodes, whole] }, a.threshold)
        .episodes.filter((e) => e.type === 'AF')
        .map(at)
    ).toEqual([at(whole)]);
  }, 60_000);
});
