// Which layers of a beat model a fine-tune can adapt, found by the graph's structure: the head
// (Gemm on the "embedding" output, initializers named in the manifest) and the embedding layer
// below it (embedding = Relu(Gemm(features, W₁, b₁)), transB = 1, alpha = beta = 1, the way
// PyTorch exports Linear + ReLU), whose input tensor is the "features" the job reads.
import { readGraphNodes, readInitializers, type GraphNode } from '../onnx';
import type { Dense } from './net';

export interface EmbeddingLayer {
  /** The tensor the layer takes (an intermediate of the graph). */
  features: string;
  weight: string;
  bias: string;
}

/** The embedding layer feeding `embedding`, or null when the graph is not Relu(Gemm(x, W, b)) there. */
export function findEmbeddingLayer(nodes: readonly GraphNode[], embedding: string, initializers: ReadonlySet<string>): EmbeddingLayer | null {
  const producer = (t: string) => nodes.find((n) => n.outputs.includes(t));
  const relu = producer(embedding);
  if (!relu || relu.op !== 'Relu' || relu.inputs.length !== 1) return null;
  const gemm = producer(relu.inputs[0]!);
  if (!gemm || gemm.op !== 'Gemm' || gemm.inputs.length !== 3) return null;
  const a = gemm.attrs;
  if ((a.transA ?? 0) !== 0 || (a.transB ?? 0) !== 1 || (a.alpha ?? 1) !== 1 || (a.beta ?? 1) !== 1) return null;
  const [features, weight, bias] = gemm.inputs as [string, string, string];
  if (!initializers.has(weight) || !initializers.has(bias) || initializers.has(features)) return null;
  return { features, weight, bias };
}

/**
 * The embedding layer of a model file: names, input tensor and its weights as a dense layer, or
 * null when the graph has none (or its initializers are not [out, in] and [out]).
 */
export function embeddingLayerOf(bytes: Uint8Array, embedding: string, file: string): (EmbeddingLayer & { dense: Dense }) | null {
  const inits = readInitializers(bytes, undefined, file);
  const layer = findEmbeddingLayer(readGraphNodes(bytes, file), embedding, new Set(inits.keys()));
  if (!layer) return null;
  const W = inits.get(layer.weight)!;
  const b = inits.get(layer.bias)!;
  if (W.dims.length !== 2 || b.dims.length !== 1 || b.dims[0] !== W.dims[0]) return null;
  return { ...layer, dense: { W: W.values, b: b.values, out: W.dims[0]!, in: W.dims[1]! } };
}
