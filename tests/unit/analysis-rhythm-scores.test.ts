// The rhythm model scored group by group equals the model run over all the windows at once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scoreRhythm } from '../../src/main/analysis/rhythm-scores';
import { loadCatalog, openModel, runRhythmModel } from '../../src/main/inference';
import { RHYTHM_WINDOW, rhythmWindows } from '../../src/main/rhythm/windows';
import { synthesize } from '../../src/main/synth';
import { writeTinyModels } from './inference-tiny-model';

const dir = mkdtempSync(join(tmpdir(), 'hbs-rhythm-scores-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scoreRhythm', () => {
  it('gives the scores of the model run over every window at once (batches that do not divide the groups)', async () => {
    await writeTinyModels(dir);
    const model = (await loadCatalog(dir)).models.rhythm!;
    const fs = 250;
    const syn = synthesize({ scenario: 'demo', minutes: 25, seed: 4, fs });
    const lead = Float32Array.from(syn.signals[0]!, (v) => v / syn.gain);
    const batch = 7; // a 600-s group holds 120 windows at a 5-s stride: batches straddle groups
    const fractions: number[] = [];
    const got = await scoreRhythm(model, lead, fs, 5, { provider: 'cpu', threads: 1, batch, onProgress: (f) => fractions.push(f) });
    const rw = rhythmWindows(lead, fs, 5);
    const m = await openModel(model, { provider: 'cpu', threads: 1 });
    try {
      const want = await runRhythmModel(m, rw.x, rw.startSample.length, RHYTHM_WINDOW, { batch });
      expect(got.probs.length).toBe(want.length);
      expect(Buffer.from(got.probs.buffer).equals(Buffer.from(want.buffer))).toBe(true);
    } finally {
      await m.session.release();
    }
    expect(Array.from(got.startSample)).toEqual(Array.from(rw.startSample));
    expect(fractions.at(-1)).toBe(1);
  }, 60_000);
});
