// Signal files confined to the record's folder, and plausibility limits (fs, signal count,
// duration, annotation count) that refuse nonsense with a clear error yet admit every real record
// in ../shared/data and a 7-day 12-lead Holter (issue 14 items 5, 8).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile, readdir, open as openFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { openRecord, parseHeader, readHeader, decodeAnnotations, writeAnnotations, WfdbError } from '../../src/main/wfdb';
import { NORMAL } from '../../src/main/wfdb/codes';
import { main } from '../../src/cli/index';
import { quiet } from '../helpers/cli-output';
import { checkPlausible, PLAUSIBLE } from '../../src/main/wfdb/plausible';
import { analyzeRecord } from '../../src/main/analysis/pipeline';
import { DATA_ROOT, needData } from '../helpers/data';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-wfdb-limits-'));
  await writeFile(join(dir, 'secret'), 'hostname-bytes\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<WfdbError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err
  );
  expect(e).toBeInstanceOf(WfdbError);
  return e as WfdbError;
}

describe('signal files stay in the record folder', () => {
  it('refuses absolute and ".." signal file names with a WfdbError naming the header', async () => {
    for (const name of [join(dir, 'secret'), '/etc/hostname', '../../etc/hostname', 'sub/../../secret', '..\\\\secret', 'C:/x.dat']) {
      expect(() => parseHeader(`r 1 360 10\n${name} 80 200 8 0 0 0 0 I\n`, 'r.hea')).toThrow(/^r\.hea: line 2: signal file .* (absolute|climbs out)/);
      await writeFile(join(dir, 'r.hea'), `r 1 360 10\n${name} 80 200 8 0 0 0 0 I\n`);
      const e = await rejection(openRecord(join(dir, 'r')));
      expect(e.file).toBe(join(dir, 'r.hea'));
      expect(e.code).toBe('BAD_HEADER');
    }
  });
});

