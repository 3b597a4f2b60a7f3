// The RR rules use no interval over unreadable signal: pauses and AF irregularity.
import { describe, expect, it } from 'vitest';
import { beatsInside, readableIntervals } from '../../src/main/quality';
import { detectAfByRr, detectPauses, ruleParams } from '../../src/main/rules';
import { codeOf, isQrs, readAnnotations } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

const FS = 360;
const P = ruleParams();
const span = (aSec: number, bSec: number) => ({ onsetSample: aSec * FS, offsetSample: bSec * FS });

function beatsFrom(rr: number[]): Int32Array {
  const s = new Int32Array(rr.length + 1);
  let t = 1;
  s[0] = t * FS;
  rr.forEach((r, i) => (s[i + 1] = Math.round((t += r) * FS)));
  return s;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe('readable RR intervals', () => {
  it('marks an interval unreadable when it overlaps any unreadable span, in any order', () => {
    const s = Int32Array.from([0, 100, 200, 300, 400, 500].map((x) => x * FS));
    const spans = [
      { onsetSample: 350 * FS, offsetSample: 360 * FS },
      { onsetSample: 100 * FS, offsetSample: 150 * FS },
    ];
    // interval k spans (s[k-1], s[k]); one touching a span only at its edge stays readable
    expect(Array.from(readableIntervals(s, spans))).toEqual([0, 1, 0, 1, 0, 1]);
    expect(Array.from(readableIntervals(s, []))).toEqual([0, 1, 1, 1, 1, 1]);
    expect(Array.from(readableIntervals(s, [{ onsetSample: 0, offsetSample: 1e9 }]))).toEqual([0, 0, 0, 0, 0, 0]);
  });
});

describe('pauses over unreadable signal', () => {
  it('an interval longer than the limit across an unreadable stretch is no pause; the same interval on readable signal is', () => {
    const s = beatsFrom([0.8, 0.8, 3.1, 0.8, 0.8, 2.6, 0.8]);
    const noise = [{ onsetSample: s[2]! + 100, offsetSample: s[2]! + 600 }];
    const all = detectPauses(s, FS, 'reference', P);
    expect(all.map((e) => e.onsetSample)).toEqual([s[2], s[5]]);
    const kept = detectPauses(s, FS, 'reference', P, readableIntervals(s, noise));
    expect(kept.map((e) => e.onsetSample)).toEqual([s[5]]);
  });
});

describe('AF irregularity over unreadable signal', () => {
  it('RR made irregular by noise (missed and extra beats) is not AF; the same RR on readable signal is', () => {
    const r = rng(3);
    const sinus = (n: number) => Array.from({ length: n }, (_, i) => 0.85 + 0.03 * Math.sin(i / 4));
    const s = beatsFrom([...sinus(200), ...Array.from({ length: 120 }, () => 0.35 + 0.6 * r()), ...sinus(200)]);
    expect(detectAfByRr(s, FS, undefined, P)).toHaveLength(1);
    // the irregular stretch lies inside one unreadable stretch (a noisy minute and a half)
    const noise = [{ onsetSample: s[195]!, offsetSample: s[325]! }];
    const readable = readableIntervals(s, noise);
    expect(detectAfByRr(s, FS, undefined, P, readable)).toEqual([]);
    // an unreadable stretch elsewhere changes nothing
    expect(detectAfByRr(s, FS, undefined, P, readableIntervals(s, [span(10, 20)]))).toHaveLength(1);
  });

  it.runIf(needData('mitdb/208.atr'))(
    "MIT-BIH 208: the reference's own beats make a 3.13-s pause at samples 457495-458621, inside its '~' stretch; with the '~' stretch unreadable it is gone",
    async () => {
      const anns = await readAnnotations(dataPath('mitdb', '208'), 'atr');
      const sample = Int32Array.from(anns.filter((a) => isQrs(a.code)).map((a) => a.sample));
      const tilde = codeOf('~')!;
      // '~' marks a change of quality: subtype > 0 noisy (or unreadable) from here, 0 clean again
      const noise: { onsetSample: number; offsetSample: number }[] = [];
      let from = -1;
      for (const a of anns) {
        if (a.code !== tilde) continue;
        if (a.subtype > 0 && from < 0) from = a.sample;
        else if (a.subtype === 0 && from >= 0) {
          noise.push({ onsetSample: from, offsetSample: a.sample });
          from = -1;
        }
      }
      const at = (eps: { onsetSample: number; offsetSample: number }[]) => eps.filter((e) => e.onsetSample < 458621 && e.offsetSample > 457495);
      expect(at(detectPauses(sample, FS, 'reference', P))).toHaveLength(1);
      expect(at(noise).length).toBeGreaterThan(0);
      expect(at(detectPauses(sample, FS, 'reference', P, readableIntervals(sample, noise)))).toEqual([]);
    }
  );
});

describe('beats inside unreadable spans', () => {
  it('marks a beat at onset ≤ sample < offset of any span, spans in any order and overlapping', () => {
    const sample = Int32Array.from([0, 10, 20, 30, 40, 50, 60]);
    const spans = [
      { onsetSample: 45, offsetSample: 61 },
      { onsetSample: 10, offsetSample: 30 },
      { onsetSample: 12, offsetSample: 25 },
    ];
    expect([...beatsInside(sample, spans)]).toEqual([0, 1, 1, 0, 0, 1, 1]);
    expect([...beatsInside(sample, [])]).toEqual([0, 0, 0, 0, 0, 0, 0]);
  });
});
