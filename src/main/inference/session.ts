// One verified ONNX Runtime session: file hash and declared inputs/outputs checked before use,
// CUDA tried first when wanted and possible, CPU otherwise, with the reason recorded.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { InferenceSession } from 'onnxruntime-node';
import { ort } from './ort';
import { ModelError } from './errors';
import type { ModelEntry, ResolvedModel, TensorSpec } from './manifest';
import { probeCuda, type CudaProbe, type ProviderPreference } from './providers';

export interface LoadedModel {
  entry: ModelEntry;
  session: InferenceSession;
  provider: 'cuda' | 'cpu';
  /** Why CUDA was not used when it was wanted (absent otherwise). */
  note?: string;
}

export interface SessionSettings {
  provider: ProviderPreference;
  /** Intra-op threads; default DEFAULT_INTRA_OP_THREADS. */
  threads?: number;
  /** Injected for tests; defaults to the real probe. */
  probe?: () => CudaProbe;
  /**
   * Intermediate tensors to output as well (the session runs an in-memory copy of the verified
   * file with these graph outputs added; fine-tuning reads the features before the embedding layer).
   */
  extraOutputs?: readonly string[];
}

/**
 * One intra-op thread by default: the beat model is a small CNN whose operators are too short to
 * split well; on this 2-core machine 1 thread ran 36–38k beats/s against 17k (2 threads, spinning)
 * and 23–25k (2 threads, no spinning), mitdb 100, batch 1024; at the batch of 256 since, 41.6k
 * against 28.5k (bench/analysis.bench.ts, batch table). More threads (settings.threads,
 * HEARTBEAT_ORT_THREADS) can pay on many idle cores; spinning is always off so waiting threads do
 * not take CPU from the rest of the analysis.
 */
export const DEFAULT_INTRA_OP_THREADS = 1;

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

function options(providers: string[], threads: number): InferenceSession.SessionOptions {
  return {
    executionProviders: providers,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    enableCpuMemArena: true,
    // no memory pattern: it plans its block on a shape's second run, which then costs as much as
    // the first (fresh memory); the arena alone reuses the first run's memory. Outputs unchanged.
    enableMemPattern: false,
    logSeverityLevel: 3,
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

function dimsMatch(declared: TensorSpec['shape'], actual: ReadonlyArray<number | string>): boolean {
  if (actual.length === 0) return true; // ORT reports no shape: nothing to compare
  if (declared.length !== actual.length) return false;
  return declared.every((d, i) => typeof d !== 'number' || typeof actual[i] !== 'number' || d === actual[i] || (actual[i] as number) <= 0);
}

/**
 * Declared inputs/outputs present in the session, with compatible ranks and fixed sizes, and no
 * model input the manifest leaves out: the runs feed only the declared inputs, so such a model
 * would open and then fail on every batch.
 */
export function checkSignature(file: string, entry: ModelEntry, session: InferenceSession): void {
  const sides = [
    ['input', entry.inputs, session.inputNames, session.inputMetadata],
    ['output', entry.outputs, session.outputNames, session.outputMetadata],
  ] as const;
  for (const [side, declared, names, meta] of sides) {
    for (const spec of declared) {
      if (!names.includes(spec.name))
        throw new ModelError('INCOMPATIBLE', file, `declares ${side} "${spec.name}" but the model has ${side}s ${names.map((n) => `"${n}"`).join(', ')}`);
      const m = meta.find((x) => x.name === spec.name);
      if (m && m.isTensor && !dimsMatch(spec.shape, m.shape)) {
        throw new ModelError(
          'INCOMPATIBLE',
          file,
          `${side} "${spec.name}" has shape [${m.shape.join(', ')}], the manifest declares [${spec.shape.join(', ')}]`
        );
      }
    }
  }
  const undeclared = session.inputNames.filter((n) => !entry.inputs.some((s) => s.name === n));
  if (undeclared.length)
    throw new ModelError(
      'INCOMPATIBLE',
      file,
      `the model has input${undeclared.length > 1 ? 's' : ''} ${undeclared.map((n) => `"${n}"`).join(', ')} the manifest does not declare`
    );
}

/** Verifies and opens one model. Throws ModelError naming the file and the problem. */
export async function openModel(model: ResolvedModel, s: SessionSettings): Promise<LoadedModel> {
  const { entry, path } = model;
  if (!existsSync(path)) throw new ModelError('MISSING', path, 'model file not found');
  const digest = await sha256File(path);
  if (digest.toLowerCase() !== entry.sha256.toLowerCase())
    throw new ModelError('HASH', path, `sha256 ${digest.slice(0, 12)}… does not match the manifest's ${entry.sha256.slice(0, 12)}… (corrupt or replaced file)`);
  const envThreads = Number(process.env.HEARTBEAT_ORT_THREADS);
  const threads = Math.max(1, Math.min(availableParallelism(), s.threads ?? (envThreads > 0 ? envThreads : DEFAULT_INTRA_OP_THREADS)));
  let note: string | undefined;
  let session: InferenceSession | undefined;
  let source: string | Uint8Array = path;
  if (s.extraOutputs?.length) {
    try {
      // the ONNX graph editor (protobufjs) only for the fine-tune's extra outputs: not in every analysis's start-up
      const { withGraphOutputs } = await import('../onnx/graph');
      source = withGraphOutputs(await readFile(path), s.extraOutputs, path);
    } catch (e) {
      throw new ModelError('INCOMPATIBLE', path, (e as Error).message);
    }
  }
  // the branches name the two overloads of InferenceSession.create (path or bytes)
  const create = (o: InferenceSession.SessionOptions) =>
    typeof source === 'string' ? ort.InferenceSession.create(source, o) : ort.InferenceSession.create(source, o);
  let provider: 'cuda' | 'cpu' = 'cpu';
  if (s.provider !== 'cpu') {
    const probe = (s.probe ?? probeCuda)();
    if (probe.available) {
      try {
        session = await create(options(['cuda', 'cpu'], threads));
        provider = 'cuda';
      } catch (e) {
        note = `CUDA session failed (${(e as Error).message.split('\n')[0]}); using CPU`;
      }
    } else note = `CUDA not used: ${probe.reason}`;
  }
  if (!session) {
    try {
      session = await create(options(['cpu'], threads));
    } catch (e) {
      throw new ModelError('LOAD', path, `onnxruntime cannot load the model (${(e as Error).message.split('\n')[0]})`);
    }
  }
  try {
    checkSignature(path, entry, session);
  } catch (e) {
    await session.release();
    throw e;
  }
  return note ? { entry, session, provider, note } : { entry, session, provider };
}
