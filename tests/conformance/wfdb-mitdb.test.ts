// Every MIT-BIH Arrhythmia Database record against the WFDB software's rdsamp and rdann output.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { openRecord, readAnnotations, mnemonic } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { auxText, parseRdann } from '../helpers/wfdb-reference';

interface SignalRef {
  sum: number;
  min: number;
  max: number;
  first16: number[];
  last16: number[];
  sha256_csv: string;
}

const have = needData('mitdb') && needData('reference/mitdb');
const records = have
  ? (await readdir(dataPath('mitdb')))
      .filter((f) => f.endsWith('.hea'))
      .map((f) => f.slice(0, -4))
      .sort()
  : [];
const refs = have
  ? (JSON.parse(await readFile(dataPath('reference/mitdb/signals.json'), 'utf8')) as { records: Record<string, { nsamp: number; signals: SignalRef[] }> })
      .records
  : {};

function csvSha256(a: Int16Array | Int32Array): string {
  const h = createHash('sha256');
  const step = 65536;
  for (let i = 0; i < a.length; i += step) h.update((i > 0 ? ',' : '') + Array.prototype.join.call(a.subarray(i, Math.min(a.length, i + step)), ','));
  return h.digest('hex');
}

describe.runIf(have)('mitdb signals = rdsamp', () => {
  it('has all 48 records', () => {
    expect(records.length).toBe(48);
    expect(Object.keys(refs).sort()).toEqual(records);
  });
  it.each(records)('record %s', async (name) => {
    const ref = refs[name]!;
    const rec = await openRecord(dataPath('mitdb', name));
    expect(rec.nFrames).toBe(ref.nsamp);
    const raw = await rec.readRaw(0, rec.nFrames);
    expect(rec.warnings).toEqual([]); // checksums verified on the full read
    expect(raw.length).toBe(ref.signals.length);
    raw.forEach((a, i) => {
      const r = ref.signals[i]!;
      let sum = 0;
      let min = Infinity;
      let max = -Infinity;
      for (let k = 0; k < a.length; k++) {
        const v = a[k]!;
        sum += v;
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect({ sum, min, max }).toEqual({ sum: r.sum, min: r.min, max: r.max });
      expect(Array.from(a.subarray(0, 16))).toEqual(r.first16);
      expect(Array.from(a.subarray(a.length - 16))).toEqual(r.last16);
      expect(csvSha256(a)).toBe(r.sha256_csv);
    });
    await rec.close();
  });
});

describe.runIf(have)('mitdb annotations = rdann', () => {
  it.each(records)('record %s', async (name) => {
    const anns = await readAnnotations(dataPath('mitdb', name), 'atr');
    const ref = parseRdann(await readFile(dataPath('reference/mitdb', `${name}.atr.txt`), 'latin1'));
    expect(anns.map((a) => ({ sample: a.sample, type: mnemonic(a.code), sub: a.subtype, chan: a.chan, num: a.num, aux: auxText(a.aux) }))).toEqual(ref);
  });
});
