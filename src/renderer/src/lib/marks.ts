// Which beat markers the trace shows: the beats inside the view, with their label, reference
// label, flag and review state, positioned in pixels.
import { AAMI_CLASSES } from '../../../shared/analysis';
import type { ReviewBeats } from './beats';
import type { BeatMark } from './draw';

/** Severity order when several beats share a pixel column: the one a reviewer must not miss wins. */
const SEVERITY: Readonly<Record<string, number>> = { N: 0, X: 1, Q: 2, S: 3, F: 4, V: 5 };

export function beatMarks(b: ReviewBeats, threshold: number, current: number, selection: ReadonlySet<number>, startFrame: number, framesPerPx: number, width: number): BeatMark[] {
  const i0 = b.indexAt(Math.floor(startFrame - 10 * framesPerPx));
  const i1 = b.indexAt(Math.ceil(startFrame + (width + 10) * framesPerPx));
  // More beats than half the pixels: one mark per pixel column (the most severe label, flagged if any is).
  if (i1 - i0 > width / 2) return columnMarks(b, threshold, current, selection, startFrame, framesPerPx, width, i0, i1);
  const out: BeatMark[] = [];
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

function columnMarks(b: ReviewBeats, threshold: number, current: number, selection: ReadonlySet<number>, startFrame: number, framesPerPx: number, width: number, i0: number, i1: number): BeatMark[] {
  const out: BeatMark[] = [];
  let col = -1;
  let mark: BeatMark | null = null;
  for (let i = i0; i < i1; i++) {
    const s = b.sample[i]!;
    const c = Math.floor((s - startFrame) / framesPerPx);
    if (c < 0 || c >= width) continue;
    const label = b.label(i, threshold);
    if (c !== col || !mark) {
      col = c;
      mark = { x: c + 0.5, label, ref: null, flagged: false, reviewed: false, deleted: false, selected: false, current: false };
      out.push(mark);
    } else if (SEVERITY[label]! > SEVERITY[mark.label]!) mark.label = label;
    if (b.flagged(i, threshold)) mark.flagged = true;
    if (selection.has(s)) mark.selected = true;
    if (s === current) mark.current = true;
  }
  return out;
}
