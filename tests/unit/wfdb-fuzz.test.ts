// Mutates real headers and annotation files (bit flips, truncation, insertion, deletion,
// duplicated lines) with a seeded PRNG and asserts that only WfdbError ever comes out; then the
// security audit's targeted mutations (implausible rates, huge counts, signal paths out of the folder).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAnnotations, encodeAnnotations, openRecord, parseHeader, WfdbError } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';
import { mulberry32 } from '../../src/shared/prng';

const INTERESTING = [
  '0',
  '-1',
  '999999999999',
  '1e12',
  '0.0001',
  '/etc/hostname',
  '../../etc/hostname',
  '100000',
  'x',
  '/',
  '(',
  ')',
  '+',
  ':',
  '#',
  '\n',
  '\r\n',
  ' ',
  '~',
  '212',
  '16',
  '508',
  'NaN',
  '-0',
  '.5',
  '\x00',
  '\xff',
];

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = Array.from(src);
  const edits = 1 + Math.floor(rnd() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * (b.length + 1));
    switch (Math.floor(rnd() * 6)) {
      case 0: // bit flip
        if (b.length) b[at % b.length]! ^= 1 << Math.floor(rnd() * 8);
        break;
      case 1: // truncation
        b.length = at;
        break;
      case 2: // random bytes inserted
        b.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 8) }, () => Math.floor(rnd() * 256)));
        break;
      case 3: // an interesting token inserted
        b.splice(at, 0, ...Buffer.from(INTERESTING[Math.floor(rnd() * INTERESTING.length)]!, 'latin1'));
        break;
      case 4: // a run deleted
        b.splice(at, 1 + Math.floor(rnd() * 16));
        break;
      default: {
        // a run duplicated (repeats lines, words, annotation records)
        const len = 1 + Math.floor(rnd() * 32);
        b.splice(at, 0, ...b.slice(at, at + len));
      }
    }
  }
  return new Uint8Array(b);
}

function onlyWfdbErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof WfdbError)) throw err;
    expect(err.message.startsWith(err.file)).toBe(true);
  }
}

const HEADERS = [
  'mitdb/100.hea',
  'wfdb-formats/03700181.hea',
  'wfdb-formats/binformats.hea',
  'wfdb-formats/a103l.hea',
  'wfdb-formats/s0010_re.hea',
  'wfdb-formats/3000003_0003.hea',
  'cinc2017/A00003.hea',
];
const ANNOTATIONS = ['wfdb-formats/100s.atr', 'cudb/cu01.atr', 'reference/bxb/100.qrs', 'vfdb/418.atr'];

