// Status-bar wording of the analysis's recording-level call (src/main/analysis/recording.ts).
import type { Recording } from '../../../shared/analysis';
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

/** e.g. short "Recording: AF (0.80)", full "AF at 00:00:00, confidence 0.80\n<explanation>". */
export function recordingStatus(r: Recording, fs: number, clock: RecordClock = ELAPSED): { short: string; full: string; alarm: boolean } {
  const at = r.sample > 0 ? ` at ${clockTime(clock, r.sample / fs)}` : '';
  return {
    short: `Recording: ${r.nonsustained ? 'nonsustained VT' : WORDS[r.label]} (${r.confidence.toFixed(2)})`,
    full: `The analysis's call for the whole recording: ${r.label}${at}, confidence ${r.confidence.toFixed(2)}\n${r.explanation}`,
    alarm: r.label === 'AF' || r.label === 'VT' || r.label === 'VF' || r.label === 'PAUSE',
  };
}
