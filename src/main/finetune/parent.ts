// The parent of a fine-tune: the version it starts from (its file, head and embedding layer), the
// shipped root's replay and reference sets embedded by the parent, and its threshold.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AAMI_CLASSES } from '../../shared/analysis';
import { parseNpy } from '../dataset';
import { isPlainName, type ModelEntry, type ResolvedModel } from '../inference';
import { readInitializers, readModelFile } from '../onnx';
import { FinetuneError } from './data';
import { headNet, headProbs, type Head } from './head';
import { embeddingLayerOf, type EmbeddingLayer } from './layers';
import { netHidden, type Dense, type Net } from './net';
import { ModelRegistry } from './registry';
import type { FinetuneSettings } from './settings';

export interface EmbSet {
  /** n × D embeddings (of the shipped model). */
  x: Float32Array;
  y: Uint8Array;
  n: number;
  /** n × F features below the embedding layer, when the set has them. */
  f?: Float32Array;
}

export async function loadSet(modelsDir: string, spec: unknown, D: number, what: string): Promise<EmbSet | null> {
  const s = spec as { embeddings?: unknown; labels?: unknown; features?: unknown } | undefined;
  if (!s || typeof s.embeddings !== 'string' || typeof s.labels !== 'string') return null;
  // Files in the manifest's own folder only, as its model files (isPlainName): a copied or shared
  // models folder must not have a fine-tune read any file on the machine.
  const fileOf = (field: 'embeddings' | 'labels' | 'features', name: string): string => {
    if (!isPlainName(name))
      throw new FinetuneError(
        'NO_DATA',
        `${join(modelsDir, 'manifest.json')}: ${what}.${field} is ${JSON.stringify(name)}: it must be a file name in the manifest's own folder, not a path`
      );
    return resolve(modelsDir, name);
  };
  const ef = fileOf('embeddings', s.embeddings);
  const lf = fileOf('labels', s.labels);
  const e = parseNpy(new Uint8Array(await readFile(ef)), ef);
  const l = parseNpy(new Uint8Array(await readFile(lf)), lf);
  if (!(e.data instanceof Float32Array) || e.shape.length !== 2 || e.shape[1] !== D)
    throw new FinetuneError('NO_DATA', `${ef}: the ${what} embeddings are not float32 [n, ${D}]`);
  const n = e.shape[0]!;
  if (l.data.length !== n) throw new FinetuneError('NO_DATA', `${lf}: ${l.data.length} ${what} labels for ${n} embeddings`);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = Number(l.data[i]);
    if (!(v >= 0 && v < AAMI_CLASSES.length)) throw new FinetuneError('NO_DATA', `${lf}: label ${v} at row ${i} is not a class index`);
    y[i] = v;
  }
  if (typeof s.features !== 'string') return { x: e.data, y, n };
  const ff = fileOf('features', s.features);
  const f = parseNpy(new Uint8Array(await readFile(ff)), ff);
  if (!(f.data instanceof Float32Array) || f.shape.length !== 2 || f.shape[0] !== n)
    throw new FinetuneError('NO_DATA', `${ff}: the ${what} features are not float32 [${n}, F]`);
  return { x: e.data, y, n, f: f.data };
}

export function headNames(entry: ModelEntry): { weight: string; bias: string } {
  const h = (entry as { head?: { weight?: unknown; bias?: unknown } }).head;
  return { weight: typeof h?.weight === 'string' ? h.weight : 'head.weight', bias: typeof h?.bias === 'string' ? h.bias : 'head.bias' };
}

/** Reads the head of a beat model file: W [K, D], b [K]. */
export function readHead(bytes: Uint8Array, entry: ModelEntry, file: string): Head {
  const names = headNames(entry);
  const init = readInitializers(bytes, [names.weight, names.bias], file);
  const W = init.get(names.weight)!;
  const b = init.get(names.bias)!;
  const K = AAMI_CLASSES.length;
  if (W.dims.length !== 2 || W.dims[0] !== K || b.dims.length !== 1 || b.dims[0] !== K)
    throw new FinetuneError(
      'NO_HEAD',
      `${file}: ${names.weight} is [${W.dims.join(', ')}] and ${names.bias} [${b.dims.join(', ')}], expected [${K}, D] and [${K}]`
    );
  return { K, D: W.dims[1]!, W: W.values, b: b.values };
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Largest |ORT probs − softmax(embedding·Wᵀ + b)|: the head initializers must define the model's output. */
export function headParity(h: Head, x: Float32Array, probs: Float32Array, n: number): number {
  return maxAbsDiff(headProbs(h, x, n), probs);
}

export interface Parent {
  reg: ModelRegistry;
  /** The shipped model the registry descends from (its replay and reference sets). */
  root: ResolvedModel;
  model: ResolvedModel;
  bytes: Uint8Array;
  head: Head;
  /** The embedding layer below the head, when the graph has one and the replay and reference sets carry its input. */
  layer: (EmbeddingLayer & { dense: Dense }) | null;
  /** The parent's adaptable layers: [embedding layer, head] or [head]. */
  net: Net;
  /** The replay and reference sets, their embeddings the parent's (a fine-tuned parent's embedding layer may differ from the shipped one). */
  replay: EmbSet | null;
  reference: EmbSet | null;
  threshold: number;
}

/** Stage 1: the parent version (settings' or the active one) and what fine-tuning it needs. */
export async function loadParent(s: FinetuneSettings): Promise<Parent> {
  const reg = new ModelRegistry(s.registryDir, s.modelsDir);
  const root = await reg.shipped();
  const model = s.parent ? await reg.resolve(s.parent) : await reg.active();
  const bytes = await readModelFile(model.path);
  const head = readHead(bytes, model.entry, model.path);
  const replay = await loadSet(s.modelsDir, (root.entry as { replay?: unknown }).replay, head.D, 'replay');
  const reference = await loadSet(s.modelsDir, (root.entry as { reference?: unknown }).reference, head.D, 'reference');
  // The embedding layer below the head, when the graph has one and the replay and reference sets
  // carry its input (their features do not change with fine-tuning: only these two layers do).
  const embName = (model.entry as { head?: { embedding?: unknown } }).head?.embedding;
  const layer = replay?.f && reference?.f ? embeddingLayerOf(bytes, typeof embName === 'string' ? embName : 'embedding', model.path) : null;
  const net: Net = layer ? { layers: [layer.dense, headNet(head).layers[0]!] } : headNet(head);
  const embedOf = (set: EmbSet | null) => (set && layer ? { ...set, x: netHidden(net, set.f!, set.n) } : set);
  return { reg, root, model, bytes, head, layer, net, replay: embedOf(replay), reference: embedOf(reference), threshold: model.entry.defaultThreshold ?? 0.5 };
}
