// The probabilities a reviewer sees are not the model's alone: the analysis applies the manifest's
// morphology consensus over the whole record (src/main/beats/consensus.ts), which a fine-tuned
// version inherits. A job compares the reviewer's labels with what was shown, and chooses and
// reports the new version's threshold on what the new version will show: its net over the
// reviewed beats' consensus blocks, then the consensus. The beats are the review's (deleted and
// artifact beats left out, added ones in), so after such edits the neighbours and blocks are close
// to the analysis's, not the same. The reference set (loose beats of many records, no record
// around them) stays on the net's own probabilities: the 'refit' rule and the reference figures.
import { AAMI_CLASSES, V_INDEX } from '../../shared/analysis';
import { BEAT_GROUP, BEAT_LEADS, BEAT_WINDOW, N_RR, groupTemplates, modelInputFor, singleLeadInputOf, singleLeadPolarityOf, type BeatWindows } from '../beats';
import { applyConsensus, consensusBlocks, consensusRuleOf, featureLength, morphologyFeatures, type ConsensusRule } from '../beats/consensus';
import { BeatModelRunner, type BeatOutputs, type CancelToken, type LoadedModel } from '../inference';
import { netProbs, type Net } from './net';

/**
 * The consensus blocks of one record that hold labelled beats (a block's consensus reads only its
 * own beats, so these are all a labelled beat's score depends on), beats in record order.
 */
export interface ConsensusContext {
  rule: ConsensusRule;
  /** Beat count of each block kept, in order; they sum to n. */
  blocks: number[];
  n: number;
  /** n × D embeddings (the head's input). */
  x: Float32Array;
  /** n × F values below the embedding layer, when the job asked for them. */
  f?: Float32Array;
  /** n × featureLength(rule) morphology features. */
  morph: Float32Array;
  valid: Uint8Array;
  /** Index into these n beats of each labelled row of the record, in row order. */
  at: Int32Array;
}

export interface ShownRows {
  /** rows × K: the model, then its consensus over the record. */
  shown: Float32Array;
  context: ConsensusContext;
}

/**
 * The labelled rows' probabilities as the analysis computes them (the model over every beat of the
 * record, then the consensus), and what re-scoring them with a fine-tuned net needs; null for a
 * model without a consensus.
 */
export async function shownOfRows(
  model: LoadedModel,
  bw: BeatWindows,
  n: number,
  rows: readonly number[],
  o: { cancel?: CancelToken; batch?: number; features?: string }
): Promise<ShownRows | null> {
  const rule = consensusRuleOf(model.entry);
  if (!rule) return null;
  const { out, morph } = await recordOutputs(model, bw, n, o);
  const { probs } = out;
  const K = AAMI_CLASSES.length;
  const shown = new Float32Array(rows.length * K);
  rows.forEach((i, j) => shown.set(probs.subarray(i * K, (i + 1) * K), j * K));
  return { shown, context: contextOf(rule, out, morph!, bw.valid, n, rows) };
}

/**
 * Every beat's outputs as the analysis has them: the model (with the single-lead input on a one-lead
 * record), then its manifest's consensus on probs; morph: the consensus's features (null without one).
 */
export async function recordOutputs(
  model: LoadedModel,
  bw: BeatWindows,
  n: number,
  o: { cancel?: CancelToken; batch?: number; features?: string } = {}
): Promise<{ out: BeatOutputs; morph: Float32Array | null }> {
  const mode = singleLeadInputOf(model.entry);
  const polarity = singleLeadPolarityOf(model.entry);
  const runner = new BeatModelRunner(model, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, {
    batch: o.batch ?? 512,
    cancel: o.cancel,
    ...(o.features ? { extraOutput: o.features } : {}),
  });
  // a group of beats at a time (the batches are the same): a Holter's windows are never copied
  // whole when some of its beats need another lead input
  const ROW = BEAT_LEADS * BEAT_WINDOW;
  const t = bw.templates;
  const group = Math.max(1, Math.floor(BEAT_GROUP / t.block)) * t.block;
  for (let from = 0; from < n; from += group) {
    const count = Math.min(group, n - from);
    // from is a multiple of the template block: these rows are the group's own blocks
    const part = {
      windows: bw.windows.subarray(from * ROW, (from + count) * ROW),
      rr: bw.rr.subarray(from * N_RR, (from + count) * N_RR),
      templates: groupTemplates(t, from, count),
    };
    await runner.add(modelInputFor(part, count, bw.flags.subarray(from, from + count), bw.singleLead, mode, polarity), count);
  }
  const out = runner.finish();
  const rule = consensusRuleOf(model.entry);
  if (!rule) return { out, morph: null };
  const morph = morphologyFeatures(bw.windows, n, rule);
  applyConsensus(out.probs, AAMI_CLASSES.length, V_INDEX, morph, bw.valid, rule);
  return { out, morph };
}

