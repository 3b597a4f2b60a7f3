// `heartbeat-sensei evaluate` end to end on the bxb test vectors: the JSON contract and the
// printed tables agree with WFDB's sumstats output for the same comparison.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dataPath, needData } from '../helpers/data';
import evaluate from '../../src/cli/commands/evaluate';
import { CliError } from '../../src/cli/errors';

const have = needData('reference/bxb') && needData('mitdb');
const RECORDS = ['100', '105', '106', '119', '200', '203', '208', '210', '221', '233'];

describe.skipIf(!have)('heartbeat-sensei evaluate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-evaluate-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function runCli(args: string[]): Promise<string> {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await evaluate.run(args)).toBe(0);
      return log.mock.calls.map((c) => String(c[0])).join('\n');
    } finally {
      log.mockRestore();
    }
  }

  it('writes the JSON contract and prints the sumstats table of bxb -l (EC57, perturbed annotations)', async () => {
    const json = join(dir, 'pert.json');
    const records = RECORDS.map((r) => dataPath('mitdb', `${r}.hea`));
    const text = await runCli(['--test', 'pert', '--test-dir', dataPath('reference/bxb'), '--start', '300', '--json', json, ...records]);
    const want = readFileSync(dataPath('reference/bxb/pert-ec57.sumstats.txt'), 'utf8').trimEnd();
    expect(text).toContain(want);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    // sumstats: Gross 98.19 98.82 87.46 94.47 1.162, total QRS 21285, total VEBs 3924
    expect(out.gross.qrs.tp + out.gross.qrs.fn).toBe(21285);
    expect(out.gross.V.tp + out.gross.V.fn).toBe(3924);
    expect(out.gross.qrs.se).toBeCloseTo(0.9819, 4);
    expect(out.gross.qrs.ppv).toBeCloseTo(0.9882, 4);
    expect(out.gross.V.se).toBeCloseTo(0.8746, 4);
    expect(out.gross.V.ppv).toBeCloseTo(0.9447, 4);
    expect(out.gross.V.fpr).toBeCloseTo(0.01162, 5);
    for (const k of ['N', 'S', 'F']) expect(out.gross[k]).toHaveProperty('se');
    expect(out.records.map((r: { record: string }) => r.record)).toEqual(RECORDS);
    // 200 (bxb -l): V Se 86.14, V +P 96.63
    const r200 = out.records[4];
    expect(r200.V.se).toBeCloseTo(0.8614, 4);
    expect(r200.V.ppv).toBeCloseTo(0.9663, 4);
    expect(r200.qrs).toMatchObject({ tp: 2120, fn: 48, fp: 22 });
  });

  it('reports AF episodes (reference against itself: all detected)', async () => {
    const json = join(dir, 'af.json');
    await runCli(['--test', 'atr', '--episodes', 'AF', '--json', json, dataPath('mitdb', '203'), dataPath('mitdb', '221')]);
    const out = JSON.parse(readFileSync(json, 'utf8'));
    expect(out.episodes.AF.gross.episodeSe.value).toBe(1);
    expect(out.episodes.AF.gross.episodePpv.value).toBe(1);
    expect(out.episodes.AF.gross.episodeSe.tp).toBeGreaterThan(2);
    expect(out.gross.qrs.se).toBe(1);
  });

  it('--min-episode drops short reference and test episodes; VTA unites VT, flutter and fibrillation', async () => {
    const all = join(dir, 'af-all.json');
    const long = join(dir, 'af-30.json');
    await runCli(['--test', 'atr', '--episodes', 'AF,VTA', '--json', all, dataPath('mitdb', '203')]);
    await runCli(['--test', 'atr', '--episodes', 'AF', '--min-episode', '30', '--json', long, dataPath('mitdb', '203')]);
    const a = JSON.parse(readFileSync(all, 'utf8')).episodes;
    const b = JSON.parse(readFileSync(long, 'utf8')).episodes;
    expect(b.AF.gross.episodeSe.tp).toBeGreaterThan(0);
    expect(b.AF.gross.episodeSe.tp).toBeLessThan(a.AF.gross.episodeSe.tp); // 203 has AF runs shorter than 30 s
    // 203's ventricular runs ("(VT" episodes), the reference against itself
    expect(a.VTA.gross.episodeSe.tp).toBeGreaterThan(0);
    expect(a.VTA.gross.episodeSe.value).toBe(1);
  });

  it('rejects a missing --test and unknown episode types', async () => {
    await expect(evaluate.run([dataPath('mitdb', '100')])).rejects.toThrow(CliError);
    await expect(evaluate.run(['--test', 'atr', '--episodes', 'XYZ', dataPath('mitdb', '100')])).rejects.toThrow(/unknown episode type/);
    // a bare --json before the records takes the first record's header as its file: refused, before anything is read
    await expect(evaluate.run(['--test', 'atr', '--json', dataPath('mitdb', '100.hea'), dataPath('mitdb', '101.hea')])).rejects.toThrow(
      /100\.hea: a record's file, not a place for the comparison/
    );
  });
});
