import type { EpisodeType } from '../../../shared/analysis';

export const EPISODE_COLOURS: Readonly<Record<EpisodeType, string>> = {
  AF: '#ffb74d',
  VT: '#ff5252',
  PAUSE: '#64b5f6',
  NOISE: '#9e9e9e',
};

/**
 * An episode's name (episodeName) cut short, for a band in the overview with no room for the word
 * beside it; its tooltip gives the word. Not N for noise: N is the normal beat.
 */
export const EPISODE_SHORT_NAMES: Readonly<Record<EpisodeType | 'VF', string>> = {
  AF: 'AF',
  VT: 'VT',
  VF: 'VF',
  PAUSE: 'P',
  NOISE: '~',
};
