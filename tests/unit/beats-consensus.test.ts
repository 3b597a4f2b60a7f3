import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEAT_LEADS, BEAT_WINDOW } from '../../src/main/beats';
import { applyConsensus, consensusBlocks, ConsensusRule, featureLength, morphologyFeatures } from '../../src/main/beats/consensus';

const K = 5;
const V = 2;
const RULE: ConsensusRule = { k: 3, weight: 0.5, band: 0.01, block: 4096, feature: { from: 60, to: 140, step: 4 } };
const ROW = BEAT_LEADS * BEAT_WINDOW;

/** Deterministic pseudo-random numbers in [0, 1). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** n beats: a narrow N shape or a wide V shape per beat, plus a little noise. */
function beatsOf(shapes: ('N' | 'V')[], seed = 1): Float32Array {
  const rnd = lcg(seed);
  const w = new Float32Array(shapes.length * ROW);
  shapes.forEach((s, k) => {
    for (let lead = 0; lead < BEAT_LEADS; lead++)
      for (let t = 0; t < BEAT_WINDOW; t++) {
        const x = (t - 90) / (s === 'N' ? 8 : 30);
        w[k * ROW + lead * BEAT_WINDOW + t] = (s === 'N' ? 1 : -0.8) * Math.exp(-0.5 * x * x) + 0.02 * (rnd() - 0.5);
      }
  });
  return w;
}

