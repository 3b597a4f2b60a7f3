// A record whose ECG is stored in microvolts (as records converted from EDF often are) is analysed
// and shown as its millivolt twin: the signal quality, pause and rule thresholds are in mV.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { RecordStore } from '../../src/main/review/records';
import { inMillivolts, unitsPerMillivolt } from '../../src/shared/ecg-leads';
import { openRecord } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { rewriteRecord } from '../helpers/rewrite-record';

describe('voltage units', () => {
  it('converts µV, nV and V to mV and leaves mV, no units and other units alone', () => {
    expect(['uV', 'µV', 'μV', 'nV', 'V', 'mV', '', 'mmHg', 'NU'].map(unitsPerMillivolt)).toEqual([1e3, 1e3, 1e3, 1e6, 1e-3, 1, 1, 1, 1]);
    const [a, b] = inMillivolts([Float32Array.of(1500, -250), Float32Array.of(90, 95)], [{ units: 'uV' }, { units: 'mmHg' }]);
    expect([...a!]).toEqual([1.5, -0.25]);
    expect([...b!]).toEqual([90, 95]);
  });
});

describe.runIf(needData('mitdb'))('a record stored in µV', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-units-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('MIT-BIH 208 in µV gets the analysis and the trace of its mV twin', async () => {
    const src = dataPath('mitdb', '208');
    const twin = (name: string, units: string, gain: number, perMv: number) =>
      rewriteRecord(
        src,
        dir,
        name,
        [0, 1].map((k) => ({ description: k ? 'V1' : 'MLII', units, gain, from: (x: Float32Array[]) => x[k]!.map((v) => v * perMv) }))
      );
    // the same 16-bit samples: 200 per mV, or 0.2 per µV
    await twin('mv', 'mV', 200, 1);
    await twin('uv', 'uV', 0.2, 1000);
    const mv = await analyzeRecord(join(dir, 'mv'), { beats: 'reference', cacheDir: null, threads: 1 });
    const uv = await analyzeRecord(join(dir, 'uv'), { beats: 'reference', cacheDir: null, threads: 1 });
    // 208 has one unreadable stretch (~17 s); read as mV, the µV record was unreadable throughout
    expect(mv.summary.unreadableSec).toBeGreaterThan(5);
    expect(mv.summary.unreadableSec).toBeLessThan(60);
    expect(uv.summary).toEqual(mv.summary);
    expect(uv.episodes).toEqual(mv.episodes);
    expect(uv.recording).toEqual(mv.recording);
    expect([...uv.beats.pvcScore]).toEqual([...mv.beats.pvcScore]);

    const store = new RecordStore(openRecord);
    try {
      const [a, b] = await Promise.all([store.window(join(dir, 'mv'), 1000, 2000), store.window(join(dir, 'uv'), 1000, 2000)]);
      expect(b.min[0]![0]).toBeCloseTo(a.min[0]![0]!, 5);
      let d = 0;
      for (let i = 0; i < a.min[0]!.length; i++) d = Math.max(d, Math.abs(a.min[0]![i]! - b.min[0]![i]!));
      expect(d).toBeLessThan(1e-5);
    } finally {
      await store.closeAll();
    }
  }, 120_000);
});
