import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel, modelType, OnnxError, readInitializers, replaceInitializers, writeModelFile } from '../../src/main/onnx';
import { headProbs } from '../../src/main/finetune/head';
import { K, runTiny, tinyBeatModel, toyInputs } from './onnx-fixture';

const dir = mkdtempSync(join(tmpdir(), 'hbs-onnx-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('onnx schema', () => {
  it('has the field numbers the wire-level rewrite relies on', () => {
    const M = modelType();
    const G = M.root.lookupType('onnx.GraphProto');
    const T = M.root.lookupType('onnx.TensorProto');
    expect(M.fields.graph!.id).toBe(7);
    expect(G.fields.initializer!.id).toBe(5);
    expect([T.fields.dims!.id, T.fields.data_type!.id, T.fields.float_data!.id, T.fields.name!.id, T.fields.raw_data!.id, T.fields.data_location!.id]).toEqual([
      1, 2, 4, 8, 9, 14,
    ]);
  });
});

describe('initializers', () => {
  const m = tinyBeatModel(3);

  it('reads float_data and raw_data initializers with their dims', () => {
    const init = readInitializers(m.bytes, ['head.weight', 'head.bias']);
    expect(init.get('head.weight')!.dims).toEqual([K, m.D]);
    expect(Array.from(init.get('head.weight')!.values)).toEqual(Array.from(m.W));
    expect(init.get('head.bias')!.dims).toEqual([K]);
    expect(Array.from(init.get('head.bias')!.values)).toEqual(Array.from(m.b));
    expect(readInitializers(m.bytes).size).toBe(4);
  });

  it('replaces the head and leaves the graph and every other field unchanged', async () => {
    const W2 = m.W.map((v, i) => v * -0.7 + (i % 3) * 0.1);
    const b2 = Float32Array.from([0.3, -0.2, 1.1, 0, -0.5]);
    const out = replaceInitializers(
      m.bytes,
      new Map([
        ['head.weight', W2],
        ['head.bias', b2],
      ])
    );
    const back = readInitializers(out, ['head.weight', 'head.bias', 'enc.weight']);
    expect(Array.from(back.get('head.weight')!.values)).toEqual(Array.from(W2));
    expect(Array.from(back.get('head.bias')!.values)).toEqual(Array.from(b2));
    expect(Array.from(back.get('enc.weight')!.values)).toEqual(Array.from(readInitializers(m.bytes, ['enc.weight']).get('enc.weight')!.values));

    const a = decodeModel(new Uint8Array(m.bytes)) as { graph: Record<string, unknown> & { initializer: { name: string }[] } };
    const c = decodeModel(new Uint8Array(out)) as typeof a;
    const strip = (x: typeof a) => ({ ...x, graph: { ...x.graph, initializer: x.graph.initializer.filter((t) => !t.name.startsWith('head.')) } });
    expect(strip(c)).toEqual(strip(a));
    expect(c.graph.initializer.map((t) => t.name)).toEqual(a.graph.initializer.map((t) => t.name));

    // onnxruntime loads the rewritten file; its probs are the TS head on its embedding.
    const file = join(dir, 'rewritten.onnx');
    writeFileSync(file, out);
    const t = toyInputs(16, 5);
    writeFileSync(join(dir, 'orig.onnx'), m.bytes);
    const before = await runTiny(join(dir, 'orig.onnx'), t.win, t.rr, 16);
    const after = await runTiny(file, t.win, t.rr, 16);
    expect(Array.from(after.embedding)).toEqual(Array.from(before.embedding));
    const ts = headProbs({ K, D: m.D, W: W2, b: b2 }, after.embedding, 16);
    let maxDiff = 0;
    for (let i = 0; i < ts.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ts[i]! - after.probs[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(Array.from(after.probs)).not.toEqual(Array.from(before.probs));
  });

  it('refuses unknown names, wrong sizes, non-float tensors and non-models', () => {
    const bad = (f: () => unknown, code: string) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(OnnxError);
        expect((e as OnnxError).code).toBe(code);
        return;
      }
      throw new Error(`expected OnnxError ${code}`);
    };
    bad(() => replaceInitializers(m.bytes, new Map([['head.nope', new Float32Array(5)]])), 'MISSING');
    bad(() => replaceInitializers(m.bytes, new Map([['head.bias', new Float32Array(4)]])), 'SHAPE');
    bad(() => replaceInitializers(m.bytes, new Map([['head.bias', Float32Array.from([0, 0, NaN, 0, 0])]])), 'SHAPE');
    const withInt = decodeModel(m.bytes) as { graph: { initializer: unknown[] } };
    withInt.graph.initializer.push({ name: 'steps', dims: [2], data_type: 7, int64_data: [1, 2] });
    const bytes = encodeModel(withInt as Record<string, unknown>);
    bad(() => replaceInitializers(bytes, new Map([['steps', new Float32Array(2)]])), 'TYPE');
    bad(() => readInitializers(new Uint8Array([0x3a, 0x05, 1, 2]), ['x']), 'PARSE');
  });
});

describe('writeModelFile', () => {
  it('replaces the target in one step and leaves nothing behind when cancelled before the rename', async () => {
    const target = join(dir, 'atomic.bin');
    writeFileSync(target, 'old');
    await expect(
      writeModelFile(target, new Uint8Array([1, 2, 3]), () => {
        throw Object.assign(new Error('cancelled'), { code: 'CANCELLED' });
      })
    ).rejects.toThrow('cancelled');
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    await writeModelFile(target, new Uint8Array([1, 2, 3]));
    expect(Array.from(readFileSync(target))).toEqual([1, 2, 3]);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
  });
});
