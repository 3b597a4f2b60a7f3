// shownByNet on hand-made records: rows of a record without a consensus context keep the net's own
// probabilities; rows of a record with one get the net over the kept blocks, then the consensus,
// exactly as over the whole record.
import { describe, expect, it } from 'vitest';
import { applyConsensus, type ConsensusRule } from '../../src/main/beats/consensus';
import { netProbs, type Net } from '../../src/main/finetune/net';
import { shownByNet, type ConsensusContext } from '../../src/main/finetune/shown';
import { AAMI_CLASSES, V_INDEX } from '../../src/shared/analysis';

const K = AAMI_CLASSES.length;
// logit V = 4·x0 − 2, the other classes 0: P(V) moves with x0
const net: Net = { layers: [{ in: 1, out: K, W: Float32Array.from([0, 0, 4, 0, 0]), b: Float32Array.from([0, 0, -2, 0, 0]) }] };
// k 1, weight 1: an unsure beat takes its nearest beat's P(V); blocks of 4 beats; a 1-value feature (from 0, step 1) per lead
const rule: ConsensusRule = { k: 1, weight: 1, band: 0.01, block: 4, feature: { from: 0, to: 1, step: 1 } };

describe('shownByNet', () => {
  it('maps each labelled row to its record and its place in the kept blocks', () => {
    // record 1: 8 beats, blocks [0,4) and [4,8); its labelled rows are beats 5 and 6 (block 2 only kept)
    const x = Float32Array.from([0.1, 0.9, 0.2, 0.8, 0.3, 0.6, 0.62, 0.95]);
    const morph = new Float32Array(8 * 2);
    // shapes: beat 5 looks like beat 7, beat 6 like beat 4
    [0, 10, 20, 30, 1, 5, 2, 5.1].forEach((v, i) => morph.set([v, 0], i * 2));
    const valid = new Uint8Array(8).fill(1);
    const whole = netProbs(net, x, 8);
    applyConsensus(whole, K, V_INDEX, morph, valid, rule);
    const ctx: ConsensusContext = { rule, blocks: [4], n: 4, x: x.slice(4), morph: morph.slice(8), valid: valid.slice(4), at: Int32Array.from([1, 2]) };
    // rows: record 0 (no context) beats with x 0.4 and 0.7, then record 1's beats 5 and 6
    const rowsInput = Float32Array.from([0.4, 0.7, x[5]!, x[6]!]);
    const out = shownByNet(net, rowsInput, 4, [null, ctx], Uint16Array.from([0, 0, 1, 1]), (c) => c.x);
    const own = netProbs(net, rowsInput, 4);
    const pv = (p: Float32Array, i: number) => p[i * K + V_INDEX]!;
    expect(pv(out, 0)).toBeCloseTo(pv(own, 0), 6);
    expect(pv(out, 1)).toBeCloseTo(pv(own, 1), 6);
    expect(pv(out, 2)).toBeCloseTo(pv(whole, 5), 6);
    expect(pv(out, 3)).toBeCloseTo(pv(whole, 6), 6);
    // and the consensus did move them (beat 5 towards beat 7, beat 6 towards beat 4)
    expect(pv(out, 2)).toBeGreaterThan(pv(own, 2) + 0.1);
    expect(pv(out, 3)).toBeLessThan(pv(own, 3) - 0.1);
  });
});
