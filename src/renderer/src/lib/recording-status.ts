// Status-bar wording of the analysis's recording-level call (src/main/analysis/recording.ts).
import type { Episode, Recording } from '../../../shared/analysis';
import type { EpisodeStatus } from '../../../shared/review';
import { clockTime, ELAPSED, type RecordClock } from './clock';

const WORDS: Record<Recording['label'], string> = {
  AF: 'AF',
  VT: 'VT',
  VF: 'VF',
  PAUSE: 'pause',
  NORMAL: 'normal',
  OTHER: 'other rhythm',
  NOISE: 'unreadable (noise)',
};

/** The review's decision on the episode the call rests on (its type, from its onset), if the reviewer made one. */
function decisionOnCall(r: Recording, episodes: readonly { base: Episode | null; status: EpisodeStatus }[]): EpisodeStatus | undefined {
  if (!r.episodeType || r.episodeType === 'NOISE') return undefined;
  return episodes.find((x) => x.base?.type === r.episodeType && x.base?.onsetSample === r.sample)?.status;
}

/**
 * e.g. short "Recording: AF (0.80)", full "AF at 00:00:00, confidence 0.80\n<explanation>". With the
 * review's episodes: a call whose episode the reviewer rejected says so and is no longer an alarm
 * (the review's summary has left it out; the call itself stays the analysis's).
 */
export function recordingStatus(
  r: Recording,
  fs: number,
  clock: RecordClock = ELAPSED,
  episodes: readonly { base: Episode | null; status: EpisodeStatus }[] = []
): { short: string; full: string; alarm: boolean } {
  const at = r.sample > 0 ? ` at ${clockTime(clock, r.sample / fs)}` : '';
  const rejected = decisionOnCall(r, episodes) === 'rejected';
  return {
    short: `Recording: ${r.nonsustained ? 'nonsustained VT' : WORDS[r.label]} (${r.confidence.toFixed(2)})${rejected ? ' · rejected in review' : ''}`,
    full:
      `The analysis's call for the whole recording: ${r.label}${at}, confidence ${r.confidence.toFixed(2)}\n${r.explanation}` +
      (rejected ? "\nThe reviewer rejected this episode: the review's summary leaves it out." : ''),
    alarm: !rejected && (r.label === 'AF' || r.label === 'VT' || r.label === 'VF' || r.label === 'PAUSE'),
  };
}
