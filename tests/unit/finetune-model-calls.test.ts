// `finetune --from` refuses an annotation file this app wrote (an analysis's .pvc, a review's WFDB
// export): its unreviewed beats carry the model's own calls (MODEL_CALLS_NOTE), not a reviewer's.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index';
import { analysisAnnotations } from '../../src/main/analysis/outputs';
import { FinetuneError, fromAnnotationFile } from '../../src/main/finetune';
import { encodeAnnotations } from '../../src/main/wfdb/annotations';
import type { Analysis } from '../../src/shared/analysis';

const root = mkdtempSync(join(tmpdir(), 'hbs-ft-calls-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const analysis = {
  fs: 360,
  beats: { sample: Int32Array.from([100, 400, 700, 1000, 1300]), label: Uint8Array.from([0, 0, 2, 0, 0]) },
  episodes: [],
} as unknown as Analysis;

describe('fromAnnotationFile and the model calls note', () => {
  const pvc = join(root, 'x.pvc');
  const plain = join(root, 'x.ann');
  const anns = analysisAnnotations(analysis);
  writeFileSync(pvc, encodeAnnotations(anns, 'x.pvc'));
  writeFileSync(plain, encodeAnnotations(anns.slice(1), 'x.ann'));

  it('refuses a file this app wrote, naming it and saying what to use instead', async () => {
    const e = await fromAnnotationFile(join(root, 'x'), pvc, 'x').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FinetuneError);
    expect((e as Error).message).toContain(pvc);
    expect((e as Error).message).toMatch(/model's own calls.*export the review as JSON.*\.atr/);
  });

  it('takes the same beats without the note as labels (another tool, a reference)', async () => {
    const r = await fromAnnotationFile(join(root, 'x'), plain, 'x');
    expect(Array.from(r.label)).toEqual([0, 0, 2, 0, 0]);
  });

  it('the CLI refuses it before any training, on one line (exit 2)', async () => {
    let err = '';
    const e = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (err += a.join(' ') + '\n'));
    try {
      const args = ['finetune', '--from', pvc, '--records', join(root, 'x'), '--out', join(root, 'reg'), '--models', join(root, 'models')];
      expect(await main(args)).toBe(2);
    } finally {
      e.mockRestore();
    }
    expect(err.trim().split('\n')).toHaveLength(1);
    expect(err).toContain(`heartbeat-sensei finetune: ${pvc}: written by heartbeat-sensei`);
  });
});
