// Stale temporary files (a kill between write and rename) and unregistered model files are swept at
// startup, fresh ones left for a job still running elsewhere; fine-tune version numbers never skip
// for a stray file and are never reused after a delete (issue 14 item 9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startupSweep, sweepRegistry, sweepTemps } from '../../src/main/app/sweep';
import { ModelRegistry } from '../../src/main/finetune/registry';
import { writeTinyModels } from './inference-tiny-model';

let dir: string;
let modelsDir: string;
const HOUR_AGO = (Date.now() - 3_600_000) / 1000;

async function old(file: string, body = 'x'): Promise<void> {
  await writeFile(file, body);
  await utimes(file, HOUR_AGO, HOUR_AGO);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-sweep-'));
  modelsDir = join(dir, 'shipped');
  await mkdir(modelsDir);
  await writeTinyModels(modelsDir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const entry = (n: number) => ({ id: `beat-pvc-ft${n}`, task: 'beat', version: `0.0.1-ft.${n}`, file: `beat-pvc-ft${n}.onnx`, sha256: '0'.repeat(64) });

describe('startup sweep', () => {
  it('removes stale *.tmp in the cache, exports and registry, and unregistered .onnx; keeps fresh temps and everything registered', async () => {
    const data = join(dir, 'data');
    const cache = join(data, 'analysis-cache');
    const reg = join(data, 'models');
    await mkdir(cache, { recursive: true });
    await mkdir(join(data, 'exports'));
    await mkdir(reg);
    await old(join(cache, '.abc.hbsa.123.k3j4h5g6.tmp'));
    await old(join(cache, 'abc.hbsa'));
    await writeFile(join(cache, '.fresh.hbsa.9.aaaaaaaa.tmp'), 'x'); // a job running now
    await old(join(data, 'exports', '.100.rev.1.bbbbbbbb.tmp'));
    await old(join(reg, 'manifest.json'), JSON.stringify({ models: [entry(1)] }));
    await old(join(reg, 'beat-pvc-ft1.onnx'));
    await old(join(reg, 'beat-pvc-ft2.onnx')); // killed before registering
    await old(join(reg, '.beat-pvc-ft3.onnx.5.cccccccc.tmp'));
    // the user's own files in these folders (which can be of their choosing) stay
    await old(join(reg, 'my-own-model.onnx'));
    await old(join(data, 'exports', 'notes.tmp'));
    const prev = process.env.HEARTBEAT_CACHE_DIR;
    const prevReg = process.env.HEARTBEAT_REGISTRY_DIR;
    delete process.env.HEARTBEAT_CACHE_DIR;
    delete process.env.HEARTBEAT_REGISTRY_DIR;
    try {
      const removed = await startupSweep(data);
      expect(removed.map((f) => f.slice(data.length + 1)).sort()).toEqual([
        'analysis-cache/.abc.hbsa.123.k3j4h5g6.tmp',
        'exports/.100.rev.1.bbbbbbbb.tmp',
        'models/.beat-pvc-ft3.onnx.5.cccccccc.tmp',
        'models/beat-pvc-ft2.onnx',
      ]);
    } finally {
      if (prev !== undefined) process.env.HEARTBEAT_CACHE_DIR = prev;
      if (prevReg !== undefined) process.env.HEARTBEAT_REGISTRY_DIR = prevReg;
    }
    expect((await readdir(cache)).sort()).toEqual(['.fresh.hbsa.9.aaaaaaaa.tmp', 'abc.hbsa']);
    expect((await readdir(reg)).sort()).toEqual(['beat-pvc-ft1.onnx', 'manifest.json', 'my-own-model.onnx']);
    expect(await readdir(join(data, 'exports'))).toEqual(['notes.tmp']);
  });

  it('leaves the registry alone when its manifest cannot be read, or when it has none', async () => {
    const reg = join(dir, 'broken');
    await mkdir(reg);
    await old(join(reg, 'manifest.json'), '{not json');
    await old(join(reg, 'beat-pvc-ft1.onnx'));
    expect(await sweepRegistry(new ModelRegistry(reg, modelsDir))).toEqual([]);
    const none = join(dir, 'no-manifest');
    await mkdir(none);
    await old(join(none, 'beat-pvc-ft1.onnx'));
    expect(await sweepRegistry(new ModelRegistry(none, modelsDir))).toEqual([]);
    expect(await sweepTemps(join(dir, 'missing'))).toEqual([]);
  });
});

describe('fine-tune version numbers', () => {
  it('an unregistered .onnx does not make the next version skip a number; a deleted number is not reused', async () => {
    const regDir = join(dir, 'reg2');
    await mkdir(regDir);
    const reg = new ModelRegistry(regDir, modelsDir);
    expect((await reg.nextVersion()).id).toBe('beat-pvc-ft1');
    await writeFile(join(regDir, 'beat-pvc-ft1.onnx'), 'x');
    await reg.add({ ...entry(1), finetune: {} } as never);
    expect((await reg.read()).lastFinetune).toBe(1);
    await writeFile(join(regDir, 'beat-pvc-ft2.onnx'), 'stray'); // a job killed before registering
    expect(await reg.nextVersion()).toMatchObject({ id: 'beat-pvc-ft2', version: '0.0.1-ft.2', n: 2 });
    await reg.delete('beat-pvc-ft1');
    expect((await reg.read()).models).toEqual([]);
    expect((await reg.nextVersion()).id).toBe('beat-pvc-ft2');
    // a job's reservation: a fresh file is another job's (passed over), an old one a stray (taken)
    expect((await reg.reserve()).id).toBe('beat-pvc-ft3');
    await old(join(regDir, 'beat-pvc-ft2.onnx'), 'stray');
    const taken = await reg.reserve();
    expect(taken.id).toBe('beat-pvc-ft2');
    expect(await readFile(taken.path, 'utf8')).toBe('');
    // the shipped models' folder is never a registry (its manifest.json has the same shape)
    const shippedAsRegistry = new ModelRegistry(modelsDir, modelsDir);
    await expect(shippedAsRegistry.reserve()).rejects.toThrow(/is the shipped models' folder/);
    await expect(shippedAsRegistry.activate('beat-pvc')).rejects.toThrow(/is the shipped models' folder/);
  });
});
