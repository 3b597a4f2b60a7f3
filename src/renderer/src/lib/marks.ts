// Which beat markers the trace shows: the beats inside the view, with their label, reference
// label, flag and review state, positioned in pixels.
import { AAMI_CLASSES } from '../../../shared/analysis';
import type { ReviewBeats } from './beats';
import type { BeatMark } from './draw';

export function beatMarks(b: ReviewBeats, threshold: number, current: number, selection: ReadonlySet<number>, startFrame: number, framesPerPx: number, width: number): BeatMark[] {
  const out: BeatMark[] = [];
  const i0 = b.indexAt(Math.floor(startFrame - 10 * framesPerPx));
  for (let i = i0; i < b.count; i++) {
    const s = b.sample[i]!;
    const x = (s - startFrame) / framesPerPx;
    if (x > width + 10) break;
    const r = b.ref[i]!;
    out.push({
      x,
      label: b.label(i, threshold),
      ref: r >= 0 ? AAMI_CLASSES[r]! : r === -1 ? '·' : null,
      flagged: b.flagged(i, threshold),
      reviewed: b.isReviewed(i),
      deleted: b.isDeleted(i),
      selected: selection.has(s),
      current: s === current,
    });
  }
  return out;
}

/** Index of the beat whose marker is nearest pixel x, within `tolerancePx` (or -1). */
export function beatAtPixel(b: ReviewBeats, x: number, startFrame: number, framesPerPx: number, tolerancePx = 12): number {
  const i = b.nearest(startFrame + x * framesPerPx);
  if (i < 0) return -1;
  return Math.abs((b.sample[i]! - startFrame) / framesPerPx - x) <= tolerancePx ? i : -1;
}
