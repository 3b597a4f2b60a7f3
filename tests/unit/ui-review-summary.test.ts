// The summary of the review: final labels (relabels, deletions, additions) and episode decisions,
// S ectopy beside V, and how much of each figure a reviewer decided.
import { describe, expect, it } from 'vitest';
import type { BeatEdit, ReviewBeats } from '../../src/renderer/src/lib/beats';
import { decidedEpisode, evenBeats, reviewBeatsAt } from '../helpers/review-beats';
import {
  classRuns,
  ectopyTitle,
  everyNth,
  longestRrName,
  hrScopeNote,
  perHourText,
  provenanceText,
  reviewSummary,
  unionSec,
  type SummaryEpisode,
} from '../../src/renderer/src/lib/review-summary';

const FS = 100;
/** Beats 0.8 s apart; per beat P(V) and the most probable other class. */
function beatsOf(calls: string): ReviewBeats {
  const n = calls.length;
  const probs = new Float32Array(n * 5);
  [...calls].forEach((c, i) => {
    if (c === 'V') probs[i * 5 + 2] = 0.9;
    else probs[i * 5 + (c === 'S' ? 1 : 0)] = 0.95;
  });
  return reviewBeatsAt(evenBeats(n, 50, 80), probs);
}
const edit = (sample: number, label: BeatEdit['label'], status: BeatEdit['status']): BeatEdit => ({
  sample,
  label,
  status,
  who: 't',
  when: '2026-01-01T00:00:00Z',
});
const opts = { fs: FS, durationSec: 3600 };

describe('review summary', () => {
  it('follows relabels, deletions and additions; the model figure stays beside it', () => {
    const b = beatsOf('NVNVNVNNNN');
    let s = reviewSummary(b, 0.5, [], opts);
    expect(s.v).toMatchObject({ count: 3, model: 3, bigeminy: 1, provenance: { reviewed: 0, of: 3 } });
    expect(provenanceText(s.v.provenance)).toBe('model');

    b.setEdit(130, edit(130, 'N', 'relabelled')); // beat 1
    s = reviewSummary(b, 0.5, [], opts);
    expect(s.v).toMatchObject({ count: 2, model: 3, bigeminy: 0, provenance: { reviewed: 1, of: 3 } });
    expect(provenanceText(s.v.provenance)).toBe('1 of 3 reviewed');

    b.setEdit(290, edit(290, 'X', 'deleted')); // beat 3
    b.setEdit(450, edit(450, 'N', 'relabelled')); // beat 5
    b.setEdit(700, edit(700, 'V', 'added'));
    b.rebuild();
    s = reviewSummary(b, 0.5, [], opts);
    expect(s.beats).toBe(10); // 10 − 1 deleted + 1 added
    expect(s.modelBeats).toBe(10);
    expect([s.deletedBeats, s.addedBeats, s.reviewedBeats]).toEqual([1, 1, 4]);
    expect(s.v.count).toBe(1);
    expect(s.v.burden).toBeCloseTo(0.1);
    expect(s.v.perHour).toBe(1);
    expect(provenanceText(s.v.provenance)).toBe('reviewed'); // 3 model V + the added one, all decided
    // the deleted beat leaves a 1.6-s gap
    expect(s.longestPauseSec).toBeCloseTo(1.6);
  });

  it('a relabel of the whole group changes the count, not just the flag', () => {
    const b = beatsOf('VVVVNNNN');
    for (let i = 0; i < 4; i++) b.setEdit(50 + i * 80, edit(50 + i * 80, 'N', 'relabelled'));
    const s = reviewSummary(b, 0.5, [], opts);
    expect(s.v.count).toBe(0);
    expect(s.v.runs).toBe(0);
    expect(s.v.model).toBe(4);
  });

  it('unreviewed beats follow the threshold', () => {
    const b = beatsOf('NVNN');
    expect(reviewSummary(b, 0.5, [], opts).v.count).toBe(1);
    expect(reviewSummary(b, 0.95, [], opts).v.count).toBe(0);
  });

  it('rejected AF episodes leave the burden; resized ones count at their new bounds', () => {
    const b = beatsOf('NNNN');
    const af = (status: SummaryEpisode['status'], on = 0, off = 36_000): SummaryEpisode => ({
      type: 'AF',
      onsetSample: on,
      offsetSample: off,
      status,
      base: { onsetSample: 0, offsetSample: 36_000 },
    });
    expect(reviewSummary(b, 0.5, [af('unreviewed')], opts).af).toMatchObject({ burden: 0.1, modelBurden: 0.1, provenance: { reviewed: 0, of: 1 } });
    const rejected = reviewSummary(b, 0.5, [af('rejected')], opts);
    expect(rejected.af).toMatchObject({ burden: 0, modelBurden: 0.1, kept: 0, rejected: 1, provenance: { reviewed: 1, of: 1 } });
    expect(rejected.episodesDecided).toBe(1);
    expect(reviewSummary(b, 0.5, [af('resized', 0, 18_000)], opts).af.burden).toBeCloseTo(0.05);
    const added: SummaryEpisode = { type: 'AF', onsetSample: 100_000, offsetSample: 118_000, status: 'added', base: null };
    expect(reviewSummary(b, 0.5, [af('confirmed'), added], opts).af).toMatchObject({ burden: 0.15, modelBurden: 0.1 });
  });

  it('a VT run inside a rejected VT episode is not VT', () => {
    // 5 V beats 0.4 s apart: 150 bpm
    const n = 12;
    const probs = new Float32Array(n * 5);
    const sample = new Int32Array(n);
    for (let i = 0, t = 0; i < n; i++) {
      const v = i >= 4 && i < 9;
      probs[i * 5 + (v ? 2 : 0)] = 0.9;
      t += v ? 40 : 80;
      sample[i] = t;
    }
    const b = reviewBeatsAt(sample, probs);
    const vt = decidedEpisode('VT', sample[4]!, sample[8]!, 'unreviewed');
    expect(reviewSummary(b, 0.5, [vt], opts).v).toMatchObject({ runs: 1, longestRunBeats: 5 });
    const s = reviewSummary(b, 0.5, [{ ...vt, status: 'rejected' }], opts);
    expect(s.v).toMatchObject({ runs: 0, longestRunBeats: 0, count: 5 });
    expect(s.vt).toMatchObject({ kept: 0, rejected: 1 });
  });

  it('a rejected pause is not the longest pause', () => {
    const b = beatsOf('NNNNN');
    b.setEdit(130, edit(130, 'X', 'deleted'));
    const gap = decidedEpisode('PAUSE', 50, 210, 'rejected');
    expect(reviewSummary(b, 0.5, [], opts).longestPauseSec).toBeCloseTo(1.6);
    expect(reviewSummary(b, 0.5, [gap], opts).longestPauseSec).toBeCloseTo(0.8);
  });

  it('counts supraventricular ectopy: SVEs, couplets, SVT runs, trigeminy', () => {
    const s = reviewSummary(beatsOf('NSNNSSNNSSSSNNNSNNSNNSNN'), 0.5, [], opts);
    expect(s.s.count).toBe(10);
    expect(s.s.couplets).toBe(1);
    // 4 S beats 0.8 s apart are 75 bpm: a run, not SVT
    expect(s.s.longestAnyRunBeats).toBe(4);
    expect(s.s.runs).toBe(0);
    expect(s.s.trigeminy).toBe(1);
    expect(s.s.model).toBe(10);
  });

  it('helpers: runs, every-nth stretches, unions', () => {
    const codes = Uint8Array.from([0, 2, 2, 0, 2, 0, 0, 2, 0, 0, 2, 0, 0, 2]);
    expect(classRuns(codes, 2)).toEqual([
      [1, 2],
      [4, 4],
      [7, 7],
      [10, 10],
      [13, 13],
    ]);
    expect(everyNth(codes, 2, 3)).toBe(1);
    expect(everyNth(codes, 2, 2)).toBe(0);
    expect(everyNth(Uint8Array.from([2, 0, 2, 0, 2, 0, 2]), 2, 2)).toBe(1);
    expect(
      unionSec(
        [
          [0, 100],
          [50, 150],
          [300, 400],
        ],
        100
      )
    ).toBe(2.5);
    expect(unionSec([], 100)).toBe(0);
  });
});

