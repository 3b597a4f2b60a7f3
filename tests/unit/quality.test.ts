import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { leadQuality, QUALITY, unreadableEpisodes } from '../../src/main/quality';
import { createRng, synthesize } from '../../src/main/synth';
import { writeRecord } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

const FS = 360;
const dir = mkdtempSync(join(tmpdir(), 'hbs-quality-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

  it('turns flagged seconds into NOISE episodes, joining short gaps and skipping lone blips', () => {
    const a = new Uint8Array(20);
    a.set([1, 1, 0, 1], 3); // seconds 3-6 (one-second gap bridged)
    a[15] = QUALITY.BASELINE_JUMP; // a lone second: not a stretch
    const eps = unreadableEpisodes([{ name: 'MLII', flags: a }, { name: 'V1', flags: new Uint8Array(20) }], FS, 20 * FS);
    expect(eps.map((e) => [e.type, e.onsetSample / FS, e.offsetSample / FS, e.source])).toEqual([['NOISE', 3, 7, 'rules']]);
    expect(eps[0]!.explanation).toMatch(/unreadable for 4 s \(MLII: flat line\)/);
  });
});

describe('no pause is reported inside unreadable signal', () => {
  it('a flat-line stretch in the middle of a synthetic record is unreadable time, not a pause', async () => {
    const r = synthesize({ scenario: 'normal', minutes: 1, seed: 4, fs: FS, snrDb: null });
    for (const s of r.signals) s.fill(0, 25 * FS, 30 * FS); // 5 s of lead-off: no beat to find
    await writeRecord(dir, 'flat', {
      fs: FS,
      signals: r.signals,
      specs: r.leadNames.map((lead) => ({ format: r.format, adcGain: r.gain, baseline: 0, units: 'mV', adcResolution: r.adcResolution, adcZero: 0, description: lead })),
    });
    const a = await analyzeRecord(join(dir, 'flat'), { cacheDir: null, beats: 'detector' });
    expect(a.episodes.filter((e) => e.type === 'PAUSE')).toEqual([]);
    const noise = a.episodes.filter((e) => e.type === 'NOISE' && e.source === 'rules');
    expect(noise.some((e) => e.onsetSample <= 26 * FS && e.offsetSample >= 29 * FS)).toBe(true);
    expect(a.summary.unreadableSec).toBeGreaterThanOrEqual(4);
    expect(a.summary.longestPauseSec).toBeLessThan(2);
  }, 60_000);

  it.runIf(needData('mitdb'))("MIT-BIH 208's unreadable stretch (reference '~', samples 457495-458621) gives no pause", async () => {
    const a = await analyzeRecord(dataPath('mitdb', '208'), { cacheDir: null });
    expect(a.episodes.filter((e) => e.type === 'PAUSE' && e.onsetSample < 458621 && e.offsetSample > 457495)).toEqual([]);
    expect(a.episodes.some((e) => e.type === 'NOISE' && e.onsetSample < 458621 && e.offsetSample > 457495)).toBe(true);
  }, 120_000);
});
