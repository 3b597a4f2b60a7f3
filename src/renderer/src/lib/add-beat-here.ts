// Where `A` adds a beat: at the pointer when it is over the trace, else between the current beat
// and the next, else mid-view; snapped to the R peak within 80 ms when the raw samples are at hand.
import type { ReviewBeats } from './beats';
import type { SignalWindow } from '../../../shared/review';
import { snapToPeak } from './peaks';

export interface AddBeatInputs {
  beats: ReviewBeats;
  fs: number;
  currentIndex: number;
  view: { hoverSec: number | null; startSec: number; spanSec: number; lead: 'all' | number };
  /** The trace's signal window, if loaded. */
  data: SignalWindow | null;
  /** The lead to snap on when every lead is shown (the session's primaryLead). */
  primaryLead?: number;
}

export function addBeatSample({ beats: b, fs, currentIndex: ci, view, data: d, primaryLead = 0 }: AddBeatInputs): number {
  let at: number;
  if (view.hoverSec !== null) at = view.hoverSec * fs;
  else if (ci >= 0 && ci + 1 < b.count) at = (b.sample[ci]! + b.sample[ci + 1]!) / 2;
  else at = (view.startSec + view.spanSec / 2) * fs;
  const lead = view.lead === 'all' ? primaryLead : view.lead;
  const run = d && d.min[lead] ? { from: d.from, bucket: d.bucket, min: d.min[lead]!, max: d.max[lead]! } : null;
  return snapToPeak(run, Math.round(at), Math.round(0.08 * fs));
}
