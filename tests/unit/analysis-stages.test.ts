// The analysis pipeline's stages on their own (src/main/analysis/pipeline.ts runs them in order).
import { describe, expect, it } from 'vitest';
import { AAMI_CLASSES, V_INDEX } from '../../src/shared/analysis';
import { Laps } from '../../src/main/analysis/laps';
import { pickLeads } from '../../src/main/analysis/leads';
import { analysisCacheKey, type AnalysisPlan } from '../../src/main/analysis/plan';
import { ventricularByArgmax } from '../../src/main/analysis/score-beats';
import { ruleParams } from '../../src/main/rules';

describe('analysis stages', () => {
  it('ventricularByArgmax marks the beats whose most likely class is V (ties: the first class)', () => {
    const K = AAMI_CLASSES.length;
    const probs = new Float32Array(3 * K);
    probs[0 * K + V_INDEX] = 0.9; // V
    probs[1 * K + 0] = 0.5; // N
    probs[1 * K + V_INDEX] = 0.4;
    probs[2 * K + 0] = 0.5; // a tie keeps the first class (N, before V)
    probs[2 * K + V_INDEX] = 0.5;
    expect([...ventricularByArgmax(probs, 3)]).toEqual([1, 0, 0]);
  });

  it('pickLeads: the first two by default, the ones asked for, a clear error for the rest', () => {
    const all = ['a', 'b', 'c'];
    expect(pickLeads(all, undefined, 'r')).toEqual(['a', 'b']);
    expect(pickLeads(all, [2], 'r')).toEqual(['c']);
    expect(pickLeads(all, [2, 0], 'r')).toEqual(['c', 'a']);
    expect(() => pickLeads(all, [3], 'rec/1')).toThrow(/rec\/1: no signal 3 \(the record has 3\)/);
    expect(() => pickLeads(all, [0, 1, 2], 'r')).toThrow(/one or two signal numbers/);
  });

  it('Laps adds each lap to its name', () => {
    const laps = new Laps();
    laps.lap('a');
    laps.lap('b');
    laps.lap('a');
    expect(Object.keys(laps.ms)).toEqual(['a', 'b']);
    expect(laps.ms.a! + laps.ms.b!).toBeLessThanOrEqual(laps.sinceStart());
  });

  it('the cache key changes with the record, the beat source, the rules and the leads', () => {
    const plan = { source: 'reference', beat: { task: 'beat', reason: 'x' }, rhythm: { task: 'rhythm', reason: 'y' } } as unknown as AnalysisPlan;
    const p = ruleParams();
    const key = analysisCacheKey(plan, 'h1', {}, p);
    expect(analysisCacheKey(plan, 'h1', {}, p)).toBe(key);
    expect(analysisCacheKey(plan, 'h2', {}, p)).not.toBe(key);
    expect(analysisCacheKey({ ...plan, source: 'detector' }, 'h1', {}, p)).not.toBe(key);
    expect(analysisCacheKey(plan, 'h1', {}, ruleParams({ ...p, vtMinBeats: p.vtMinBeats + 1 }))).not.toBe(key);
    expect(analysisCacheKey(plan, 'h1', { leads: [0] }, p)).not.toBe(key);
  });
});
