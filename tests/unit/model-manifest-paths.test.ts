// A model manifest names files in its own folder only. The registry folder can be a copied or
// shared one (HEARTBEAT_REGISTRY_DIR, the CLI's --registry/--out): a manifest entry whose file, id
// or replay/reference set is a path must not make the app read, write or delete a file outside it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPlainName, loadCatalog } from '../../src/main/inference';
import { ModelRegistry } from '../../src/main/finetune/registry';
import { loadSet } from '../../src/main/finetune/parent';
import { npyHeader, type NpyArray, type NpyDescr } from '../../src/main/dataset/npy';

let root: string;
const shipped = {
  id: 'beat-pvc',
  task: 'beat',
  version: '1.0.0',
  file: 'beat-pvc.onnx',
  sha256: '0'.repeat(64),
  inputs: [{ name: 'window', shape: ['N', 2, 216] }],
  outputs: [{ name: 'probs', shape: ['N', 5] }],
};
const finetune = { parent: { id: 'beat-pvc', version: '1.0.0' } };

/** A models folder with `entry` as its beat model and a registry folder with `versions`; the folder above holds the user's file. */
async function setup(name: string, entry: object, versions: object[], active?: string): Promise<{ models: string; reg: string; victim: string }> {
  const dir = join(root, name);
  const models = join(dir, 'models');
  const reg = join(dir, 'registry');
  await mkdir(models, { recursive: true });
  await mkdir(reg, { recursive: true });
  await writeFile(join(models, 'manifest.json'), JSON.stringify({ models: [entry] }));
  await writeFile(join(reg, 'manifest.json'), JSON.stringify({ models: versions, ...(active ? { active: { beat: active } } : {}) }));
  const victim = join(dir, 'victim.txt');
  await writeFile(victim, "the user's own file");
  return { models, reg, victim };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'hb-manifest-paths-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('model manifest file names', () => {
  it('a plain name is one file in the folder; a path is not', () => {
    for (const ok of ['beat-pvc.onnx', 'beat-pvc-ft3', 'a..b.onnx', '.hidden.onnx']) expect(isPlainName(ok)).toBe(true);
    for (const bad of ['', '.', '..', '../victim.txt', '/etc/passwd', 'sub/x.onnx', '..\\x.onnx', 'C:x.onnx', '\\\\server\\share\\x', 'x\0.onnx'])
      expect(isPlainName(bad)).toBe(false);
  });

  it('models:delete of a version whose file is a path drops its entry and deletes nothing outside the registry', async () => {
    for (const [i, file] of ['../victim.txt', 'VICTIM'].entries()) {
      const { models, reg, victim } = await setup(`delete-${i}`, shipped, []);
      const named = file === 'VICTIM' ? victim : file; // relative, and absolute
      await writeFile(
        join(reg, 'manifest.json'),
        JSON.stringify({
          models: [
            { ...shipped, id: 'beat-pvc-ft1', file: named, finetune },
            { ...shipped, id: 'beat-pvc-ft2', file: 'beat-pvc-ft2.onnx', finetune },
          ],
        })
      );
      await writeFile(join(reg, 'beat-pvc-ft2.onnx'), 'model');
      const registry = new ModelRegistry(reg, models);
      await registry.delete('beat-pvc-ft1');
      expect(existsSync(victim)).toBe(true);
      expect(await readFile(victim, 'utf8')).toBe("the user's own file");
      expect((JSON.parse(await readFile(join(reg, 'manifest.json'), 'utf8')) as { models: { id: string }[] }).models.map((m) => m.id)).toEqual([
        'beat-pvc-ft2',
      ]);
      // a registry's own version file still goes with its entry
      await registry.delete('beat-pvc-ft2');
      expect(existsSync(join(reg, 'beat-pvc-ft2.onnx'))).toBe(false);
    }
  });

  it('an active registry version whose file is a path is not loaded: the shipped model answers, and the entry is named', async () => {
    const { models, reg } = await setup('active', shipped, [{ ...shipped, id: 'beat-pvc-ft1', file: '../victim.txt', finetune }], 'beat-pvc-ft1');
    const cat = await loadCatalog(models, reg);
    expect(cat.models.beat?.path).toBe(join(models, 'beat-pvc.onnx'));
    expect(cat.problems.beat).toMatch(/"beat-pvc-ft1".*file: a file name in the manifest's own folder/);
    expect((await new ModelRegistry(reg, models).list()).map((v) => v.id)).toEqual(['beat-pvc']);
  });

  it("a fine-tune's replay and reference sets are files in the manifest's own folder: a path is refused, naming the manifest and the field", async () => {
    const { models } = await setup('sets', shipped, []);
    const npy = (file: string, descr: NpyDescr, shape: number[], data: NpyArray) =>
      writeFile(file, Buffer.concat([npyHeader(descr, shape), new Uint8Array(data.buffer, data.byteOffset, data.byteLength)]));
    // valid sets inside the folder and outside it (what a path would have the fine-tune read)
    for (const dir of [models, join(models, '..')]) {
      await npy(join(dir, 'e.npy'), '<f4', [2, 3], new Float32Array(6));
      await npy(join(dir, 'l.npy'), '|u1', [2], new Uint8Array(2));
      await npy(join(dir, 'f.npy'), '<f4', [2, 4], new Float32Array(8));
    }
    const plain = { embeddings: 'e.npy', labels: 'l.npy', features: 'f.npy' };
    expect((await loadSet(models, plain, 3, 'replay'))?.n).toBe(2);
    for (const field of ['embeddings', 'labels', 'features'] as const) {
      const name = plain[field];
      for (const bad of [`../${name}`, join(models, '..', name)]) {
        const err = loadSet(models, { ...plain, [field]: bad }, 3, 'reference');
        await expect(err).rejects.toMatchObject({ code: 'NO_DATA' });
        await expect(err).rejects.toThrow(`${join(models, 'manifest.json')}: reference.${field} is ${JSON.stringify(bad)}`);
      }
    }
  });

  it('a shipped model whose id is a path gives no fine-tuned version file outside the registry', async () => {
    const { models, reg } = await setup('id', { ...shipped, id: '../../escaped' }, []);
    await expect(new ModelRegistry(reg, models).reserve()).rejects.toMatchObject({ code: 'NO_MODEL' });
    expect((await readdir(join(root, 'id'))).sort()).toEqual(['models', 'registry', 'victim.txt']);
    expect(await readdir(root)).not.toContain('escaped-ft1.onnx');
  });
});
