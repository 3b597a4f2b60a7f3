// A beat the reviewer labels X (not a beat: an artefact the detector took for one) leaves the RR
// series of the tachogram and the Poincaré plot, as a deleted one does and as the summary and the
// HR trend count it: the interval runs from the beat before it to the beat after it.
import { describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { reviewSummary } from '../../src/renderer/src/lib/review-summary';
import { dataPath, needData } from '../helpers/data';
import { reviewOfAnalysis } from '../helpers/review-beats';

describe.runIf(needData('cinc2017'))('RR series of a beat relabelled X (cinc2017 A00003)', () => {
  it('leaves the series, in the model and after an undo comes back', async () => {
    const a = await analyzeRecord(dataPath('cinc2017', 'A00003'), { cacheDir: null, threads: 1 });
    const { model, state, beats: b } = reviewOfAnalysis(a, 'A00003', []);
    // the detector's mark 210 ms after beat 54, 783 ms before beat 56: an artefact
    const ms = (i: number, j: number) => ((b.sample[j]! - b.sample[i]!) * 1000) / a.fs;
    expect(ms(54, 55)).toBeLessThan(250);
    const before = model.rr()!;
    expect(Array.from(before.index)).toContain(55);

    state.current = b.sample[55]!;
    await model.relabel('X');
    expect(b.label(55, state.threshold)).toBe('X');
    const after = model.rr()!;
    expect(after).not.toBe(before);
    expect(Array.from(after.index)).not.toContain(55);
    const k = Array.from(after.index).indexOf(56);
    expect(after.index[k - 1]).toBe(54);
    expect(after.rr[k]).toBeCloseTo(ms(54, 56), 3);
    // as the summary counts it: one beat fewer, no interval shorter than 250 ms left at 54–56
    expect(reviewSummary(b, state.threshold, [], { fs: a.fs, durationSec: a.durationSec }).beats).toBe(after.index.length);

    await model.undo();
    expect(Array.from(model.rr()!.index)).toContain(55);
  }, 60_000);
});
