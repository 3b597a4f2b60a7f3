// `finetune --activate` and `--activate-id` activate a version the verdict does not recommend only with --force.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index';
import { ModelRegistry } from '../../src/main/finetune';
import { writeSynthRecord } from '../../src/main/synth';
import { writeModelsDir } from './onnx-fixture';
import { quiet } from '../helpers/cli-output';

// every version "not recommended": the rule itself is tested in finetune-verdict.test.ts
vi.mock('../../src/shared/finetune-verdict', async (orig) => ({
  ...(await orig<typeof import('../../src/shared/finetune-verdict')>()),
  finetuneVerdict: () => ({ level: 'refuse', reasons: ['reference set V recall 99.0 % → 90.0 %'] }),
}));

const root = mkdtempSync(join(tmpdir(), 'hbs-cli-ft-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('finetune --activate', () => {
  const modelsDir = join(root, 'models');
  const rec = join(root, 'rec', 'pvc1');
  beforeAll(async () => {
    mkdirSync(modelsDir, { recursive: true });
    await writeModelsDir(modelsDir);
    await writeSynthRecord(rec, { scenario: 'pvc', minutes: 2, seed: 4 });
  }, 30_000);

  it('keeps a version that is not recommended inactive (exit 1) unless --force', async () => {
    const run = (args: string[]) => quiet(() => main(args));
    const out_ = join(root, 'reg');
    const args = ['finetune', '--from', `${rec}.atr`, '--records', rec, '--out', out_, '--models', modelsDir, '--activate'];
    const reg = new ModelRegistry(out_, modelsDir);
    const active = async () => (await reg.list()).find((v) => v.active)!.id;
    const first = await run(args);
    expect(first.value).toBe(1);
    expect(first.err).toMatch(/not activated: it is not recommended \(reference set V recall 99\.0 % → 90\.0 %\); activate it anyway with --activate --force/);
    expect(first.out).toMatch(/\(inactive: activate with --activate-id beat-pvc-ft1\)/);
    expect(await active()).toBe('beat-pvc');
    expect((await run([...args, '--force'])).value).toBe(0);
    expect(await active()).toBe('beat-pvc-ft2');
    // --activate-id judges the version it names the same way
    const byId = ['finetune', '--out', out_, '--models', modelsDir, '--activate-id', 'beat-pvc-ft1'];
    const refused = await run(byId);
    expect(refused.value).toBe(1);
    expect(refused.err).toMatch(
      /beat-pvc-ft1 not activated: it is not recommended \(reference set V recall 99\.0 % → 90\.0 %\); activate it anyway with --activate-id beat-pvc-ft1 --force/
    );
    expect(await active()).toBe('beat-pvc-ft2');
    expect((await run([...byId, '--force'])).value).toBe(0);
    expect(await active()).toBe('beat-pvc-ft1');
    // the shipped model has no verdict: activated as before
    expect((await run(['finetune', '--out', out_, '--models', modelsDir, '--activate-id', 'beat-pvc'])).value).toBe(0);
    expect(await active()).toBe('beat-pvc');
    // --force alone activates nothing: a usage error
    expect((await run(['finetune', '--out', out_, '--models', modelsDir, '--list', '--force'])).value).toBe(2);
  }, 60_000);
});