describe('plausibility limits', () => {
  it('refuses implausible fs, signal counts and durations, naming the header and the limit', async () => {
    const cases: [string, RegExp][] = [
      ['p 1 0.0001 650000\np.dat 16\n', /sampling frequency 0\.0001 Hz is implausible/],
      ['p 1 1e7 10\np.dat 16\n', /sampling frequency 10000000 Hz is implausible/],
      ['p 1 360 999999999999\np.dat 16\n', /days, implausible/],
      [`p 2000 360 10\n${'~ 0\n'.repeat(2000)}`, /2,000 signals is implausible/],
      ['p/2 1 0.001 0\nq 100\n~ 100\n', /sampling frequency 0\.001 Hz is implausible/],
    ];
    await writeFile(join(dir, 'p.dat'), new Uint8Array(20));
    for (const [hea, msg] of cases) {
      await writeFile(join(dir, 'p.hea'), hea);
      const e = await rejection(openRecord(join(dir, 'p')));
      expect(e.code).toBe('IMPLAUSIBLE');
      expect(e.message).toMatch(new RegExp(`^${join(dir, 'p.hea').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
      expect(e.message).toMatch(msg);
    }
  });

  it('refuses more frames than annotation times and beat positions hold (2^31 - 1), within 31 days', async () => {
    expect(() => checkPlausible({ fs: 1000, nSignals: 1 }, 2 ** 31 - 1, 'h.hea')).not.toThrow();
    await writeFile(join(dir, 'long.hea'), `long 1 1000 ${25 * 86_400_000}\nlong.dat 16\n`); // 25 days at 1 kHz
    const e = await rejection(openRecord(join(dir, 'long')));
    expect(e.code).toBe('IMPLAUSIBLE');
    expect(e.message).toMatch(/long\.hea: 2,160,000,000 frames is more than this reader's 2,147,483,647/);
  });

  it('admits a 7-day 12-lead Holter at 1 kHz (sparse signal file)', async () => {
    const frames = 7 * 86_400 * 1000;
    expect(() => checkPlausible({ fs: 1000, nSignals: 12 }, frames, 'h.hea')).not.toThrow();
    await writeFile(
      join(dir, 'holter.hea'),
      `holter 12 1000 ${frames}\n${Array.from({ length: 12 }, (_, i) => `holter.dat 16 200 16 0 0 0 0 lead${i}`).join('\n')}\n`
    );
    const fh = await openFile(join(dir, 'holter.dat'), 'w');
    await fh.truncate(frames * 12 * 2);
    await fh.close();
    const rec = await openRecord(join(dir, 'holter'));
    expect(rec.nFrames).toBe(frames);
    expect((await rec.readPhysical(frames - 3, frames))[11]!.length).toBe(3);
    await rec.close();
  });

  it('refuses an annotation file with more annotations than any record holds, without building them', () => {
    const n = PLAUSIBLE.maxAnnotations + 1;
    const bytes = new Uint8Array(2 * n + 2);
    for (let i = 0; i < n; i++) {
      bytes[2 * i] = 1; // interval 1
      bytes[2 * i + 1] = 1 << 2; // code 1 (N)
    }
    expect(() => decodeAnnotations(bytes, 'huge.atr')).toThrow(/^huge\.atr: more than 20,000,000 annotations is implausible/);
    expect(decodeAnnotations(bytes.subarray(2 * (n - 1000)), 'tail.atr')).toHaveLength(1000);
  });

  it('the analysis refuses a rate too low for QRS detection before any work', async () => {
    await writeFile(join(dir, 'slow.hea'), 'slow 1 10 100\nslow.dat 16\n');
    await writeFile(join(dir, 'slow.dat'), new Uint8Array(200));
    const e = await rejection(analyzeRecord(join(dir, 'slow'), { cacheDir: null }));
    expect(e.code).toBe('IMPLAUSIBLE');
    expect(e.message).toMatch(/slow\.hea: sampling frequency 10 Hz is too low/);
  });

  it('the analysis refuses a recording too short to hold a rhythm, and reference beats no heart makes; detect refuses a low rate', async () => {
    await writeFile(join(dir, 'blip.hea'), 'blip 1 360 100\nblip.dat 16\n');
    await writeFile(join(dir, 'blip.dat'), new Uint8Array(200));
    const short = await rejection(analyzeRecord(join(dir, 'blip'), { cacheDir: null }));
    expect(short.code).toBe('IMPLAUSIBLE');
    expect(short.message).toMatch(/blip\.hea: 100 frames at 360 Hz last 0\.28 s, too short to analyse/);
    // 10 s at 360 Hz with a beat every 10 samples (36 a second)
    await writeFile(join(dir, 'fast.hea'), 'fast 1 360 3600\nfast.dat 16\n');
    await writeFile(join(dir, 'fast.dat'), new Uint8Array(7200));
    await writeAnnotations(
      join(dir, 'fast.atr'),
      Array.from({ length: 359 }, (_, i) => ({ sample: 10 * (i + 1), code: NORMAL, subtype: 0, chan: 0, num: 0, aux: null }))
    );
    const fast = await rejection(analyzeRecord(join(dir, 'fast'), { cacheDir: null, beats: 'reference', useRules: true }));
    expect(fast.code).toBe('IMPLAUSIBLE');
    expect(fast.message).toMatch(/fast\.atr: 359 beats in 10\.0 s \(2154 a minute\) are not heart beats/);
    // not asked for by name ('auto'), such an .atr is passed over for the QRS detector
    const auto = await analyzeRecord(join(dir, 'fast'), { cacheDir: null, useRules: true });
    expect(auto.beats.source).toBe('detector');
    const r = await quiet(() => main(['detect', join(dir, 'slow'), '--out', dir]));
    expect(r.value).toBe(2);
    expect(r.err).toMatch(/slow\.hea: sampling frequency 10 Hz is too low/);
  });

  it('a folder where a record file should be is bad input (not found), not an I/O error worth a retry', async () => {
    await mkdir(join(dir, 'folder.hea'));
    const hea = await rejection(openRecord(join(dir, 'folder')));
    expect([hea.code, hea.message]).toEqual(['NOT_FOUND', `${join(dir, 'folder.hea')}: is a directory, not a file`]);
    await writeFile(join(dir, 'dirdat.hea'), 'dirdat 1 360 100\ndirdat.dat 16\n');
    await mkdir(join(dir, 'dirdat.dat'));
    const dat = await rejection(openRecord(join(dir, 'dirdat')));
    expect(dat.code).toBe('NOT_FOUND');
    expect(dat.message).toMatch(/dirdat\.dat: is not a regular file/);
  });

  it.runIf(process.platform !== 'win32')('a FIFO or a device named like a header or an annotation file is refused at once, never read', async () => {
    const { execFileSync } = await import('node:child_process');
    const { symlink } = await import('node:fs/promises');
    execFileSync('mkfifo', [join(dir, 'pipe.hea')]);
    await symlink('/dev/zero', join(dir, 'zero.hea'));
    for (const name of ['pipe', 'zero']) {
      const e = await rejection(openRecord(join(dir, name)));
      expect([e.code, e.message]).toEqual(['NOT_FOUND', `${join(dir, `${name}.hea`)}: is not a regular file`]);
    }
    await writeFile(join(dir, 'za.hea'), 'za 1 360 3600\nza.dat 16\n');
    await writeFile(join(dir, 'za.dat'), new Uint8Array(7200));
    await symlink('/dev/zero', join(dir, 'za.atr'));
    const { readAnnotations } = await import('../../src/main/wfdb');
    await expect(readAnnotations(join(dir, 'za'), 'atr')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/za\.atr: is not a regular file/),
    });
    // --beats auto passes such an .atr over for the detector
    expect((await analyzeRecord(join(dir, 'za'), { cacheDir: join(dir, 'za-cache'), useRules: true })).beats.source).toBe('detector');
  });

  it.runIf(needData('mitdb'))('admits every real record in ../shared/data', async () => {
    const headers: string[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const e of await readdir(d, { withFileTypes: true })) {
        if (e.isDirectory()) await walk(join(d, e.name));
        else if (e.name.endsWith('.hea')) headers.push(join(d, e.name));
      }
    };
    await walk(DATA_ROOT);
    expect(headers.length).toBeGreaterThan(100);
    const refused: string[] = [];
    for (const h of headers) {
      try {
        const rec = await openRecord(h);
        await rec.close();
      } catch (err) {
        if (err instanceof WfdbError && err.code === 'IMPLAUSIBLE') refused.push(`${relative(DATA_ROOT, h)}: ${err.message}`);
        else await readHeader(h).catch(() => undefined);
      }
    }
    expect(refused).toEqual([]);
  });
});
