// Batched inference of the beat and rhythm models on the arrays src/main/beats and
// src/main/rhythm produce. Batches are views (no copies); cancellation is checked per batch.
import type { Tensor } from 'onnxruntime-node';
import { ort } from './ort';
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

/**
 * Beats per batch, by measurement on CPU (bench/analysis.bench.ts, "batch size" table;
 * docs/experiments/2026-12-06-beat-batches.md): 256 is about the fastest once warm, and a fresh
 * session's first pass, what one record costs, pays for its memory (page faults grow with the
 * batch): 0.07 s for mitdb 100 against 0.11 s at 1024. On CPU, 512 and 1024 give the same bits as
 * 256 on every reference beat of mitdb, svdb and cudb (scripts/beat-batch-identity.ts).
 */
export const DEFAULT_BEAT_BATCH = 256;
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
  const runner = new BeatModelRunner(m, n, rowShape, nRr, o);
  await runner.add(x, n);
  return runner.finish();
}

/**
 * The beat model over n beats given in consecutive parts (`add`), e.g. the groups of a beat-window
 * stream, so the windows of a whole record never need to be in memory at once. Batches are the
 * same as runBeatModel's over the whole arrays (beats [k·batch, (k+1)·batch)): a part's beats that
 * do not fill a batch are copied and wait for the next part.
 */
export class BeatModelRunner {
  private readonly wSpec: TensorSpec;
  private readonly rSpec: TensorSpec;
  private readonly tSpec: TensorSpec | undefined;
  private readonly K: number;
  private readonly probsName: string;
  private readonly embName: string | undefined;
  private readonly names: string[];
  private readonly row: number;
  private readonly probs: Float32Array;
  private embedding: Float32Array | undefined;
  private D = 0;
  private extra: Float32Array | undefined;
  private E = 0;
  /** Beats added so far; beats run so far (a multiple of the batch until the end). */
  private added = 0;
  private done = 0;
  /** Rows of beats [done, added) when they do not fill a batch yet. */
  private readonly wait: { windows: Float32Array; rr: Float32Array; templates: Float32Array | undefined };

  constructor(
    private readonly m: LoadedModel,
    private readonly n: number,
    private readonly rowShape: [number, number],
    private readonly nRr: number,
    private readonly o: BatchOptions
  ) {
    this.wSpec = requireRowShape(m, 'window', 3, rowShape);
    this.rSpec = requireRowShape(m, 'rr', 2, [nRr]);
    this.tSpec = m.entry.inputs.find((i) => i.name === 'template');
    if (this.tSpec) requireRowShape(m, 'template', 3, rowShape);
    this.K = m.entry.classes.length || 5;
    this.probsName = m.entry.outputs.find((x) => x.name === 'probs')?.name ?? m.entry.outputs[0]!.name;
    this.embName = m.entry.outputs.find((x) => x.name === 'embedding')?.name;
    this.names = [this.probsName, ...(this.embName ? [this.embName] : []), ...(o.extraOutput ? [o.extraOutput] : [])];
    this.row = rowShape[0] * rowShape[1];
    this.probs = new Float32Array(n * this.K);
    const b = Math.min(o.batch, n);
    this.wait = {
      windows: new Float32Array(b * this.row),
      rr: new Float32Array(b * nRr),
      templates: this.tSpec ? new Float32Array(b * this.row) : undefined,
    };
  }

