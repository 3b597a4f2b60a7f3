import { describe, expect, it } from 'vitest';
import { episodesFromAnnotations, unionEpisodes } from '../../src/main/evaluation';
import { RHYTHM, VFOFF, VFON } from '../../src/main/wfdb/codes';

const r = (sample: number, aux: string) => ({ sample, code: RHYTHM, aux });

describe("episode kind 'VTA' (VT, flutter and fibrillation as one class)", () => {
  it('joins (VT, (VFL and (VF runs that follow each other, and adds [ ] episodes', () => {
    const anns = [
      r(0, '(N'),
      r(100, '(VT'),
      r(200, '(VFL'),
      r(300, '(VF'),
      r(400, '(N'),
      { sample: 500, code: VFON },
      { sample: 600, code: VFOFF },
      r(700, '(VT'),
    ];
    expect(episodesFromAnnotations(anns, 'VTA', 900)).toEqual([
      { onset: 100, offset: 400 },
      { onset: 500, offset: 600 },
      { onset: 700, offset: 900 },
    ]);
    // the single kinds are unchanged: (VT alone, and VF only from the markers
    expect(episodesFromAnnotations(anns, 'VT', 900)).toEqual([
      { onset: 100, offset: 200 },
      { onset: 700, offset: 900 },
    ]);
    expect(episodesFromAnnotations(anns, 'VF', 900)).toEqual([{ onset: 500, offset: 600 }]);
  });

  it('merges overlapping and touching episodes, keeps apart the ones with a gap', () => {
    expect(
      unionEpisodes(
        [
          { onset: 0, offset: 10 },
          { onset: 30, offset: 40 },
        ],
        [
          { onset: 10, offset: 20 },
          { onset: 35, offset: 50 },
          { onset: 60, offset: 61 },
        ]
      )
    ).toEqual([
      { onset: 0, offset: 20 },
      { onset: 30, offset: 50 },
      { onset: 60, offset: 61 },
    ]);
  });
});
