// The morphology groups draw each beat from ±0.3 s of signal around it, every snippet across the
// same width so their shapes compare. A beat within 0.3 s of the record's start or end got the
// shorter window main clips to the record, drawn across the whole width: its R peak off the middle
// and its QRS stretched wide (up to twice, for a beat in the first frames) like a ventricular beat's.
import { describe, expect, it } from 'vitest';
import type { Api } from '../../src/shared/contract';
import { analyzeRecord } from '../../src/main/analysis';
import { RecordStore } from '../../src/main/review/records';
import { openRecord } from '../../src/main/wfdb';
import { SnippetCache, centredSnippet } from '../../src/renderer/src/lib/snippet-cache';
import { dataPath, needData } from '../helpers/data';

/** Index of the largest deviation from the median of the finite values. */
function peakAt(tr: Float32Array): number {
  const fin = Array.from(tr)
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
  const med = fin[fin.length >> 1]!;
  let best = -1;
  let d = -1;
  tr.forEach((v, k) => {
    if (Number.isFinite(v) && Math.abs(v - med) > d) {
      d = Math.abs(v - med);
      best = k;
    }
  });
  return best;
}

describe('beat snippets', () => {
  it('pads a window clipped at the record’s ends, keeping the beat in the middle', () => {
    const w = Float32Array.from([1, 2, 3, 4, 5]);
    // beat at frame 1, half 3: frames -2..3 of which the record has 0..3
    expect(Array.from(centredSnippet(w.subarray(0, 4), 0, 1, 3))).toEqual([NaN, NaN, 1, 2, 3, 4]);
    // beat at frame 3 of a 5-frame record: frames 0..5, the record ends at 4
    expect(Array.from(centredSnippet(w, 0, 3, 3))).toEqual([1, 2, 3, 4, 5, NaN]);
    expect(Array.from(centredSnippet(w.subarray(1), 1, 4, 2))).toEqual([3, 4, 5, NaN]);
  });

  describe.runIf(needData('cinc2017'))('cinc2017 strips (beats in the first and last 0.3 s)', () => {
    it('every beat’s snippet is as long as the others with its R peak in the middle', async () => {
      const store = new RecordStore(openRecord);
      try {
        const api = {
          invoke: (_c: string, r: { path: string; from: number; to: number; maxPoints: number }) => store.window(r.path, r.from, r.to, r.maxPoints),
        } as unknown as Api;
        // A00010's first beat 5 frames in (0.017 s), A00003's first 46 frames in and last 0.27 s before the end
        for (const name of ['A00010', 'A00003']) {
          const path = dataPath('cinc2017', name);
          const a = await analyzeRecord(path, { cacheDir: null, threads: 1 });
          const cache = new SnippetCache(api, path, a.fs, 0);
          const s = a.beats.sample;
          for (const i of [0, 1, s.length - 1]) {
            const tr = await cache.get(s[i]!);
            expect(tr.length).toBe(2 * cache.half);
            expect(Math.abs(peakAt(tr) - cache.half)).toBeLessThanOrEqual(2);
          }
        }
      } finally {
        await store.closeAll();
      }
    }, 60_000);
  });
});