  /** The next `count` beats: x's arrays hold their rows from row 0 (templates: x's beat 0 is the first of these). */
  async add(x: BeatModelInput, count: number): Promise<void> {
    if (this.tSpec && !x.templates) throw new ModelError('INCOMPATIBLE', this.m.entry.file, 'the model needs template beats and none were given');
    if (this.added + count > this.n) throw new RangeError(`beat model: ${this.added + count} beats given for ${this.n}`);
    const { row, nRr, wait } = this;
    const batch = this.o.batch;
    let j = 0; // beats of this part used
    const waiting = this.added - this.done;
    if (waiting > 0 || (count < batch && this.added + count < this.n)) {
      // top up the waiting batch
      const k = Math.min(count, batch - waiting);
      wait.windows.set(x.windows.subarray(0, k * row), waiting * row);
      wait.rr.set(x.rr.subarray(0, k * nRr), waiting * nRr);
      if (wait.templates) gatherTemplates(x.templates!, 0, k, wait.templates.subarray(waiting * row, (waiting + k) * row));
      j = k;
      this.added += k;
      const b = this.added - this.done;
      if (b < batch && this.added < this.n) return;
      await this.runBatch(wait.windows.subarray(0, b * row), wait.rr.subarray(0, b * nRr), wait.templates?.subarray(0, b * row), b);
    }
    // whole batches straight from x, then whatever is left waits
    for (; j < count;) {
      const b = Math.min(batch, count - j);
      if (b < batch && this.added + b < this.n) {
        wait.windows.set(x.windows.subarray(j * row, (j + b) * row));
        wait.rr.set(x.rr.subarray(j * nRr, (j + b) * nRr));
        if (wait.templates) gatherTemplates(x.templates!, j, b, wait.templates.subarray(0, b * row));
        this.added += b;
        return;
      }
      this.added += b;
      const tpl = wait.templates ? gatherTemplates(x.templates!, j, b, wait.templates.subarray(0, b * row)) : undefined;
      await this.runBatch(x.windows.subarray(j * row, (j + b) * row), x.rr.subarray(j * nRr, (j + b) * nRr), tpl, b);
      j += b;
    }
  }

  private async runBatch(windows: Float32Array, rr: Float32Array, templates: Float32Array | undefined, b: number): Promise<void> {
    throwIfCancelled(this.o.cancel);
    const { m, K, rowShape, nRr, probsName, embName, n } = this;
    const from = this.done;
    const feeds: Record<string, Tensor> = {
      [this.wSpec.name]: new ort.Tensor('float32', windows, [b, rowShape[0], rowShape[1]]),
      [this.rSpec.name]: new ort.Tensor('float32', rr, [b, nRr]),
    };
    if (this.tSpec && templates) feeds[this.tSpec.name] = new ort.Tensor('float32', templates, [b, rowShape[0], rowShape[1]]);
    const out = await m.session.run(feeds, this.names);
    const p = out[probsName]!.data as Float32Array;
    if (p.length !== b * K) throw new ModelError('RUN', m.entry.file, `output "${probsName}" has ${p.length / b} values per beat, expected ${K}`);
    this.probs.set(p, from * K);
    if (embName) {
      const e = out[embName]!.data as Float32Array;
      if (!this.embedding) {
        this.D = e.length / b;
        this.embedding = new Float32Array(n * this.D);
      }
      this.embedding.set(e, from * this.D);
    }
    if (this.o.extraOutput) {
      const e = out[this.o.extraOutput]!.data as Float32Array;
      if (!this.extra) {
        this.E = e.length / b;
        this.extra = new Float32Array(n * this.E);
      }
      this.extra.set(e, from * this.E);
    }
    for (const t of Object.values(out)) t.dispose();
    this.done += b;
    this.o.onProgress?.(this.done / n);
  }

  /** The outputs of all n beats (every beat must have been added). */
  finish(): BeatOutputs {
    if (this.done !== this.n) throw new RangeError(`beat model: ${this.done} of ${this.n} beats run`);
    const { probs, embedding, D, extra, E } = this;
    return { probs, ...(embedding ? { embedding, embeddingDim: D } : { embeddingDim: 0 }), ...(extra ? { extra, extraDim: E } : {}) };
  }
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
    const out = await m.session.run({ [spec.name]: new ort.Tensor('float32', x.subarray(from * len, (from + b) * len), [b, 1, len]) }, [probsName]);
    const p = out[probsName]!.data as Float32Array;
    if (p.length !== b * K) throw new ModelError('RUN', m.entry.file, `output "${probsName}" has ${p.length / b} values per window, expected ${K}`);
    probs.set(p, from * K);
    for (const t of Object.values(out)) t.dispose();
    o.onProgress?.((from + b) / n);
  }
  return probs;
}