describe('the longest RR interval', () => {
  it('is a pause in the panel only when over the limit, as the report calls it', async () => {
    // the panel said "longest 1.3 s" beside "0 > 2.0 s", its link "Go to the longest pause", where the
    // report on the same record (mitdb 105, cinc2017 A00004) says "Longest RR interval 1.34 s"
    const { longestRrTitle } = await import('../../src/main/report/model');
    expect(longestRrName(1.34, 2)).toBe('longest RR interval');
    expect(longestRrName(2.5, 2)).toBe('longest pause');
    expect(longestRrName(2, 2)).toBe('longest RR interval');
    for (const [sec, lim] of [
      [1.34, 2],
      [2.5, 2],
      [2, 2],
    ] as const)
      expect(longestRrName(sec, lim)).toBe(longestRrTitle(sec, lim).toLowerCase().replace('rr', 'RR'));
  });
});

describe('the ectopy rate', () => {
  it('says it is per readable hour where part of the record is unreadable', () => {
    // mitdb 105: 46 PVCs, 30:06 with 2:34 unreadable; the panel showed "100/h", 92 an hour of recording
    expect(perHourText(100.3, 154)).toBe('100/readable h');
    expect(perHourText(342, 0)).toBe('342/h');
    expect(ectopyTitle('PVCs', 154, 1806)).toMatch(/00:02:34 unreadable.*per hour of readable signal \(00:27:32\)/);
    expect(ectopyTitle('PVCs', 0, 600)).not.toMatch(/unreadable/);
    // too little readable signal for a rate (vfdb 605: 30 s of 35 min): none, and why
    expect(perHourText(NaN, 2070)).toBe('—/h (under 5 min readable)');
    expect(ectopyTitle('PVCs', 2070, 2100)).toMatch(/no rate per hour from under 5 min of readable signal/);
    expect(ectopyTitle('PVCs', 154, 1806)).not.toMatch(/no rate/);
    // what the heart rate leaves out, beside it: unreadable time, and VF (mitdb 207: flutter with no noise note before)
    const scope = (sec: number, vf: number) => hrScopeNote({ unreadable: { sec, share: 0 }, vt: { vf } as never });
    expect([scope(0, 0), scope(10, 0), scope(0, 2), scope(10, 1)]).toEqual([
      null,
      '(readable signal only)',
      '(outside VF only)',
      '(readable signal outside VF only)',
    ]);
  });
});
