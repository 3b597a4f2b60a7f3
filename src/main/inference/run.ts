// Batched inference of the beat and rhythm models on the arrays src/main/beats and
// src/main/rhythm produce. Batches are views (no copies); cancellation is checked per batch.
import { Tensor } from 'onnxruntime-node';
import { throwIfCancelled, type CancelToken } from './cancel';
import { ModelError } from './errors';
import type { LoadedModel } from './session';
import type { TensorSpec } from './manifest';
import { gatherTemplates, type BeatTemplates } from '../beats/template';

export interface BatchOptions {
  batch: number;
  /** Beat model: one more output to return per beat (opened with SessionSettings.extraOutputs). */
  extraOutput?: string;
  cancel?: CancelToken;
  /** Called after each batch with the fraction done. */
  onProgress?: (fraction: number) => void;
}

/** Beats per batch: chosen by measurement (bench/analysis.bench.ts, "batch size" table). */
export const DEFAULT_BEAT_BATCH = 1024;
export const DEFAULT_RHYTHM_BATCH = 64;

function fixedDims(spec: TensorSpec): number[] {
  return spec.shape.slice(1).map((d) => (typeof d === 'number' ? d : NaN));
}

function findSpec(file: string, list: TensorSpec[], name: string, rank: number): TensorSpec {
  const s = list.find((x) => x.name === name) ?? list.find((x) => x.shape.length === rank);
  if (!s) throw new ModelError('INCOMPATIBLE', file, `no ${name} tensor of rank ${rank} declared`);
  return s;
}

/** Checks that a model's per-row input sizes equal what the preprocessing makes. */
export function requireRowShape(m: LoadedModel, name: string, rank: number, expect: number[]): TensorSpec {
  const spec = findSpec(m.entry.file, m.entry.inputs, name, rank);
  const dims = fixedDims(spec);
  if (dims.length !== expect.length || dims.some((d, i) => Number.isFinite(d) && d !== expect[i])) {
    throw new ModelError(
      'INCOMPATIBLE',
      m.entry.file,
      `input "${spec.name}" is [N, ${spec.shape.slice(1).join(', ')}], the preprocessing makes [N, ${expect.join(', ')}]`
    );
  }
  return spec;
}

export interface BeatOutputs {
  probs: Float32Array;
  embedding?: Float32Array;
  embeddingDim: number;
  /** BatchOptions.extraOutput per beat, n × extraDim. */
  extra?: Float32Array;
  extraDim?: number;
}

/** What src/main/beats makes for the beat model (BeatWindows satisfies it). */
export interface BeatModelInput {
  /** n × leads × len */
  windows: Float32Array;
  /** n × nRr */
  rr: Float32Array;
  /** The record's template beats; needed by models with a "template" input. */
  templates?: BeatTemplates;
}

/**
 * Runs the beat model over n beats. Output probs n × classes; embedding n × D when the model has
 * an "embedding" output. A model declaring a "template" input gets each beat's template row.
 */
export async function runBeatModel(
  m: LoadedModel,
  x: BeatModelInput,
  n: number,
  rowShape: [number, number],
  nRr: number,
  o: BatchOptions
): Promise<BeatOutputs> {
  const wSpec = requireRowShape(m, 'window', 3, rowShape);
  const rSpec = requireRowShape(m, 'rr', 2, [nRr]);
  const tSpec = m.entry.inputs.find((i) => i.name === 'template');
  if (tSpec) {
    requireRowShape(m, 'template', 3, rowShape);
    if (!x.templates) throw new ModelError('INCOMPATIBLE', m.entry.file, 'the model needs template beats and none were given');
  }
  const K = m.entry.classes.length || 5;
  const probsName = m.entry.outputs.find((x) => x.name === 'probs')?.name ?? m.entry.outputs[0]!.name;
  const embName = m.entry.outputs.find((x) => x.name === 'embedding')?.name;
  const row = rowShape[0] * rowShape[1];
  const probs = new Float32Array(n * K);
  const tplBuf = tSpec ? new Float32Array(Math.min(o.batch, n) * row) : undefined;
  let embedding: Float32Array | undefined;
  let D = 0;
  let extra: Float32Array | undefined;
  let E = 0;
  const names = [probsName, ...(embName ? [embName] : []), ...(o.extraOutput ? [o.extraOutput] : [])];
  for (let from = 0; from < n; from += o.batch) {
    throwIfCancelled(o.cancel);
    const b = Math.min(o.batch, n - from);
    const feeds: Record<string, Tensor> = {
      [wSpec.name]: new Tensor('float32', x.windows.subarray(from * row, (from + b) * row), [b, rowShape[0], rowShape[1]]),
      [rSpec.name]: new Tensor('float32', x.rr.subarray(from * nRr, (from + b) * nRr), [b, nRr]),
    };
    if (tSpec && tplBuf)
      feeds[tSpec.name] = new Tensor('float32', gatherTemplates(x.templates!, from, b, tplBuf.subarray(0, b * row)), [b, rowShape[0], rowShape[1]]);
    const out = await m.session.run(feeds, names);
    const p = out[probsName]!.data as Float32Array;
    if (p.length !== b * K) throw new ModelError('RUN', m.entry.file, `output "${probsName}" has ${p.length / b} values per beat, expected ${K}`);
    probs.set(p, from * K);
    if (embName) {
      const e = out[embName]!.data as Float32Array;
      if (!embedding) {
        D = e.length / b;
        embedding = new Float32Array(n * D);
      }
      embedding.set(e, from * D);
    }
    if (o.extraOutput) {
      const e = out[o.extraOutput]!.data as Float32Array;
      if (!extra) {
        E = e.length / b;
        extra = new Float32Array(n * E);
      }
      extra.set(e, from * E);
    }
    for (const t of Object.values(out)) t.dispose();
    o.onProgress?.((from + b) / n);
  }
  return { probs, ...(embedding ? { embedding, embeddingDim: D } : { embeddingDim: 0 }), ...(extra ? { extra, extraDim: E } : {}) };
}

/** Runs the rhythm model over n windows of `len` samples (x: n × len). Output n × classes. */
export async function runRhythmModel(m: LoadedModel, x: Float32Array, n: number, len: number, o: BatchOptions): Promise<Float32Array> {
  const spec = requireRowShape(m, 'ecg', 3, [1, len]);
  const K = m.entry.classes.length || 4;
  const probsName = m.entry.outputs.find((x) => x.name === 'probs')?.name ?? m.entry.outputs[0]!.name;
  const probs = new Float32Array(n * K);
  for (let from = 0; from < n; from += o.batch) {
    throwIfCancelled(o.cancel);
    const b = Math.min(o.batch, n - from);
    const out = await m.session.run({ [spec.name]: new Tensor('float32', x.subarray(from * len, (from + b) * len), [b, 1, len]) }, [probsName]);
    const p = out[probsName]!.data as Float32Array;
    if (p.length !== b * K) throw new ModelError('RUN', m.entry.file, `output "${probsName}" has ${p.length / b} values per window, expected ${K}`);
    probs.set(p, from * K);
    for (const t of Object.values(out)) t.dispose();
    o.onProgress?.((from + b) / n);
  }
  return probs;
}
