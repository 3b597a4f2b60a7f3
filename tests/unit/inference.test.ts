import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pythonJsonToJson } from '../../src/main/inference/manifest';
import {
  loadCatalog,
  openModel,
  probeCuda,
  ortBinDir,
  runBeatModel,
  runRhythmModel,
  BeatModelRunner,
  DEFAULT_BEAT_BATCH,
  defaultModelsDir,
  ModelError,
  CUDA_PROVIDER_LIB,
  type LoadedModel,
} from '../../src/main/inference';
import { beatModelBytes, beatNetForward, sha256, weights, writeTinyModels, type TinyModels } from './inference-tiny-model';
import { existsSync } from 'node:fs';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, extractBeatWindows } from '../../src/main/beats';
import { isBeatCode } from '../../src/main/evaluation/labels';
import { synthesize } from '../../src/main/synth';
import { env } from 'onnxruntime-node';

// The forced-CUDA test makes ORT log the missing provider library as an error; that is the case under test.
env.logLevel = 'fatal';

let dir: string;
let tiny: TinyModels;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbs-inference-'));
  tiny = await writeTinyModels(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('model catalog', () => {
  it('reads both tasks from the manifest', async () => {
    const cat = await loadCatalog(dir);
    expect(cat.models.beat?.entry.id).toBe('beat-pvc');
    expect(cat.models.rhythm?.path).toBe(join(dir, 'rhythm.onnx'));
    expect(cat.problems).toEqual({});
  });

  it('reads a manifest with Python-style NaN/Infinity metrics, leaving strings alone', () => {
    expect(JSON.parse(pythonJsonToJson('{"a": NaN, "b": "NaN \\" -Infinity", "c": [-Infinity, Infinity, -1.5e3]}'))).toEqual({
      a: null,
      b: 'NaN " -Infinity',
      c: [null, null, -1500],
    });
  });

  it('names the missing manifest as the reason for both tasks', async () => {
    const cat = await loadCatalog(join(dir, 'nowhere'));
    expect(cat.models).toEqual({});
    expect(cat.problems.beat).toMatch(/manifest\.json.*ENOENT/);
    expect(cat.problems.rhythm).toMatch(/manifest\.json/);
  });
});

describe('execution providers', () => {
  it('reports why CUDA is unavailable on this machine', () => {
    const bin = ortBinDir();
    expect(bin).toBeDefined();
    const probe = probeCuda();
    if (existsSync(join(bin!, CUDA_PROVIDER_LIB))) return; // a CUDA build: nothing to assert here
    expect(probe.available).toBe(false);
    expect(probe.reason).toContain(CUDA_PROVIDER_LIB);
  });

  it('tells a GPU machine with the CPU-only build how to get the provider, and a machine without a GPU that it has none', () => {
    const empty = mkdtempSync(join(tmpdir(), 'hbs-ort-'));
    try {
      const onGpu = probeCuda(empty, () => true);
      expect(onGpu.available).toBe(false);
      if (process.platform === 'linux') expect(onGpu.reason).toMatch(/not installed .*NVIDIA GPU is visible.*fetch-optional-binaries/);
      const noGpu = probeCuda(empty, () => false);
      expect(noGpu.reason).not.toMatch(/GPU is visible/);
      writeFileSync(join(empty, CUDA_PROVIDER_LIB), '');
      if (process.platform === 'linux') {
        expect(probeCuda(empty, () => false)).toMatchObject({ available: false, reason: expect.stringMatching(/no NVIDIA GPU visible/) });
        expect(probeCuda(empty, () => true).available).toBe(true);
      }
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('asked for CUDA without it, runs on CPU and records why', async () => {
    const cat = await loadCatalog(dir);
    const m = await openModel(cat.models.beat!, { provider: 'cuda', threads: 1 });
    try {
      if (probeCuda().available) return;
      expect(m.provider).toBe('cpu');
      expect(m.note).toMatch(/CUDA not used: .*libonnxruntime_providers_cuda/);
    } finally {
      await m.session.release();
    }
  });

  it('falls back to CPU when the CUDA session itself fails', async () => {
    const cat = await loadCatalog(dir);
    // A probe claiming CUDA is there: session creation with ['cuda', 'cpu'] then fails (no provider library) or succeeds on a GPU machine.
    const m = await openModel(cat.models.beat!, { provider: 'cuda', threads: 1, probe: () => ({ available: true }) });
    try {
      if (m.provider === 'cpu') expect(m.note).toMatch(/CUDA session failed/);
    } finally {
      await m.session.release();
    }
  });

  it('forced CPU leaves no note', async () => {
    const cat = await loadCatalog(dir);
    const m = await openModel(cat.models.beat!, { provider: 'cpu', threads: 1 });
    expect(m.provider).toBe('cpu');
    expect(m.note).toBeUndefined();
    await m.session.release();
  });
});

describe('model verification', () => {
  it('rejects a corrupt file by its sha256', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hbs-corrupt-'));
    try {
      await writeTinyModels(d);
      const bytes = readFileSync(join(d, 'beat.onnx'));
      bytes[bytes.length >> 1] ^= 0xff;
      writeFileSync(join(d, 'beat.onnx'), bytes);
      const cat = await loadCatalog(d);
      const err = await openModel(cat.models.beat!, { provider: 'cpu' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as ModelError).code).toBe('HASH');
      expect((err as ModelError).message).toContain('beat.onnx');
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('rejects a model whose inputs differ from the manifest', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hbs-incompat-'));
    try {
      await writeTinyModels(d);
      const bytes = beatModelBytes(tiny.beat, { window: 'beat_window', rr: 'rr', probs: 'probs', embedding: 'embedding' });
      writeFileSync(join(d, 'beat.onnx'), bytes);
      const manifest = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { models: { sha256: string }[] };
      manifest.models[0]!.sha256 = sha256(bytes);
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest));
      const cat = await loadCatalog(d);
      const err = await openModel(cat.models.beat!, { provider: 'cpu' }).catch((e: unknown) => e);
      expect((err as ModelError).code).toBe('INCOMPATIBLE');
      expect((err as ModelError).message).toMatch(/declares input "window"/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('rejects a model with an input the manifest does not declare (it would fail on every run)', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hbs-undeclared-'));
    try {
      await writeTinyModels(d);
      const manifest = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { models: { inputs: { name: string }[] }[] };
      manifest.models[0]!.inputs = manifest.models[0]!.inputs.filter((i) => i.name !== 'rr');
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest));
      const cat = await loadCatalog(d);
      const err = await openModel(cat.models.beat!, { provider: 'cpu' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ModelError);
      expect((err as ModelError).code).toBe('INCOMPATIBLE');
      expect((err as ModelError).message).toMatch(/input "rr" the manifest does not declare/);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });

  it('rejects a manifest entry with a bad hash field, naming the entry', async () => {
    const d = mkdtempSync(join(tmpdir(), 'hbs-badentry-'));
    try {
      await writeTinyModels(d);
      const manifest = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { models: { sha256: string }[] };
      manifest.models[0]!.sha256 = 'nope';
      writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest));
      const cat = await loadCatalog(d);
      expect(cat.models.beat).toBeUndefined();
      expect(cat.problems.beat).toMatch(/"beat-pvc".*sha256/);
      expect(cat.models.rhythm).toBeDefined();
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('batched runs', () => {
  let beat: LoadedModel;
  let rhythm: LoadedModel;
  beforeAll(async () => {
    const cat = await loadCatalog(dir);
    beat = await openModel(cat.models.beat!, { provider: 'cpu', threads: 1 });
    rhythm = await openModel(cat.models.rhythm!, { provider: 'cpu', threads: 1 });
  });
  afterAll(async () => {
    await beat.session.release();
    await rhythm.session.release();
  });

  it('beat model outputs equal the same network computed in TypeScript, whatever the batch size', async () => {
    const n = 37;
    const windows = weights(n * 2 * 216, 11, 1);
    const rr = weights(n * 7, 12, 1);
    const ref = beatNetForward(tiny.beat, windows, rr, n);
    for (const batch of [1, 8, 64]) {
      const out = await runBeatModel(beat, { windows, rr }, n, [2, 216], 7, { batch });
      expect(out.embeddingDim).toBe(tiny.beat.dim);
      for (let i = 0; i < n * 5; i++) expect(out.probs[i]).toBeCloseTo(ref.probs[i]!, 5);
      for (let i = 0; i < n * tiny.beat.dim; i++) expect(out.embedding![i]).toBeCloseTo(ref.embedding[i]!, 4);
    }
  });

  it('the shipped beat model gives the same bits at the default batch as at 512 and 1024', async () => {
    // DEFAULT_BEAT_BATCH was chosen for speed on the promise that no output moves with it
    const syn = synthesize({ scenario: 'demo', minutes: 18, seed: 7, fs: 360 });
    const signals = syn.signals.slice(0, 2).map((x) => Float32Array.from(x, (v) => v / syn.gain));
    const sample = Int32Array.from(syn.annotations.filter((a) => isBeatCode(a.code)).map((a) => a.sample));
    const bw = extractBeatWindows(signals, syn.fs, sample);
    const n = sample.length;
    expect(n).toBeGreaterThan(1024 + 100); // full batches of every size compared, and a partial one
    const shipped = await openModel((await loadCatalog(defaultModelsDir())).models.beat!, { provider: 'cpu', threads: 1 });
    try {
      const at = (batch: number) => runBeatModel(shipped, bw, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch });
      const base = await at(DEFAULT_BEAT_BATCH);
      for (const batch of [512, 1024]) {
        const other = await at(batch);
        expect(Buffer.from(other.probs.buffer).equals(Buffer.from(base.probs.buffer))).toBe(true);
        expect(Buffer.from(other.embedding!.buffer).equals(Buffer.from(base.embedding!.buffer))).toBe(true);
      }
    } finally {
      await shipped.session.release();
    }
  });

  it('BeatModelRunner fed in parts runs the same batches and gives the same outputs as one call', async () => {
    const n = 37;
    const windows = weights(n * 2 * 216, 11, 1);
    const rr = weights(n * 7, 12, 1);
    const steps: number[] = [];
    const whole = await runBeatModel(beat, { windows, rr }, n, [2, 216], 7, { batch: 8, onProgress: (f) => steps.push(f) });
    const partSteps: number[] = [];
    const runner = new BeatModelRunner(beat, n, [2, 216], 7, { batch: 8, onProgress: (f) => partSteps.push(f) });
    let from = 0;
    for (const count of [5, 1, 13, 8, 10]) {
      await runner.add({ windows: windows.slice(from * 432, (from + count) * 432), rr: rr.slice(from * 7, (from + count) * 7) }, count);
      from += count;
    }
    const parts = runner.finish();
    expect(partSteps).toEqual(steps);
    expect(Buffer.from(parts.probs.buffer).equals(Buffer.from(whole.probs.buffer))).toBe(true);
    expect(Buffer.from(parts.embedding!.buffer).equals(Buffer.from(whole.embedding!.buffer))).toBe(true);
    await expect(runner.add({ windows: new Float32Array(432), rr: new Float32Array(7) }, 1)).rejects.toThrow(/38 beats given for 37/);
    expect(() => new BeatModelRunner(beat, 2, [2, 216], 7, { batch: 8 }).finish()).toThrow(/0 of 2 beats run/);
  });

  it('refuses windows of another shape than the manifest declares', async () => {
    const err = await runBeatModel(beat, { windows: new Float32Array(2 * 2 * 250), rr: new Float32Array(14) }, 2, [2, 250], 7, { batch: 4 }).catch(
      (e: unknown) => e
    );
    expect((err as ModelError).code).toBe('INCOMPATIBLE');
  });

  it('stops between batches when cancelled', async () => {
    const n = 100;
    let batches = 0;
    const cancel = { aborted: false };
    const err = await runBeatModel(beat, { windows: new Float32Array(n * 432), rr: new Float32Array(n * 7) }, n, [2, 216], 7, {
      batch: 10,
      cancel,
      onProgress: () => {
        batches++;
        if (batches === 3) cancel.aborted = true;
      },
    }).catch((e: unknown) => e);
    expect((err as Error).name).toBe('CancelledError');
    expect(batches).toBe(3);
  });

  it('rhythm model gives one probability row per window, rows summing to 1', async () => {
    const n = 5;
    const p = await runRhythmModel(rhythm, weights(n * 1250, 3, 2), n, 1250, { batch: 2 });
    expect(p.length).toBe(n * 4);
    for (let w = 0; w < n; w++) expect(p[w * 4]! + p[w * 4 + 1]! + p[w * 4 + 2]! + p[w * 4 + 3]!).toBeCloseTo(1, 5);
  });
});