/** The blocks of the record that hold a labelled row, cut out of the whole record's arrays. */
function contextOf(
  rule: ConsensusRule,
  out: { embedding?: Float32Array; embeddingDim: number; extra?: Float32Array; extraDim?: number },
  morph: Float32Array,
  valid: Uint8Array,
  n: number,
  rows: readonly number[]
): ConsensusContext {
  const kept = consensusBlocks(n, rule.block).filter(([b0, b1]) => rows.some((i) => i >= b0 && i < b1));
  const total = kept.reduce((a, [b0, b1]) => a + b1 - b0, 0);
  const D = out.embeddingDim;
  const F = out.extraDim ?? 0;
  const d = featureLength(rule);
  const ctx: ConsensusContext = {
    rule,
    blocks: kept.map(([b0, b1]) => b1 - b0),
    n: total,
    x: new Float32Array(total * D),
    ...(out.extra ? { f: new Float32Array(total * F) } : {}),
    morph: new Float32Array(total * d),
    valid: new Uint8Array(total),
    at: new Int32Array(rows.length),
  };
  let o = 0;
  for (const [b0, b1] of kept) {
    if (out.embedding) ctx.x.set(out.embedding.subarray(b0 * D, b1 * D), o * D);
    if (out.extra) ctx.f!.set(out.extra.subarray(b0 * F, b1 * F), o * F);
    ctx.morph.set(morph.subarray(b0 * d, b1 * d), o * d);
    ctx.valid.set(valid.subarray(b0, b1), o);
    rows.forEach((i, j) => {
      if (i >= b0 && i < b1) ctx.at[j] = o + i - b0;
    });
    o += b1 - b0;
  }
  return ctx;
}

/**
 * The labelled rows' probabilities as a version with `net` as its adapted layers will show them:
 * for rows of a record with a consensus context, the net over the context's blocks then the
 * consensus; elsewhere the net over the row alone. `rowsInput` is the net's input of the labelled
 * rows; `contextInput` picks the net's input out of a context (embeddings, or the values below the
 * embedding layer).
 */
export function shownByNet(
  net: Net,
  rowsInput: Float32Array,
  n: number,
  contexts: readonly (ConsensusContext | null)[],
  rowRecord: Uint16Array,
  contextInput: (c: ConsensusContext) => Float32Array
): Float32Array {
  const K = AAMI_CLASSES.length;
  const probs = netProbs(net, rowsInput, n);
  contexts.forEach((c, r) => {
    if (!c) return;
    const p = new Float32Array(c.n * K);
    const x = contextInput(c);
    const width = x.length / Math.max(1, c.n);
    let o = 0;
    for (const size of c.blocks) {
      // a kept block is one block of the record's consensus: scored on its own, as the analysis does
      const pb = netProbs(net, x.subarray(o * width, (o + size) * width), size);
      applyConsensus(pb, K, V_INDEX, c.morph.subarray(o * featureLength(c.rule), (o + size) * featureLength(c.rule)), c.valid.subarray(o, o + size), c.rule);
      p.set(pb, o * K);
      o += size;
    }
    let j = 0;
    for (let i = 0; i < n; i++) if (rowRecord[i] === r) probs.set(p.subarray(c.at[j]! * K, (c.at[j++]! + 1) * K), i * K);
  });
  return probs;
}
