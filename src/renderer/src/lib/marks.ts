// Which beat markers the trace shows: the beats inside the view, with their label, reference
// label, flag and review state, positioned in pixels.
import { AAMI_CLASSES } from '../../../shared/analysis';
import { LABEL_ORDER, type ReviewBeats } from './beats';
import type { BeatMark } from './draw';

/** Severity order when several beats share a pixel column: the one a reviewer must not miss wins. */
export const SEVERITY: Readonly<Record<string, number>> = { N: 0, X: 1, Q: 2, S: 3, F: 4, V: 5 };

/**
 * The beat markers of the view [startFrame, startFrame + width·framesPerPx). With more beats
 * than half the pixels, one mark per pixel column (the most severe label, flagged if any beat
 * is), read from `pyramid` when it has a level fine enough (O(width) instead of O(beats)).
 */
export function beatMarks(
  b: ReviewBeats,
  threshold: number,
  current: number,
  selection: ReadonlySet<number>,
  startFrame: number,
  framesPerPx: number,
  width: number,
  pyramid?: MarkPyramid
): BeatMark[] {
  const i0 = b.indexAt(Math.floor(startFrame - 10 * framesPerPx));
  const i1 = b.indexAt(Math.ceil(startFrame + (width + 10) * framesPerPx));
  if (i1 - i0 > width / 2) {
    const fromPyramid = pyramid?.fresh(b, threshold) ? pyramid.marks(startFrame, framesPerPx, width, current, selection) : null;
    return fromPyramid ?? columnMarks(b, threshold, current, selection, startFrame, framesPerPx, width, i0, i1);
  }
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

function columnMarks(
  b: ReviewBeats,
  threshold: number,
  current: number,
  selection: ReadonlySet<number>,
  startFrame: number,
  framesPerPx: number,
  width: number,
  i0: number,
  i1: number
): BeatMark[] {
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

/** Severity + 1 per LABEL_ORDER code (0 is an empty bin), and the flagged bit. */
const SEV1 = Uint8Array.from(LABEL_ORDER, (l) => SEVERITY[l]! + 1);
const LABEL_OF_SEV1 = [
  '',
  ...Object.entries(SEVERITY)
    .sort((a, b) => a[1] - b[1])
    .map(([l]) => l),
];
const FLAG = 8;
const merge = (a: number, c: number): number => Math.max(a & 7, c & 7) | ((a | c) & FLAG);
/** Finest bin, in frames: levels are 256, 512, … frames (finer views hold few enough beats to mark one by one). */
export const BIN0 = 256;

/**
 * Beat marks folded into time bins for zoomed-out views: level k holds, per bin of 256·2^k
 * frames, the most severe label of its beats and whether any is flagged. Built once per beat
 * table, threshold and edit (the label codes' identity); a view reads the coarsest level with
 * at least two bins per pixel column, so a beat lands at most half a pixel from its column.
 */
export class MarkPyramid {
  readonly levels: { bin: number; code: Uint8Array }[] = [];
  readonly codes: Uint8Array;

  constructor(
    readonly beats: ReviewBeats,
    readonly threshold: number
  ) {
    this.codes = beats.labelCodes(threshold);
    const n = beats.count;
    const span = n ? beats.sample[n - 1]! + 1 : 1;
    let bin = BIN0;
    let code = new Uint8Array(Math.ceil(span / bin));
    for (let i = 0; i < n; i++) {
      const j = Math.floor(beats.sample[i]! / bin);
      code[j] = merge(code[j]!, SEV1[this.codes[i]!]! | (beats.flagged(i, threshold) ? FLAG : 0));
    }
    this.levels.push({ bin, code });
    while (code.length > 1) {
      const next = new Uint8Array(Math.ceil(code.length / 2));
      for (let j = 0; j < code.length; j++) next[j >> 1] = merge(next[j >> 1]!, code[j]!);
      bin *= 2;
      code = next;
      this.levels.push({ bin, code });
    }
  }

  /** Whether this pyramid still describes `b` at `t` (no edit, same threshold). */
  fresh(b: ReviewBeats, t: number): boolean {
    return this.beats === b && this.threshold === t && this.codes === b.labelCodes(t);
  }

  /** Column marks of the view, or null when no level is fine enough (under 2·BIN0 frames per pixel). */
  marks(startFrame: number, framesPerPx: number, width: number, current: number, selection: ReadonlySet<number>): BeatMark[] | null {
    let level: { bin: number; code: Uint8Array } | undefined;
    for (const l of this.levels) if (l.bin * 2 <= framesPerPx) level = l;
    if (!level) return null;
    const { bin, code } = level;
    const out: BeatMark[] = [];
    const byCol = new Int32Array(width).fill(-1);
    const j0 = Math.max(0, Math.floor(startFrame / bin));
    const j1 = Math.min(code.length, Math.ceil((startFrame + width * framesPerPx) / bin) + 1);
    for (let j = j0; j < j1; j++) {
      const c = code[j]!;
      if (!c) continue;
      const col = Math.floor((j * bin + bin / 2 - startFrame) / framesPerPx);
      if (col < 0 || col >= width) continue;
      let k = byCol[col]!;
      if (k < 0) {
        k = byCol[col] = out.length;
        out.push({ x: col + 0.5, label: LABEL_OF_SEV1[c & 7]!, ref: null, flagged: false, reviewed: false, deleted: false, selected: false, current: false });
      }
      const m = out[k]!;
      if (SEVERITY[LABEL_OF_SEV1[c & 7]!]! > SEVERITY[m.label]!) m.label = LABEL_OF_SEV1[c & 7]!;
      if (c & FLAG) m.flagged = true;
    }
    const at = (s: number): BeatMark | undefined => {
      const j = Math.floor(s / bin);
      const col = Math.floor((j * bin + bin / 2 - startFrame) / framesPerPx);
      return col >= 0 && col < width && byCol[col]! >= 0 ? out[byCol[col]!] : undefined;
    };
    for (const s of selection) {
      const m = at(s);
      if (m) m.selected = true;
    }
    const m = at(current);
    if (m) m.current = true;
    return out;
  }
}
