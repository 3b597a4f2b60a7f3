// `heartbeat-sensei evaluate` on small records written here (no shared data needed): the record's
// length, --end and --episodes as bxb and epic treat them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import evaluate from '../../src/cli/commands/evaluate';
import type { EvaluationJson } from '../../src/main/evaluation';
import { encodeAnnotations, type Annotation } from '../../src/main/wfdb';
import { NORMAL, RHYTHM } from '../../src/main/wfdb/codes';

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

async function run(args: string[]): Promise<{ text: string; json: EvaluationJson }> {
  const file = join(dir, 'out.json');
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    expect(await evaluate.run(['--test', 'tst', '--json', file, ...args])).toBe(0);
    return { text: log.mock.calls.map((c) => String(c[0])).join('\n'), json: JSON.parse(readFileSync(file, 'utf8')) };
  } finally {
    log.mockRestore();
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
