import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/shared/analysis';
import { analyzeRecord } from '../../src/main/analysis';
import { rhythmWindowsInBackground } from '../../src/main/analysis/parallel';
import { writeSynthRecord } from '../../src/main/synth';
import { writeTinyModels } from './inference-tiny-model';
import { rhythmWindows } from '../../src/main/rhythm/windows';

function ecg(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.round(200 * (Math.exp(-0.5 * (((i % 300) - 150) / 4) ** 2) + 0.3 * Math.sin(i * 0.002))) / 200;
  return x;
}

describe('rhythm windows on a helper worker', () => {
  it('returns exactly what rhythmWindows returns on this thread (a view into a larger buffer too)', async () => {
    const big = ecg(360 * 700);
    const x = big.subarray(360 * 20); // a view: only the lead is sent
    const job = rhythmWindowsInBackground(x, 360, 10);
    const got = await job.result();
    expect(job.fromHelper).toBe(true);
    const want = rhythmWindows(x, 360, 10);
    expect(got.x.length).toBe(want.x.length);
    expect(Buffer.from(got.x.buffer, got.x.byteOffset, got.x.byteLength).equals(Buffer.from(want.x.buffer, want.x.byteOffset, want.x.byteLength))).toBe(true);
    expect(Array.from(got.startSample)).toEqual(Array.from(want.startSample));
    expect(Array.from(got.nReal)).toEqual(Array.from(want.nReal));
    expect(x.length).toBe(360 * 680); // the caller's lead is left in place
  }, 30_000);

  it('reads a lead in shared memory where it is (no copy) and returns the same windows', async () => {
    const x = ecg(360 * 200);
    const shared = new Float32Array(new SharedArrayBuffer(x.byteLength));
    shared.set(x);
    const job = rhythmWindowsInBackground(shared, 360, 10);
    const got = await job.result();
    expect(job.fromHelper).toBe(true);
    expect(got.x).toEqual(rhythmWindows(x, 360, 10).x);
  }, 30_000);

  it('falls back to this thread when the helper fails, and stop() before the result is harmless', async () => {
    const x = ecg(360 * 30);
    const bad = rhythmWindowsInBackground(x, 360, -1); // the helper throws (stride must be positive)
    await expect(bad.result()).rejects.toThrow(/stride must be positive/); // same error as on this thread
    const job = rhythmWindowsInBackground(x, 360, 10);
    job.stop();
    job.stop();
    const r = await job.result(); // helper gone: computed here
    expect(job.fromHelper).toBe(false);
    expect(r.x).toEqual(rhythmWindows(x, 360, 10).x);
  }, 30_000);
});

describe('analysis with the rhythm branch on a helper worker', () => {
  it('gives the same Analysis as with everything on one thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hbs-parallel-'));
    try {
      const record = join(dir, 'rec', 'demo4');
      await writeSynthRecord(record, { scenario: 'demo', minutes: 4, seed: 3 });
      const modelsDir = join(dir, 'models');
      mkdirSync(modelsDir);
      await writeTinyModels(modelsDir);
      const base = { modelsDir, beats: 'reference', threads: 1, cacheDir: null } as const;
      const noTimings = (a: Analysis) => ({ ...a, timingsMs: {} });
      const one = await analyzeRecord(record, { ...base, parallel: false });
      const two = await analyzeRecord(record, { ...base, parallel: true });
      expect(two.models.find((m) => m.task === 'rhythm')!.provider).toBe('cpu'); // the rhythm model ran
      expect(noTimings(two)).toEqual(noTimings(one));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
