import { describe, expect, it } from 'vitest';
import { parseHeader, formatHeader, WfdbError } from '../../src/main/wfdb';

const F = '/x/rec.hea';

function errorOf(text: string): WfdbError {
  try {
    parseHeader(text, F);
  } catch (err) {
    if (err instanceof WfdbError) return err;
    throw err;
  }
  throw new Error('expected a WfdbError');
}

describe('parseHeader', () => {
  it('reads every field of the record and signal lines', () => {
    const h = parseHeader(
      'rec 3 125/1000(42) 75000 17:27:45 15/08/1994\r\n' +
        'rec.dat 212x4 2963.77/mV 12 0 67 -11266 0 MCL1 lead\r\n' +
        'rec.dat 212 12.84(-1605)/mmHg 12 0 -943 -23651 0 ABP\r\n' +
        'rec.dat 212:4+24 2000 0 5 -304 6310 512 RESP\r\n' +
        '# 69 M\r\n#Aldomet\r\n',
      F
    );
    expect(h).toMatchObject({
      name: 'rec',
      nSignals: 3,
      fs: 125,
      counterFreq: 1000,
      baseCounter: 42,
      nFrames: 75000,
      baseTime: '17:27:45',
      baseDate: '15/08/1994',
      comments: ['69 M', 'Aldomet'],
    });
    expect(h.signals[0]).toEqual({
      fileName: 'rec.dat',
      format: 212,
      samplesPerFrame: 4,
      skew: 0,
      byteOffset: 0,
      adcGain: 2963.77,
      baseline: 0,
      units: 'mV',
      adcResolution: 12,
      adcZero: 0,
      initValue: 67,
      checksum: -11266,
      blockSize: 0,
      description: 'MCL1 lead',
    });
    expect(h.signals[1]).toMatchObject({ adcGain: 12.84, baseline: -1605, units: 'mmHg' });
    // resolution 0 takes the format's default; baseline defaults to the ADC zero; units to mV
    expect(h.signals[2]).toMatchObject({
      skew: 4,
      byteOffset: 24,
      adcGain: 2000,
      adcResolution: 12,
      adcZero: 5,
      baseline: 5,
      units: 'mV',
      blockSize: 512,
      description: 'RESP',
    });
  });

  it('applies defaults for a minimal header', () => {
    const h = parseHeader('r 1\nr.dat 16\n', F);
    expect(h).toMatchObject({ fs: 250, counterFreq: 250, nFrames: 0, baseTime: null, baseDate: null });
    // WFDB_DEFRES (12 bits) unless the format's width says otherwise
    expect(h.signals[0]).toMatchObject({ adcGain: 0, baseline: 0, adcZero: 0, initValue: 0, checksum: null, adcResolution: 12, description: '' });
    expect(parseHeader('r 1\nr.dat 24\n', F).signals[0]!.adcResolution).toBe(24);
    // a byte-order mark before the record name (a header saved by a Windows editor)
    expect(parseHeader('\uFEFFr 1 360\r\nr.dat 16\r\n', F)).toMatchObject({ name: 'r', fs: 360 });
  });

  it('reads multi-segment headers with null segments', () => {
    const h = parseHeader('multi/3 2 360 1500\nlayout 0\nseg1 1000\n~ 500\n', F);
    expect(h.segments).toEqual([
      { name: 'layout', nFrames: 0 },
      { name: 'seg1', nFrames: 1000 },
      { name: '~', nFrames: 500 },
    ]);
  });

  it.each([
    ['', /no record line/],
    ['rec -1', /number of signals/],
    ['rec 1e12', /number of signals/],
    ['rec 1 0', /sampling frequency/],
    ['rec 1 -360', /sampling frequency/],
    ['rec 1 abc', /sampling frequency/],
    ['rec 2 360\nrec.dat 212\n', /announces 2 signals, found 1/],
    ['rec 1 360\nrec.dat 999\n', /unknown signal format 999/],
    ['rec 1 360\nrec.dat 516\n', /FLAC/],
    ['rec 1 360\nrec.dat 16x0\n', /samples per frame/],
    ['rec 1 360 10 25:61:xx\n', /base time/],
    ['rec 1 360\nrec.dat 16 200/mV twelve\n', /ADC resolution/],
    ['rec 2 360\na.dat 16\na.dat 212\n', /share a\.dat but have formats/],
    ['rec 3 360\na.dat 16\nb.dat 16\na.dat 16\n', /not on consecutive lines/],
    ['multi/2 1 360 10\ns1 10\n', /announces 2 segments, found 1/],
    ['\x00\x01\x02garbage', /control characters/],
  ])('rejects %j', (text, re) => {
    const e = errorOf(text);
    expect(e.code).toBe('BAD_HEADER');
    expect(e.file).toBe(F);
    expect(e.message).toMatch(re);
    expect(e.message.startsWith(F)).toBe(true);
  });

  it('formatHeader output parses back to the same header', () => {
    const h = parseHeader('rec 2 360 650000\nrec.dat 212 200(1000)/mV 11 1024 995 -22131 0 MLII\nrec.dat 212 200/mV 11 1024 1011 20052 0 V5\n# hello\n', F);
    expect(parseHeader(formatHeader(h), F)).toEqual(h);
  });
});
