import { describe, expect, it } from 'vitest';
import { V_INDEX } from '../../src/shared/analysis';
import {
  countEctopy,
  detectAfByRr,
  detectPauses,
  detectVtRuns,
  classifyByRules,
  explainBeat,
  measureBeats,
  qrsWidthMs,
  rrSeconds,
  ruleParams,
} from '../../src/main/rules';
import { readAnnotations, isQrs, codeOf } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

const FS = 360;
const P = ruleParams();

/** Beat positions from RR intervals in seconds. */
function beatsFrom(rr: number[], fs = FS): Int32Array {
  const s = new Int32Array(rr.length + 1);
  let t = 1;
  s[0] = Math.round(t * fs);
  rr.forEach((r, i) => {
    t += r;
    s[i + 1] = Math.round(t * fs);
  });
  return s;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const sinus = (n: number, r = rng(1)) => Array.from({ length: n }, (_, i) => 0.85 + 0.03 * Math.sin(i / 4) + 0.01 * (r() - 0.5));
const af = (n: number, r = rng(2)) => Array.from({ length: n }, () => 0.35 + 0.6 * r());

describe('AF from RR irregularity', () => {
  it('finds an AF stretch between sinus stretches, with a confidence and a reason', () => {
    const s = beatsFrom([...sinus(200), ...af(300), ...sinus(200)]);
    const eps = detectAfByRr(s, FS, undefined, P);
    expect(eps).toHaveLength(1);
    const e = eps[0]!;
    const onsetSec = (e.onsetSample - s[0]!) / FS;
    expect(onsetSec).toBeGreaterThan(200 * 0.85 - 30);
    expect(onsetSec).toBeLessThan(200 * 0.85 + 30);
    expect(e.confidence).toBeGreaterThan(0.8);
    expect(e.explanation).toMatch(/RR irregular over \d+ beats.*median \|ΔRR\| \d+ % of RR.*RMSSD \d+ %/);
    expect(e.source).toBe('rules');
  });

  it('does not call sinus rhythm, bigeminy, trigeminy or quadrigeminy AF', () => {
    expect(detectAfByRr(beatsFrom(sinus(600)), FS, undefined, P)).toEqual([]);
    const big = Array.from({ length: 600 }, (_, i) => (i % 2 ? 1.2 : 0.55));
    expect(detectAfByRr(beatsFrom(big), FS, undefined, P)).toEqual([]);
    const tri = Array.from({ length: 600 }, (_, i) => [0.8, 0.5, 1.1][i % 3]!);
    expect(detectAfByRr(beatsFrom(tri), FS, undefined, P)).toEqual([]);
    const quad = Array.from({ length: 600 }, (_, i) => [0.8, 0.8, 0.5, 1.1][i % 4]!);
    expect(detectAfByRr(beatsFrom(quad), FS, undefined, P)).toEqual([]);
  });

  it('ignores the intervals around ventricular beats', () => {
    // Sinus with a PVC every 5th beat (early, then a compensatory pause).
    const rr: number[] = [];
    for (let i = 0; i < 600; i++) rr.push(i % 5 === 3 ? 0.5 : i % 5 === 4 ? 1.2 : 0.85);
    const s = beatsFrom(rr);
    const v = new Uint8Array(s.length);
    for (let k = 1; k < s.length; k++) if ((k - 1) % 5 === 3) v[k] = 1;
    expect(detectAfByRr(s, FS, v, P)).toEqual([]);
  });
});

describe('pauses and VT runs', () => {
  it('reports RR above the limit as a pause, with the duration in the reason', () => {
    const s = beatsFrom([0.8, 0.8, 2.6, 0.8, 1.9]);
    const eps = detectPauses(s, FS, 'reference', P);
    expect(eps).toHaveLength(1);
    expect(eps[0]!.onsetSample).toBe(s[2]);
    expect(eps[0]!.offsetSample).toBe(s[3]);
    expect(eps[0]!.explanation).toMatch(/^RR 2\.60 s \(> 2\.0 s\)/);
    expect(detectPauses(s, FS, 'reference', ruleParams({ pauseSec: 3 }))).toEqual([]);
    expect(detectPauses(s, FS, 'detector', P)[0]!.confidence).toBeLessThan(eps[0]!.confidence);
  });

  it('calls ≥ 3 consecutive fast V beats VT, not slow ones or pairs', () => {
    const s = beatsFrom([0.8, 0.8, 0.45, 0.45, 0.45, 0.45, 1.0, 0.8, 0.8, 0.8, 0.45, 0.45, 0.8]);
    const label = new Uint8Array(s.length);
    for (const k of [3, 4, 5, 6]) label[k] = V_INDEX; // 4-beat run at 133 bpm
    for (const k of [11, 12]) label[k] = V_INDEX; // couplet
    const score = new Float32Array(s.length).fill(0.9);
    const vt = detectVtRuns(s, FS, label, score, P);
    expect(vt).toHaveLength(1);
    expect(vt[0]!.onsetSample).toBe(s[3]);
    expect(vt[0]!.offsetSample).toBe(s[6]);
    expect(vt[0]!.explanation).toBe('4 consecutive ventricular beats at 133 bpm (≥ 3 at > 100 bpm)');
    expect(vt[0]!.confidence).toBeCloseTo(0.9, 5);
    // The same run at 60 bpm (idioventricular) is not VT.
    const slow = beatsFrom(Array.from({ length: 12 }, () => 1.0));
    expect(detectVtRuns(slow, FS, label, score, P)).toEqual([]);
    const c = countEctopy(label, P);
    expect(c).toMatchObject({ couplets: 1, triplets: 0, runs: 1, longestRunBeats: 4 });
  });

  it('counts bigeminy as ≥ 3 V–N cycles', () => {
    const label = Uint8Array.from([0, 2, 0, 2, 0, 2, 0, 0, 2, 0, 2, 0]);
    expect(countEctopy(label, P).bigeminyEpisodes).toBe(1);
    expect(countEctopy(Uint8Array.from([0, 2, 0, 2, 0, 0]), P).bigeminyEpisodes).toBe(0);
  });
});

/** A synthetic beat window: Gaussian QRS of the given width (ms) at R, plus a small T wave. */
function beatWindow(widthMs: number, inverted = false): Float32Array {
  const w = new Float32Array(2 * 216);
  const sd = (widthMs / 1000 / 6) * FS; // ±3 sd ≈ the QRS
  for (let l = 0; l < 2; l++)
    for (let t = 0; t < 216; t++) {
      const q = Math.exp(-0.5 * ((t - 90) / sd) ** 2) * (inverted ? -1 : 1);
      const tw = 0.2 * Math.exp(-0.5 * ((t - 90 - 0.25 * FS) / (0.04 * FS)) ** 2);
      w[l * 216 + t] = q + tw;
    }
  return w;
}

describe('ventricular beat rule', () => {
  const L = { leads: 2, length: 216, rIndex: 90, fs: FS };

  it('measures QRS width within 25 % on clean synthetic beats', () => {
    for (const ms of [80, 100, 140, 160]) {
      const got = qrsWidthMs(beatWindow(ms), 0, L);
      expect(Math.abs(got - ms) / ms).toBeLessThan(0.25);
    }
  });

  it('scores a wide, differently shaped, premature beat with a compensatory pause as V and says why', () => {
    const n = 60;
    const windows = new Float32Array(n * 432);
    const rr = new Array<number>(n).fill(0.8);
    const pvcs = [20, 40];
    for (let k = 0; k < n; k++) windows.set(pvcs.includes(k) ? beatWindow(150, true) : beatWindow(85), k * 432);
    for (const k of pvcs) {
      rr[k] = 0.5;
      rr[k + 1] = 1.1;
    }
    const sample = beatsFrom(rr.slice(1));
    const valid = new Uint8Array(n).fill(1);
    const f = measureBeats(windows, valid, rrSeconds(sample, FS), L);
    const probs = classifyByRules(f, valid, P);
    for (let k = 10; k < n; k++) {
      const pv = probs[k * 5 + V_INDEX]!;
      if (pvcs.includes(k)) expect(pv).toBeGreaterThan(0.9);
      else expect(pv).toBeLessThan(0.5);
    }
    expect(explainBeat(f, 20, P)).toMatch(
      /^QRS 1\d\d ms \(> 120\), shape differs from dominant beat \(r -?[\d.]+ < 0\.8\), 38 % premature, compensatory pause$/
    );
    expect(explainBeat(f, 30, P)).toMatch(/dominant shape.*not premature/);
  });
});

describe('rules on real RR sequences (MIT-BIH reference beats)', () => {
  const have = needData('mitdb');
  async function beats(rec: string): Promise<{ sample: Int32Array; v: Uint8Array; afSec: number }> {
    const anns = await readAnnotations(dataPath('mitdb', rec), 'atr');
    const x = codeOf('x');
    const vCodes = new Set([codeOf('V'), codeOf('E')]);
    const s: number[] = [];
    const v: number[] = [];
    let afSec = 0;
    let afStart = -1;
    for (const a of anns) {
      if (a.aux?.startsWith('(')) {
        if (afStart >= 0) afSec += (a.sample - afStart) / FS;
        afStart = a.aux.replace(/\0/g, '') === '(AFIB' ? a.sample : -1;
      }
      if (isQrs(a.code) && a.code !== x) {
        s.push(a.sample);
        v.push(vCodes.has(a.code) ? 1 : 0);
      }
    }
    if (afStart >= 0) afSec += (s[s.length - 1]! - afStart) / FS;
    return { sample: Int32Array.from(s), v: Uint8Array.from(v), afSec };
  }

  it.runIf(have)('202 (paroxysmal AF): finds AF; 100 (sinus with ectopy): finds none', async () => {
    const a = await beats('202');
    expect(a.afSec).toBeGreaterThan(60);
    const eps = detectAfByRr(a.sample, FS, a.v, P);
    const found = eps.reduce((t, e) => t + (e.offsetSample - e.onsetSample) / FS, 0);
    expect(found).toBeGreaterThan(0.5 * a.afSec);
    expect(found).toBeLessThan(2 * a.afSec);
    const b = await beats('100');
    expect(b.afSec).toBe(0);
    expect(detectAfByRr(b.sample, FS, b.v, P)).toEqual([]);
  });

  it.runIf(have)('207 has VT runs among its reference V beats', async () => {
    const a = await beats('207');
    const label = Uint8Array.from(a.v, (x) => (x ? V_INDEX : 0));
    const vt = detectVtRuns(a.sample, FS, label, new Float32Array(label.length).fill(1), P);
    expect(vt.length).toBeGreaterThan(0);
    for (const e of vt) expect(e.explanation).toMatch(/^\d+ consecutive ventricular beats at \d+ bpm/);
  });
});
