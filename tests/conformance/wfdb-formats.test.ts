// The wfdb-formats records (formats 8 16 24 32 61 80 160 212 310 311, multiple samples per frame,
// skew, byte offsets, several signal files) against `rdsamp -H` of the WFDB software.
import { describe, expect, it } from 'vitest';
import { readFile, readdir } from 'node:fs/promises';
import { openRecord, readAnnotations, mnemonic, INVALID } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { auxText, diffReport, parseRdann, readRdsampH } from '../helpers/wfdb-reference';

const have = needData('wfdb-formats') && needData('reference/wfdb-formats');
const records = have
  ? (await readdir(dataPath('wfdb-formats')))
      .filter((f) => f.endsWith('.hea'))
      .map((f) => f.slice(0, -4))
      .sort()
  : [];

describe.runIf(have)('wfdb-formats = rdsamp -H', () => {
  it('covers every format', async () => {
    const formats = new Set<number>();
    for (const r of records) {
      const rec = await openRecord(dataPath('wfdb-formats', r));
      for (const s of rec.header.signals) formats.add(s.format);
      await rec.close();
    }
    expect([...formats].sort((a, b) => a - b)).toEqual([8, 16, 24, 32, 61, 80, 160, 212, 310, 311]);
  });

  it.each(records)('record %s', async (name) => {
    const rec = await openRecord(dataPath('wfdb-formats', name));
    const sigs = rec.header.signals;
    const ref = await readRdsampH(dataPath('reference/wfdb-formats', `${name}.rdsamp-H.txt.gz`), sigs.length + 1);
    const raw = await rec.readRaw(0, rec.nFrames);
    const spfMax = Math.max(...sigs.map((s) => s.samplesPerFrame));
    // rdsamp stops at the last frame every signal can fill: skewed signals end `skew` frames early
    const complete = rec.nFrames - Math.max(...sigs.map((s) => s.skew));
    expect(ref[0]!.length).toBe(complete * spfMax);
    expect(rec.completeFrames).toBe(complete);
    sigs.forEach((s, i) => {
      // high-resolution mode: row r shows sample floor(g * spf / spfMax) of frame floor(r / spfMax)
      const want = ref[i + 1]!;
      const got = new Int32Array(want.length);
      for (let r = 0; r < want.length; r++) {
        const f = Math.floor(r / spfMax);
        got[r] = raw[i]![f * s.samplesPerFrame + Math.floor(((r % spfMax) * s.samplesPerFrame) / spfMax)]!;
      }
      expect(diffReport(got, want), `signal ${i} (${s.description})`).toBe('identical');
      // the frames past the end of a skewed signal are invalid, not garbage
      for (let k = complete * s.samplesPerFrame; k < (complete + s.skew) * s.samplesPerFrame; k++) expect(raw[i]![k]).toBe(INVALID);
    });
    // windows agree with the whole read, including unaligned starts inside packed groups
    for (const [a, b] of [
      [1, 7],
      [rec.nFrames >> 1, (rec.nFrames >> 1) + 333],
      [rec.nFrames - 5, rec.nFrames],
    ]) {
      if (a! >= b! || b! > rec.nFrames) continue;
      const w = await rec.readRaw(a!, b!);
      w.forEach((x, i) => expect(diffReport(x, raw[i]!.subarray(a! * sigs[i]!.samplesPerFrame, b! * sigs[i]!.samplesPerFrame))).toBe('identical'));
    }
    await rec.close();
  });

  it('100s.atr = rdann', async () => {
    const anns = await readAnnotations(dataPath('wfdb-formats/100s'), 'atr');
    const ref = parseRdann(await readFile(dataPath('reference/wfdb-formats/100s.atr.txt'), 'latin1'));
    expect(anns.map((a) => ({ sample: a.sample, type: mnemonic(a.code), sub: a.subtype, chan: a.chan, num: a.num, aux: auxText(a.aux) }))).toEqual(ref);
  });

  it('every checksum verifies (v102s holds invalid samples: counted as the stored code)', async () => {
    const notOk: string[] = [];
    for (const r of records) {
      const rec = await openRecord(dataPath('wfdb-formats', r));
      for (const c of await rec.verifyChecksums()) if (c.status !== 'ok') notOk.push(`${r} signal ${c.signal}: ${c.status}`);
      expect(rec.warnings).toEqual([]);
      await rec.close();
    }
    expect(notOk).toEqual([]);
  });
});
