// Ventricular fibrillation and flutter are VT episodes of rhythm 'VF' (src/main/rules/vt.ts): every
// place an episode is named (trace band, list, hover, summary, report) calls them VF, not VT.
import { describe, expect, it } from 'vitest';
import { episodeName, type Episode } from '../../src/shared/analysis';
import type { AnnotationSet } from '../../src/shared/review';
import { episodeKey, mergeEpisodes, referenceEpisodes } from '../../src/renderer/src/lib/episodes';
import type { EpisodeEdit } from '../../src/renderer/src/lib/history';
import { hoverText } from '../../src/renderer/src/lib/trace-pointer';
import { reviewSummary, vtEpisodesText } from '../../src/renderer/src/lib/review-summary';
import { evenBeats, reviewBeatsAt } from '../helpers/review-beats';
import { annotationsToReview } from '../../src/main/export/wfdb';
import { importReview } from '../../src/main/export';
import { loadAnnotationSet } from '../../src/main/review/annotations';
import { openRecord } from '../../src/main/wfdb';
import { dataPath, needData } from '../helpers/data';

const vf: Episode = { type: 'VT', rhythm: 'VF', onsetSample: 1000, offsetSample: 3000, confidence: 0.8, explanation: 'no organised QRS', source: 'model' };
const vt: Episode = { ...vf, rhythm: 'VT', onsetSample: 5000, offsetSample: 6000 };

