// The analysis pipeline's stages on their own (src/main/analysis/pipeline.ts runs them in order).
import { describe, expect, it } from 'vitest';
import { AAMI_CLASSES, V_INDEX } from '../../src/shared/analysis';
import { Laps } from '../../src/main/analysis/laps';
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

  it('Laps adds each lap to its name', () => {
    const laps = new Laps();
    laps.lap('a');
    laps.lap('b');
    laps.lap('a');
    expect(Object.keys(laps.ms)).toEqual(['a', 'b']);
    expect(laps.ms.a! + laps.ms.b!).toBeLessThanOrEqual(laps.sinceStart());
  });

  it('the cache key changes with the record, the beat source, the rules, the leads and their units', () => {
    const plan = {
      source: 'reference',
      beat: { task: 'beat', reason: 'x' },
      rhythm: { task: 'rhythm', reason: 'y' },
      leads: [0, 1],
      nSignals: 2,
      unitsPerMv: [1, 1],
    } as unknown as AnalysisPlan;
    const p = ruleParams();
    const key = analysisCacheKey(plan, 'h1', p);
    expect(analysisCacheKey(plan, 'h1', p)).toBe(key);
    expect(analysisCacheKey(plan, 'h2', p)).not.toBe(key);
    expect(analysisCacheKey({ ...plan, source: 'detector' }, 'h1', p)).not.toBe(key);
    expect(analysisCacheKey(plan, 'h1', ruleParams({ ...p, vtMinBeats: p.vtMinBeats + 1 }))).not.toBe(key);
    expect(analysisCacheKey({ ...plan, leads: [0] }, 'h1', p)).not.toBe(key);
    expect(analysisCacheKey({ ...plan, leads: [1, 0] }, 'h1', p)).not.toBe(key);
    // a record's only ECG signal beside another modality, and a 12-lead record's II and V1
    const oneEcg = analysisCacheKey({ ...plan, leads: [0], nSignals: 2 }, 'h1', p);
    expect(oneEcg).not.toBe(key);
    expect(analysisCacheKey({ ...plan, leads: [0], nSignals: 1 }, 'h1', p)).not.toBe(oneEcg);
    expect(analysisCacheKey({ ...plan, leads: [1, 6], nSignals: 12 }, 'h1', p)).not.toBe(key);
    // leads stored in µV are read in mV: keyed apart from the same record read as mV
    expect(analysisCacheKey({ ...plan, unitsPerMv: [1000, 1000] }, 'h1', p)).not.toBe(key);
  });

  it("the cache key changes with a beat model manifest's single-lead polarity (the model's input, not its file)", () => {
    const entry = { id: 'beat-pvc', version: '3.7.0', singleLeadInput: 'zeros' };
    const plan = (e: object) =>
      ({
        source: 'reference',
        beat: { task: 'beat', model: { entry: e }, sha256: 'abc' },
        rhythm: { task: 'rhythm', reason: 'y' },
        leads: [0],
        nSignals: 1,
        unitsPerMv: [1],
      }) as unknown as AnalysisPlan;
    const p = ruleParams();
    const key = analysisCacheKey(plan(entry), 'h1', p);
    expect(analysisCacheKey(plan({ ...entry, singleLeadPolarity: 'qrs-down' }), 'h1', p)).not.toBe(key);
    expect(analysisCacheKey(plan({ ...entry, singleLeadPolarity: 'qrs-up' }), 'h1', p)).not.toBe(
      analysisCacheKey(plan({ ...entry, singleLeadPolarity: 'qrs-down' }), 'h1', p)
    );
    // as recorded, written or not, is the input the key always meant: cached analyses stay valid
    expect(analysisCacheKey(plan({ ...entry, singleLeadPolarity: 'as-recorded' }), 'h1', p)).toBe(key);
  });
});
