// The computation graph of an ONNX model, read through the onnx.proto schema: its nodes (for
// locating a layer by structure) and a copy of the model with more graph outputs (to read an
// intermediate tensor, e.g. the features a fine-tune adapts the embedding layer on). The copy is
// for in-memory sessions; files are only ever rewritten by replaceInitializers.
import { decodeModel, encodeModel, FLOAT, OnnxError } from './model';

export interface GraphNode {
  op: string;
  inputs: string[];
  outputs: string[];
  /** Integer and float attributes by name (others are not needed here). */
  attrs: Record<string, number>;
}

interface RawNode {
  op_type?: string;
  input?: string[];
  output?: string[];
  attribute?: { name?: string; i?: number; f?: number; type?: number }[];
}

function graphOf(model: Record<string, unknown>, file: string): Record<string, unknown> {
  const g = model.graph as Record<string, unknown> | undefined;
  if (!g) throw new OnnxError('PARSE', file, 'no graph (not an ONNX model)');
  return g;
}

/** The graph's nodes in file order. */
export function readGraphNodes(bytes: Uint8Array, file = '<buffer>'): GraphNode[] {
  const g = graphOf(decodeModel(bytes, file), file);
  return ((g.node as RawNode[] | undefined) ?? []).map((n) => {
    const attrs: Record<string, number> = {};
    for (const a of n.attribute ?? []) {
      if (!a.name) continue;
      if (a.type === 1 && typeof a.f === 'number')
        attrs[a.name] = a.f; // FLOAT
      else if (a.type === 2 && typeof a.i === 'number') attrs[a.name] = a.i; // INT
    }
    return { op: n.op_type ?? '', inputs: n.input ?? [], outputs: n.output ?? [], attrs };
  });
}

/** A copy of the model whose graph also outputs the named float32 tensors (each produced by a node). */
export function withGraphOutputs(bytes: Uint8Array, names: readonly string[], file = '<buffer>'): Uint8Array {
  const model = decodeModel(bytes, file);
  const g = graphOf(model, file);
  const produced = new Set(((g.node as RawNode[] | undefined) ?? []).flatMap((n) => n.output ?? []));
  const outputs = (g.output as { name?: string }[] | undefined) ?? [];
  for (const name of names) {
    if (!produced.has(name)) throw new OnnxError('MISSING', file, `no node outputs a tensor named "${name}"`);
    if (outputs.some((o) => o.name === name)) continue;
    outputs.push({ name, type: { tensor_type: { elem_type: FLOAT } } } as { name: string });
  }
  g.output = outputs;
  return encodeModel(model);
}