describe('episode names', () => {
  it('a VT episode of rhythm VF is VF; others keep their type', () => {
    expect(episodeName(vf)).toBe('VF');
    expect(episodeName(vt)).toBe('VT');
    expect(episodeName({ type: 'VT' })).toBe('VT');
    expect(episodeName({ type: 'AF' })).toBe('AF');
  });

  it('reference rhythms (VF and (VFL are VT episodes of rhythm VF', () => {
    const aux = ['(N', '(VF', '(VFL', '(VT', '(N'];
    const set: AnnotationSet = {
      annotator: 'atr',
      sample: Int32Array.from([0, 100, 200, 300, 400]),
      code: Uint8Array.from(aux.map(() => 28)),
      aami: Int8Array.from(aux.map(() => -1)),
      symbol: aux.map(() => '+'),
      aux,
    };
    expect(referenceEpisodes(set, 500).map((e) => [episodeName(e), e.type, e.onsetSample, e.offsetSample])).toEqual([
      ['VF', 'VT', 100, 200],
      ['VF', 'VT', 200, 300],
      ['VT', 'VT', 300, 400],
    ]);
  });

  it('a rhythm annotation file reads as the same episodes in the reference view and on import', () => {
    const aux = ['(N', '(AFIB', '(AFL', '(VT', '(VFIB', '(NOISE', '(N'];
    const samples = [0, 100, 200, 300, 400, 500, 600];
    const set: AnnotationSet = {
      annotator: 'atr',
      sample: Int32Array.from(samples),
      code: Uint8Array.from(aux.map(() => 28)),
      aami: Int8Array.from(aux.map(() => -1)),
      symbol: aux.map(() => '+'),
      aux,
    };
    const shown = referenceEpisodes(set, 600).map((e) => [episodeName(e), e.onsetSample, e.offsetSample]);
    const anns = samples.map((sample, i) => ({ sample, code: 28, subtype: 0, chan: 0, num: 0, aux: aux[i]! }));
    const imported = annotationsToReview(anns, { name: 'r', hash: 'h', fs: 250 }).episodes.map((e) => [episodeName(e), e.onsetSample, e.offsetSample]);
    // atrial flutter is not an AF episode (the analysis's AF leaves it out, EC57 scores it as neither)
    expect(shown).toEqual([
      ['AF', 100, 200],
      ['VT', 300, 400],
      ['VF', 400, 500],
      ['NOISE', 500, 600],
    ]);
    expect(imported).toEqual(shown);
  });

  it('VF marked with "[" … "]" (as cudb marks it) is a VF episode in the reference view and on import', () => {
    // beats (N = 1) around a VF span from 200 to 700; a second "[" left open runs to the end
    const codes = [1, 32, 33, 1, 32];
    const samples = [100, 200, 700, 800, 900];
    const set: AnnotationSet = {
      annotator: 'atr',
      sample: Int32Array.from(samples),
      code: Uint8Array.from(codes),
      aami: Int8Array.from(codes.map(() => -1)),
      symbol: codes.map(() => ''),
      aux: codes.map(() => ''),
    };
    expect(referenceEpisodes(set, 1000).map((e) => [episodeName(e), e.onsetSample, e.offsetSample])).toEqual([
      ['VF', 200, 700],
      ['VF', 900, 1000],
    ]);
    const anns = samples.map((sample, i) => ({ sample, code: codes[i]!, subtype: 0, chan: 0, num: 0, aux: null }));
    expect(annotationsToReview(anns, { name: 'r', hash: 'h', fs: 250 }).episodes.map((e) => [episodeName(e), e.onsetSample, e.offsetSample])).toEqual([
      ['VF', 200, 700],
    ]);
    // with the record's length known (the app's import and report --review know it), the open "[" runs to it, as in the view
    expect(
      annotationsToReview(anns, { name: 'r', hash: 'h', fs: 250, nFrames: 1000 }).episodes.map((e) => [episodeName(e), e.onsetSample, e.offsetSample])
    ).toEqual([
      ['VF', 200, 700],
      ['VF', 900, 1000],
    ]);
    // a mark across two VF rhythm episodes joins them: no two VF episodes over the same time
    const across = {
      ...set,
      code: Uint8Array.from([28, 32, 28, 28, 33]),
      sample: Int32Array.from([200, 250, 300, 400, 700]),
      aux: ['(VF', '', '(N', '(VFL', ''],
    };
    expect(referenceEpisodes(across, 1000).map((e) => [episodeName(e), e.onsetSample, e.offsetSample])).toEqual([['VF', 200, 1000]]);
    // marked both ways (cudb cu01: "(VF" and "[" at one sample): one episode over both
    const both = { ...set, code: Uint8Array.from([28, 32, 28, 33]), sample: Int32Array.from([200, 200, 600, 700]), aux: ['(VF', '', '(N', ''] };
    expect(referenceEpisodes(both, 1000).map((e) => [episodeName(e), e.onsetSample, e.offsetSample])).toEqual([['VF', 200, 700]]);
  });

  it.runIf(needData('cudb'))('cudb records ending in VF marked "[" and never closed: the import reads the VF the view shows', async () => {
    // cu15, cu20, cu28, cu29, cu30, cu31 and cu35 end with an open "[" as their last annotation: before, the import dropped that VF
    for (const name of ['cu15', 'cu30']) {
      const path = dataPath('cudb', name);
      const rec = await openRecord(path);
      const { fs, nFrames } = rec;
      await rec.close();
      const vf = (eps: readonly { type: string; rhythm?: string; onsetSample: number; offsetSample: number }[]) =>
        eps.filter((e) => episodeName(e as Episode) === 'VF').map((e) => [e.onsetSample, e.offsetSample]);
      const shown = vf(referenceEpisodes(await loadAnnotationSet(path, 'atr'), nFrames));
      const imported = vf((await importReview(`${path}.atr`, { name, hash: 'h', fs, nFrames })).episodes);
      expect(shown.at(-1)![1], name).toBe(nFrames);
      expect(imported, name).toEqual(shown);
    }
  });

  it('a decided episode keeps the rhythm of the analysis episode under it', () => {
    const { source: _s, ...rest } = vf;
    const confirmed: EpisodeEdit = { ...rest, rhythm: undefined, key: episodeKey(vf), status: 'confirmed', reviewer: 't' };
    const shown = mergeEpisodes([vf, vt], new Map([[confirmed.key, confirmed]]));
    expect(shown.map((e) => [episodeName(e), e.status])).toEqual([
      ['VF', 'confirmed'],
      ['VT', 'unreviewed'],
    ]);
  });

  it('the hover over the band names it VF', () => {
    const [view] = mergeEpisodes([vf], new Map());
    const g = { width: 1000, height: 300, fs: 100, startSec: 0, pxPerSec: 25, durationSec: 60, gain: 10, leads: [0] };
    const text = hoverText(
      g,
      { x: 500, y: 5, sec: 20, lead: 0, mv: 0 },
      { beats: reviewBeatsAt(new Int32Array(0)), threshold: 0.5, episodes: [view!], beatNotes: undefined }
    );
    expect(text).toMatch(/^VF 00:00:10–00:00:30/);
  });

  it('the summary counts VF episodes apart from VT ones', () => {
    const eps = [...mergeEpisodes([vf, vt], new Map())];
    const s = reviewSummary(reviewBeatsAt(evenBeats(50, 50, 80)), 0.5, eps, { fs: 100, durationSec: 60 });
    expect(s.vt.kept).toBe(2);
    expect(s.vt.vf).toBe(1);
    expect(vtEpisodesText(s.vt)).toBe('1 VT · 1 VF episodes');
    expect(vtEpisodesText({ kept: 1, vf: 1 })).toBe('1 VF episode');
    expect(vtEpisodesText({ kept: 3, vf: 0 })).toBe('3 VT episodes');
    expect(vtEpisodesText({ kept: 0, vf: 0 })).toBe('0 VT episodes');
  });
});