function probsOf(pv: number[]): Float32Array {
  const p = new Float32Array(pv.length * K);
  pv.forEach((v, k) => {
    p[k * K + V] = v;
    p[k * K] = (1 - v) * 0.75; // N
    p[k * K + 1] = (1 - v) * 0.25; // S
  });
  return p;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

describe('morphology consensus', () => {
  const shapes = [...Array<'N'>(20).fill('N'), ...Array<'V'>(6).fill('V'), 'V', 'N'] as ('N' | 'V')[];
  const pv = [...Array<number>(20).fill(0.001), ...Array<number>(6).fill(0.995), 0.3, 0.4];
  const windows = beatsOf(shapes);
  const valid = new Uint8Array(shapes.length).fill(1);

  it('pulls an unsure beat towards its morphology family and leaves sure beats alone', () => {
    const probs = probsOf(pv);
    applyConsensus(probs, K, V, morphologyFeatures(windows, shapes.length, RULE), valid, RULE);
    // the unsure V-shaped beat: its 3 nearest are V beats (0.995) → logit mean of itself and 0.995
    expect(probs[26 * K + V]).toBeCloseTo(sigmoid(0.5 * logit(0.3) + 0.5 * logit(0.995)), 5);
    // the unsure N-shaped beat: nearest are N beats (0.001)
    expect(probs[27 * K + V]).toBeCloseTo(sigmoid(0.5 * logit(0.4) + 0.5 * logit(0.001)), 5);
    expect(probs[27 * K + V]).toBeLessThan(0.05);
    for (let k = 0; k < 26; k++) expect(probs[k * K + V]).toBeCloseTo(pv[k]!, 6);
    // the other classes keep their ratio and the row its sum
    for (const k of [26, 27]) {
      let sum = 0;
      for (let c = 0; c < K; c++) sum += probs[k * K + c]!;
      expect(sum).toBeCloseTo(1, 5);
      expect(probs[k * K]! / probs[k * K + 1]!).toBeCloseTo(3, 4);
    }
  });

  it('beats whose window is not inside the record neither move nor vote', () => {
    const probs = probsOf(pv);
    const partly = valid.slice();
    for (let k = 20; k < 26; k++) partly[k] = 0; // the sure V beats do not vote
    partly[27] = 0;
    applyConsensus(probs, K, V, morphologyFeatures(windows, shapes.length, RULE), partly, RULE);
    expect(probs[27 * K + V]).toBeCloseTo(0.4, 6);
    // with the V family out, the V-shaped beat's nearest valid beats are N beats: it moves down
    expect(probs[26 * K + V]).toBeLessThan(0.3);
  });

  it('compares beats within blocks of at most `block` beats, split evenly as training does', () => {
    expect(consensusBlocks(10, 4096)).toEqual([[0, 10]]);
    expect(consensusBlocks(10000, 4096)).toEqual([
      [0, 3333],
      [3333, 6666],
      [6666, 10000],
    ]);
    // an unsure V-shaped beat in a block of N beats only: the V family in the other block cannot help it
    const long = [...Array<'V'>(16).fill('V'), ...Array<'N'>(15).fill('N'), 'V'] as ('N' | 'V')[];
    const p = [...Array<number>(16).fill(0.995), ...Array<number>(15).fill(0.001), 0.3];
    const rule = { ...RULE, block: 16 };
    const probs = probsOf(p);
    applyConsensus(probs, K, V, morphologyFeatures(beatsOf(long, 2), long.length, rule), new Uint8Array(long.length).fill(1), rule);
    expect(probs[31 * K + V]).toBeLessThan(0.3);
  });

  it('accepts a usable rule only (the manifest refuses an entry with any other)', () => {
    expect(ConsensusRule.parse(RULE)).toEqual(RULE);
    expect(ConsensusRule.safeParse({ ...RULE, k: 0 }).success).toBe(false);
    expect(ConsensusRule.safeParse({ ...RULE, k: 65 }).success).toBe(false);
    expect(ConsensusRule.safeParse({ ...RULE, feature: { from: 140, to: 60, step: 4 } }).success).toBe(false);
    expect(featureLength(RULE)).toBe(40);
  });

  it('finds exactly the nearest beats a brute-force search finds, ties going to the lower index', () => {
    // few distinct shapes, many exact copies (flat or clipped stretches tie), an invalid beat or two
    const rnd = lcg(11);
    const n = 400;
    const d = 4;
    const protos = Array.from({ length: 5 }, () => Array.from({ length: d }, () => Math.round(rnd() * 4)));
    const f = new Float32Array(n * d);
    for (let i = 0; i < n; i++) f.set(protos[Math.floor(rnd() * protos.length)]!, i * d);
    const valid = new Uint8Array(n).fill(1);
    valid[7] = 0;
    valid[123] = 0;
    const pv = Array.from({ length: n }, () => 0.02 + 0.96 * rnd());
    for (const k of [1, 3, 4]) {
      const rule: ConsensusRule = { k, weight: 0.5, band: 0.01, block: 150, feature: { from: 0, to: 2, step: 1 } };
      const probs = probsOf(pv);
      applyConsensus(probs, K, V, f, valid, rule);
      for (const [b0, b1] of consensusBlocks(n, rule.block))
        for (let i = b0; i < b1; i++) {
          if (!valid[i]) continue;
          const near: [number, number][] = [];
          for (let j = b0; j < b1; j++) {
            if (j === i || !valid[j]) continue;
            let s = 0;
            for (let t = 0; t < d; t++) s += (f[i * d + t]! - f[j * d + t]!) ** 2;
            near.push([s, j]);
          }
          near.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
          const p = near
            .slice(0, k)
            .map(([, j]) => pv[j]!)
            .sort((a, b) => a - b);
          const median = p.length % 2 ? p[(p.length - 1) / 2]! : (p[p.length / 2 - 1]! + p[p.length / 2]!) / 2;
          expect(probs[i * K + V]).toBeCloseTo(sigmoid(0.5 * logit(pv[i]!) + 0.5 * logit(median)), 5);
        }
    }
  });

  // The training side (training/hbs/consensus.py) chooses the rule on out-of-fold probabilities;
  // the app must apply the same rule. Needs numpy (Debian python3-numpy), as the training tests do.
  const PY = process.env.PYTHON ?? '/usr/bin/python3';
  const hasNumpy = (() => {
    try {
      execFileSync(PY, ['-c', 'import numpy'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasNumpy)('gives what training/hbs/consensus.py gives', () => {
    const n = 300;
    const rnd = lcg(7);
    const s = Array.from({ length: n }, () => (rnd() < 0.2 ? 'V' : 'N') as 'N' | 'V');
    const p = s.map((x) => (x === 'V' ? 0.02 + 0.97 * rnd() : rnd() < 0.2 ? rnd() * 0.6 : 0.001 * rnd()));
    const rule = { ...RULE, k: 4, block: 128 };
    const w = beatsOf(s, 3);
    for (let k = 0; k < n; k += 7) w.copyWithin(k * ROW, 0, ROW); // exact copies of beat 0: ties
    const features = morphologyFeatures(w, n, rule);
    const probs = probsOf(p);
    const script = [
      'import sys, json, numpy as np',
      'from hbs import consensus as c',
      'd = json.load(sys.stdin)',
      'f = np.array(d["features"], dtype=np.float32).reshape(d["n"], -1)',
      'p = np.array(d["probs"], dtype=np.float64).reshape(d["n"], 5)',
      'out = c.consensus(p, f, np.zeros(d["n"], dtype=np.int64), d["k"], d["weight"], d["band"], d["block"])',
      'print(json.dumps(out.ravel().tolist()))',
    ].join('\n');
    const input = JSON.stringify({
      n,
      block: rule.block,
      k: rule.k,
      weight: rule.weight,
      band: rule.band,
      features: Array.from(features),
      probs: Array.from(probs),
    });
    const want = JSON.parse(
      execFileSync(PY, ['-c', script], { input, env: { ...process.env, PYTHONPATH: join(__dirname, '../../training') } }).toString()
    ) as number[];
    applyConsensus(probs, K, V, features, new Uint8Array(n).fill(1), rule);
    let moved = 0;
    for (let k = 0; k < n; k++) {
      for (let c = 0; c < K; c++) expect(probs[k * K + c]).toBeCloseTo(want[k * K + c]!, 5);
      if (Math.abs(want[k * K + V]! - p[k]!) > 0.01) moved++;
    }
    expect(moved).toBeGreaterThan(10);
  });
});
