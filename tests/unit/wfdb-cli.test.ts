// The info, dump and ann commands, through the CLI's main() as the bin calls it.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { main } from '../../src/cli/index';
import { dataPath, needData } from '../helpers/data';
import { parseRdann } from '../helpers/wfdb-reference';

async function capture(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const w = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const l = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    out += a.join(' ') + '\n';
  });
  const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => {
    err += a.join(' ') + '\n';
  });
  try {
    const code = await main(argv);
    return { code, out, err };
  } finally {
    w.mockRestore();
    l.mockRestore();
    e.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe.runIf(needData('wfdb-formats') && needData('mitdb'))('CLI', () => {
  it('info summarises a record, its annotators and verifies checksums', async () => {
    const r = await capture(['info', dataPath('wfdb-formats/100s.hea'), '--verify']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/signals\s+2/);
    expect(r.out).toMatch(/rate\s+360 frames\/s/);
    expect(r.out).toMatch(/length\s+21600 frames = 1:00\.000/);
    expect(r.out).toMatch(/^0\tMLII\t100s\.dat\t212\t1\t200.*\tok$/m);
    expect(r.out).toMatch(/annotators atr \(\d+\)/);
  });

  it('dump prints rdsamp -H rows, slower signals repeated, and a window', async () => {
    const ref = gunzipSync(await readFile(dataPath('reference/wfdb-formats/03700181.rdsamp-H.txt.gz')))
      .toString()
      .split('\n');
    const r = await capture(['dump', dataPath('wfdb-formats/03700181'), '--from', '2', '--to', '2.4']);
    expect(r.code).toBe(0);
    const rows = r.out.trimEnd().split('\n');
    // 125 Hz frames, 4 samples per frame of MCL1: 0.4 s = 50 frames = 200 rows from row 1000
    expect(rows.length).toBe(200);
    expect(rows.map((l) => l.split('\t').map(Number))).toEqual(ref.slice(1000, 1200).map((l) => l.trim().split(/\s+/).map(Number)));
  });

  it('dump --physical converts with gain and baseline; invalid samples print "-"', async () => {
    const r = await capture(['dump', dataPath('mitdb/100'), '--from', '0', '--to', '0.01', '--physical']);
    expect(r.out.split('\n')[0]).toBe(`0\t${((995 - 1024) / 200).toFixed(3)}\t${((1011 - 1024) / 200).toFixed(3)}`);
    // like rdsamp, the dump stops where RESP's skewed data runs out (4 frames before the header's length) ...
    const ref = gunzipSync(await readFile(dataPath('reference/wfdb-formats/03700181.rdsamp-H.txt.gz')))
      .toString()
      .trimEnd()
      .split('\n');
    const s = await capture(['dump', dataPath('wfdb-formats/03700181'), '--from', '599.9']);
    const tail = s.out.trimEnd().split('\n');
    expect(tail.at(-1)!.split('\t').map(Number)).toEqual(ref.at(-1)!.trim().split(/\s+/).map(Number));
    expect(tail.at(-1)).toMatch(/^299983\t/);
    // ... and --all-frames goes on to the header's length, the skewed signal's missing samples as '-'
    const all = await capture(['dump', dataPath('wfdb-formats/03700181'), '--from', '599.99', '--all-frames']);
    expect(all.out.trimEnd().split('\n').at(-1)).toMatch(/^299999\t-?\d+\t-?\d+\t-$/);
  });

  it('ann prints rdann fields tab-separated', async () => {
    const r = await capture(['ann', dataPath('wfdb-formats/100s'), '-a', 'atr']);
    const ref = parseRdann(await readFile(dataPath('reference/wfdb-formats/100s.atr.txt'), 'latin1'));
    expect(r.out.replace(/\n$/, '').split('\n')).toEqual(ref.map((a) => [a.sample, a.type, a.sub, a.chan, a.num, a.aux].join('\t')));
  });

  it.each([
    [['info', '/nonexistent/rec'], /nonexistent\/rec\.hea: file not found/],
    [['dump', dataPath('mitdb/100'), '--to', '99999'], /--to 99999/],
    [['dump', dataPath('mitdb/100'), '--from', 'abc'], /--from must be a number/],
    [['dump', dataPath('mitdb/100'), '--from='], /--from must be a number, got ""/],
    [['dump', dataPath('mitdb/100'), '--from', ' '], /--from must be a number/],
    [['ann', dataPath('mitdb/100'), '-a', 'nope'], /100\.nope: file not found/],
    [['info'], /exactly one record/],
  ])('exits 2 with one line on bad input: %j', async (argv, re) => {
    const r = await capture(argv);
    expect(r.code).toBe(2);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(re);
  });
});
