// `heartbeat-sensei evaluate` on small records written here (no shared data needed): the record's
// length, --end and --episodes as bxb and epic treat them.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import evaluate from '../../src/cli/commands/evaluate';
import type { EvaluationJson } from '../../src/main/evaluation';
import { encodeAnnotations, type Annotation } from '../../src/main/wfdb';
import { NORMAL, PACE, PVC, RHYTHM } from '../../src/main/wfdb/codes';

const FS = 250;
const a = (sec: number, code: number, aux: string | null = null): Annotation => ({ sample: sec * FS, code, subtype: 0, chan: 0, num: 0, aux });

const dir = mkdtempSync(join(tmpdir(), 'hs-evaluate-rec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A 400-s one-lead record with reference (atr) and test (tst) annotations. */
function record(name: string, ref: Annotation[], test: Annotation[], seconds = 400): string {
  writeFileSync(join(dir, `${name}.hea`), `${name} 1 ${FS} ${seconds * FS}\n${name}.dat 16\n`);
  writeFileSync(join(dir, `${name}.dat`), new Uint8Array(2 * seconds * FS));
  writeFileSync(join(dir, `${name}.atr`), encodeAnnotations(ref, 'atr'));
  writeFileSync(join(dir, `${name}.tst`), encodeAnnotations(test, 'tst'));
  return join(dir, name);
}

async function run(args: string[]): Promise<{ text: string; json: EvaluationJson; stderr: string[] }> {
  const file = join(dir, 'out.json');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  const err = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await evaluate.run(['--test', 'tst', '--json', file, ...args])).toBe(0);
    const stderr = err.mock.calls.map((c) => String(c[0]));
    return { text: log.mock.calls.map((c) => String(c[0])).join('\n'), json: JSON.parse(readFileSync(file, 'utf8')), stderr };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('evaluate: episodes and the record end', () => {
  // reference AF from 350 s to the end; test AF from 380 s, and a test beat 50 s past the record's end
  const rec = record('af', [a(0, RHYTHM, '(N'), a(350, RHYTHM, '(AFIB'), a(399, NORMAL)], [a(380, RHYTHM, '(AFIB'), a(450, NORMAL)]);

  it('without --end, episodes are clipped to the record length, as epic does', async () => {
    const { json } = await run(['--episodes', 'AF', rec]);
    const c = json.episodes!.AF!.records[0]!;
    expect(c.durationSe).toMatchObject({ overlap: 20 * FS, total: 50 * FS });
    expect(c.durationPpv).toMatchObject({ overlap: 20 * FS, total: 20 * FS, value: 1 });
  });

  it('--end 0 has no fixed end, as epic -t 0: an open episode closes at the last annotation of its file', async () => {
    const { json, text } = await run(['--episodes', 'AF', '--start', '300', '--end', '0', rec]);
    const c = json.episodes!.AF!.records[0]!;
    expect(c.durationSe).toMatchObject({ overlap: 19 * FS, total: 49 * FS });
    expect(c.durationPpv).toMatchObject({ overlap: 19 * FS, total: 70 * FS });
    expect(text).toContain('from 300 s to the end of either annotation file');
  });
});

describe('evaluate: --episodes', () => {
  it('a kind given twice is compared once', async () => {
    const rec = record('twice', [a(0, RHYTHM, '(AFIB'), a(100, RHYTHM, '(N')], [a(0, RHYTHM, '(AFIB'), a(100, RHYTHM, '(N')]);
    const { json, text } = await run(['--episodes', 'AF,af,VT', rec]);
    expect(Object.keys(json.episodes!)).toEqual(['AF', 'VT']);
    expect(json.episodes!.AF!.records.map((r) => r.record)).toEqual(['twice']);
    expect(json.episodes!.AF!.gross.episodeSe).toMatchObject({ tp: 1, miss: 0 });
    expect(text.match(/\(AF episode comparison/g)).toHaveLength(1);
  });
});

describe('evaluate: a record named twice', () => {
  it('is compared once, whether named with .hea, by another path or through a link to its folder', async () => {
    const rec = record('dup', [a(1, NORMAL), a(2, PVC), a(3, NORMAL)], [a(1, NORMAL), a(2, NORMAL)]);
    const link = join(tmpdir(), `hs-evaluate-link-${process.pid}`);
    symlinkSync(dir, link);
    try {
      const once = await run([rec]);
      const again = await run([rec, `${rec}.hea`, join(dir, '.', 'dup'), join(link, 'dup')]);
      expect(again.json.records.map((r) => r.record)).toEqual(['dup']);
      expect({ ...again.json, records: undefined }).toEqual({ ...once.json, records: undefined });
      expect(again.stderr.join('\n')).toMatch(/named more than once is compared once/);
    } finally {
      rmSync(link);
    }
  });
});

describe('evaluate: warnings on records whose beat figures mislead', () => {
  const beats = (code: number) => [10, 11, 12, 13].map((t) => a(t, code));
  it('one line per record on stderr, figures unchanged: a rhythm-only reference, a paced record', async () => {
    const rhythmOnly = record('vf1', [a(0, RHYTHM, '(N'), a(200, RHYTHM, '(VF')], beats(NORMAL));
    const paced = record('pm1', [...beats(PACE), a(14, NORMAL)], [...beats(PACE), a(14, NORMAL)]);
    const plain = record('ok1', [...beats(NORMAL), a(14, PVC)], beats(NORMAL));
    const { json, stderr } = await run([rhythmOnly, paced, plain]);
    expect(stderr).toEqual([
      'heartbeat-sensei evaluate: warning: vf1: the reference (atr) holds no beat labels (rhythm only?): every test beat counts as a false positive',
      'heartbeat-sensei evaluate: warning: pm1: paced beats in the reference (atr): EC57 excludes paced records from reported figures',
    ]);
    expect(json.records.map((r) => r.qrs.fp)).toEqual([4, 0, 0]);
  });
});