describe.runIf(needData('wfdb-formats') && needData('mitdb'))('fuzz', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wfdb-fuzz-'));
    // the signal files the mutated headers name, linked (not copied) next to them
    for (const f of [
      'mitdb/100.hea',
      'mitdb/100.dat',
      'wfdb-formats/03700181.dat',
      'wfdb-formats/a103l.mat',
      'wfdb-formats/3000003_0003.dat',
      ...Array.from({ length: 10 }, (_, i) => `wfdb-formats/binformats.d${i}`),
    ]) {
      await symlink(dataPath(f), join(dir, f.split('/')[1]!));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true });
  });

  it('parseHeader: 3000 mutated headers', async () => {
    const rnd = mulberry32(20261122);
    const sources = await Promise.all(HEADERS.map((h) => readFile(dataPath(h))));
    let parsed = 0;
    for (let i = 0; i < 3000; i++) {
      const text = Buffer.from(mutate(sources[i % sources.length]!, rnd)).toString('latin1');
      onlyWfdbErrors(() => {
        parseHeader(text, 'fuzz.hea');
        parsed++;
      });
    }
    expect(parsed).toBeGreaterThan(100); // many mutations stay valid headers: the fuzz reaches the reader too
  });

  it('openRecord + windowed reads: 480 mutated headers over real signal files', async () => {
    const rnd = mulberry32(7);
    const sources = await Promise.all(
      HEADERS.slice(0, 4)
        .concat(HEADERS[5]!)
        .map((h) => readFile(dataPath(h)))
    );
    // a multi-segment master over record 100 (linked beside it), with a null segment
    sources.push(Buffer.from('ms/4 2 360 1400000\n100 650000\n~ 100000\n100 650000\n~ 0\n# master\n', 'latin1'));
    let opened = 0;
    let openedMulti = 0;
    for (let i = 0; i < 480; i++) {
      const bytes = mutate(sources[i % sources.length]!, rnd);
      const text = Buffer.from(bytes)
        .toString('latin1')
        .replace(/^[^\s/]+/, 'fz'); // keep the file name valid
      await writeFile(join(dir, 'fz.hea'), text, 'latin1');
      try {
        const rec = await openRecord(join(dir, 'fz'));
        opened++;
        if (rec.header.segments) openedMulti++;
        const n = rec.nFrames;
        for (const [a, b] of [
          [0, Math.min(n, 10)],
          [Math.max(0, n - 7), n],
          [n >> 1, Math.min(n, (n >> 1) + 3)],
        ])
          await rec.readPhysical(a!, b!);
        await rec.close();
      } catch (err) {
        if (!(err instanceof WfdbError)) throw err;
      }
    }
    expect(opened).toBeGreaterThan(20);
    expect(openedMulti).toBeGreaterThan(0); // the multi-segment reader is reached too
  });

  it("the audit's mutations: implausible fs, huge counts and lengths, absolute and '..' signal paths (only WfdbError, quick, RSS under 1 GB)", async () => {
    const rnd = mulberry32(14);
    const sources = await Promise.all(
      HEADERS.slice(0, 4)
        .concat(HEADERS[5]!)
        .map(async (h) => (await readFile(dataPath(h))).toString('latin1').replace(/^[^\s/]+/, 'fz'))
    );
    const FS = ['0.0001', '1e-9', '0.5', '0', '-360', '1e6', '99999999', '1e308', '360/0.0001', '0.0001/360'];
    const COUNTS = ['100000', '99999', '4294967296', '1e9', '-1'];
    const LENGTHS = ['999999999999', '9007199254740991', '99999999999999999999', '1e15'];
    const PATHS = [
      '/etc/hostname',
      '../../etc/hostname',
      join(dir, '100.dat'),
      `../${dir.split('/').pop()}/100.dat`,
      'a/../../100.dat',
      '..',
      '/dev/zero',
      '/dev/urandom',
    ];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const counts = { refused: 0, implausible: 0, confined: 0 };
    for (let i = 0; i < 400; i++) {
      const lines = sources[i % sources.length]!.split('\n');
      const rec = lines[0]!.split(/\s+/);
      switch (i % 4) {
        case 0:
          rec[2] = pick(FS);
          break;
        case 1:
          rec[1] = pick(COUNTS);
          break;
        case 2:
          rec[3] = pick(LENGTHS);
          break;
        default: {
          const k = 1 + Math.floor(rnd() * Math.max(1, lines.length - 2));
          if (lines[k] && !lines[k]!.startsWith('#')) lines[k] = lines[k]!.replace(/^\S+/, pick(PATHS));
        }
      }
      lines[0] = rec.join(' ');
      await writeFile(join(dir, 'fz.hea'), lines.join('\n'), 'latin1');
      const t0 = performance.now();
      try {
        const r = await openRecord(join(dir, 'fz'));
        const n = r.nFrames;
        for (const [a, b] of [
          [0, Math.min(n, 10)],
          [Math.max(0, n - 7), n],
        ])
          await r.readPhysical(a!, b!);
        await r.close();
      } catch (err) {
        if (!(err instanceof WfdbError)) throw err;
        expect(err.message.startsWith(err.file)).toBe(true);
        counts.refused++;
        if (err.code === 'IMPLAUSIBLE') counts.implausible++;
        if (/absolute path|climbs out/.test(err.message)) counts.confined++;
      }
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(process.memoryUsage().rss).toBeLessThan(1024 ** 3);
    }
    expect(counts.implausible).toBeGreaterThan(50);
    expect(counts.confined).toBeGreaterThan(30);
    // an annotation file claiming far more annotations than any record, and huge SKIPs
    const many = new Uint8Array(2 * 20_000_002 + 2).fill(0);
    for (let k = 0; k < 20_000_002; k++) many[2 * k + 1] = 4;
    expect(() => decodeAnnotations(many, 'many.atr')).toThrow(WfdbError);
    const skips = new Uint8Array(6 * 1000 + 2);
    for (let k = 0; k < 1000; k++) skips.set([0, 59 << 2, 0xff, 0x7f, 0xff, 0xff], 6 * k);
    onlyWfdbErrors(() => decodeAnnotations(skips, 'skips.atr'));
    expect(process.memoryUsage().rss).toBeLessThan(1024 ** 3);
  });

  it('decodeAnnotations: 3000 mutated annotation files', async () => {
    const rnd = mulberry32(99);
    const sources = await Promise.all(ANNOTATIONS.map(async (f) => new Uint8Array(await readFile(dataPath(f)))));
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = mutate(sources[i % sources.length]!, rnd);
      onlyWfdbErrors(() => {
        const anns = decodeAnnotations(bytes, 'fuzz.atr');
        decoded++;
        // whatever decodes must also encode and decode back to itself
        expect(decodeAnnotations(encodeAnnotations(anns, 'fuzz.atr'), 'fuzz.atr')).toEqual(anns);
      });
    }
    expect(decoded).toBeGreaterThan(100);
  });
});
