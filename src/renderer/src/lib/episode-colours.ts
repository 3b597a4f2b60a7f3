import type { EpisodeType } from '../../../shared/analysis';

export const EPISODE_COLOURS: Readonly<Record<EpisodeType, string>> = {
  AF: '#ffb74d',
  VT: '#ff5252',
  PAUSE: '#64b5f6',
  NOISE: '#9e9e9e',
};
