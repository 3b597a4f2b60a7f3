// The beats under review: the analysis's (or, before an analysis, the reference annotations')
// beats merged with the reviewer's edits. Edits are keyed by sample; added beats join the list,
// deleted beats stay in it (struck through) and drop out of exports and metrics.
import { AAMI_CLASSES, labelAt, V_INDEX, type AamiClass } from '../../../shared/analysis';
import type { BeatStatus, ReviewLabel } from '../../../shared/review';
import { isUsable, type ClassCounts } from '../../../shared/finetune';

/** The beats a review starts from, before any edit: the analysis's, or the reference annotations'. */
export interface BaseBeats {
  origin: 'analysis' | 'reference';
  /** Sorted beat positions (frames). */
  sample: Int32Array;
  /** n × 5 class probabilities (analysis only). */
  probs: Float32Array | null;
  pvcScore: Float32Array | null;
  /** Class index per beat when there are no probabilities (reference labels). */
  baseLabel: Uint8Array;
}

export interface BeatEdit {
  sample: number;
  label: ReviewLabel;
  status: BeatStatus;
  who: string;
  when: string;
}

/** AAMI classes then X (not a beat): the label codes of the cache. */
export const LABEL_ORDER: readonly ReviewLabel[] = [...AAMI_CLASSES, 'X'];

/** Per-beat edit status codes (statusCodes()): no edit or unreviewed, then the BeatStatus values. */
export const STATUS = { none: 0, confirmed: 1, relabelled: 2, added: 3, deleted: 4 } as const;
const STATUS_OF: Record<BeatStatus, number> = {
  unreviewed: STATUS.none,
  confirmed: STATUS.confirmed,
  relabelled: STATUS.relabelled,
  added: STATUS.added,
  deleted: STATUS.deleted,
};

export function lowerBound(arr: ArrayLike<number>, v: number, lo = 0, hi = arr.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (arr[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class ReviewBeats {
  /** All beats in time order: the source's plus the reviewer's added ones. */
  sample = new Int32Array(0);
  /** Index into the source, or -1 for an added beat. */
  base = new Int32Array(0);
  /** Reference class index (AAMI_CLASSES) of the reference beat within the match window, -1 none, -2 no reference. */
  ref = new Int8Array(0);
  private readonly editMap = new Map<number, BeatEdit>();
  /** Labels at `cachedAt` per beat (LABEL_ORDER index), filled on demand: views read labels of 100 000 beats per frame. */
  private labelCache: Uint8Array | null = null;
  private cachedAt = NaN;
  /** The model's class per beat at `predAt` (-1 for an added beat): kept across edits, the views read it per frame. */
  private predCache: Int8Array | null = null;
  private predAt = NaN;
  private statusCache: Uint8Array | null = null;

  constructor(
    readonly source: BaseBeats,
    private readonly reference: { sample: Int32Array; aami: Int8Array } | null,
    private readonly matchFrames: number
  ) {
    this.rebuild();
  }

  get edits(): ReadonlyMap<number, BeatEdit> {
    return this.editMap;
  }

  /** Sets (or with undefined removes) the reviewer's edit of the beat at `sample`; call rebuild() after adding or removing an added beat. */
  setEdit(sample: number, e: BeatEdit | undefined): void {
    if (e) this.editMap.set(sample, e);
    else this.editMap.delete(sample);
    // An edit that leaves the beat's label as it was (a confirmation, most key presses in a review)
    // keeps the label codes, the same array: views that key on it (the marks pyramid) need not
    // rebuild, and no pass over every beat refills them.
    if (this.labelCache && this.labelCodeAfter(sample, e) === -1) this.labelCache = null;
    this.statusCache = null;
  }

  /** The cached label code of the beat at `sample` when `e` leaves it unchanged, else -1. */
  private labelCodeAfter(sample: number, e: BeatEdit | undefined): number {
    const i = this.indexAt(sample);
    if (i >= this.count || this.sample[i] !== sample) return -1;
    const p = this.predicted(i, this.cachedAt);
    const code = e ? LABEL_ORDER.indexOf(e.label) : p < 0 ? LABEL_ORDER.indexOf('Q') : p;
    return code === this.labelCache![i] ? code : -1;
  }

  get count(): number {
    return this.sample.length;
  }

  /** Re-merges the source with added beats; call after edits that add or remove an added beat. */
  rebuild(): void {
    const src = this.source.sample;
    const added = [...this.edits.values()]
      .filter((e) => e.status === 'added')
      .map((e) => e.sample)
      .sort((a, b) => a - b);
    const n = src.length + added.length;
    const sample = new Int32Array(n);
    const base = new Int32Array(n);
    let i = 0;
    let j = 0;
    for (let k = 0; k < n; k++) {
      if (j >= added.length || (i < src.length && src[i]! <= added[j]!)) {
        sample[k] = src[i]!;
        base[k] = i++;
      } else {
        sample[k] = added[j++]!;
        base[k] = -1;
      }
    }
    this.sample = sample;
    this.base = base;
    this.labelCache = null;
    this.predCache = null;
    this.statusCache = null;
    this.ref = new Int8Array(n).fill(this.reference ? -1 : -2);
    const r = this.reference;
    if (r) {
      for (let k = 0; k < n; k++) {
        const s = sample[k]!;
        let p = lowerBound(r.sample, s - this.matchFrames);
        let best = -1;
        let bestD = Infinity;
        for (; p < r.sample.length && r.sample[p]! <= s + this.matchFrames; p++) {
          if (r.aami[p]! < 0) continue;
          const d = Math.abs(r.sample[p]! - s);
          if (d < bestD) {
            bestD = d;
            best = p;
          }
        }
        if (best >= 0) this.ref[k] = r.aami[best]!;
      }
    }
  }

  /** The model's (or reference's) class index at threshold `t`, -1 for an added beat. */
  predicted(i: number, t: number): number {
    const b = this.base[i]!;
    if (b < 0) return -1;
    return this.source.probs ? labelAt(this.source.probs, b, t) : this.source.baseLabel[b]!;
  }

  score(i: number): number {
    const b = this.base[i]!;
    return b < 0 || !this.source.pvcScore ? NaN : this.source.pvcScore[b]!;
  }

  flagged(i: number, t: number): boolean {
    const s = this.score(i);
    return s >= t;
  }

  edit(i: number): BeatEdit | undefined {
    return this.edits.get(this.sample[i]!);
  }

  /** The label shown and exported: the reviewer's when there is one, else the prediction at `t`. */
  label(i: number, t: number): ReviewLabel {
    if (!this.labelCache || this.cachedAt !== t) this.fillLabels(t);
    return LABEL_ORDER[this.labelCache![i]!]!;
  }

  /** Every beat's label at `t` as a LABEL_ORDER index: the same array until an edit or another `t`. */
  labelCodes(t: number): Uint8Array {
    if (!this.labelCache || this.cachedAt !== t) this.fillLabels(t);
    return this.labelCache!;
  }

  /** Every beat's predicted class at `t` (predicted()), -1 for an added beat: the same array until a rebuild or another `t`. */
  predictedCodes(t: number): Int8Array {
    if (!this.predCache || this.predAt !== t) {
      const out = new Int8Array(this.count);
      for (let i = 0; i < out.length; i++) out[i] = this.predicted(i, t);
      this.predCache = out;
      this.predAt = t;
    }
    return this.predCache;
  }

  /**
   * Changes exactly when the kept beats do (a beat added, deleted or restored, or labelled X: not a
   * beat, which the RR series and the summary leave out), not on other relabels.
   */
  layoutKey(): string {
    const moved: string[] = [];
    for (const [sample, e] of this.editMap)
      if (e.status === 'deleted' || e.status === 'added' || e.label === 'X') moved.push(`${e.status[0]}${e.label === 'X' ? 'x' : ''}${sample}`);
    return `${this.count}:${moved.sort().join(',')}`;
  }

  /** Every beat's edit status as a STATUS code: the same array until the next edit or rebuild. */
  statusCodes(): Uint8Array {
    if (!this.statusCache) {
      const out = new Uint8Array(this.count);
      for (const [sample, e] of this.editMap) {
        const i = this.indexAt(sample);
        if (i < this.count && this.sample[i] === sample) out[i] = STATUS_OF[e.status];
      }
      this.statusCache = out;
    }
    return this.statusCache;
  }

  // From the predictions with the edits laid over (per edit, not per beat: a 24-h record has
  // 100 000 beats and a review a few hundred edits).
  private fillLabels(t: number): void {
    const pred = this.predictedCodes(t);
    const Q = LABEL_ORDER.indexOf('Q');
    const out = new Uint8Array(this.count);
    for (let i = 0; i < out.length; i++) out[i] = pred[i]! < 0 ? Q : pred[i]!;
    for (const [sample, e] of this.editMap) {
      const i = this.indexAt(sample);
      if (i < this.count && this.sample[i] === sample) out[i] = LABEL_ORDER.indexOf(e.label);
    }
    this.labelCache = out;
    this.cachedAt = t;
  }

  isReviewed(i: number): boolean {
    const e = this.edit(i);
    return e !== undefined && e.status !== 'unreviewed';
  }

  isDeleted(i: number): boolean {
    return this.edit(i)?.status === 'deleted';
  }

  /** Index of the first beat at or after `sample`. */
  indexAt(sample: number): number {
    return lowerBound(this.sample, sample);
  }

  /** Whether a beat (the source's or an added one) sits exactly at `sample`. */
  isBeatAt(sample: number): boolean {
    const i = this.indexAt(sample);
    return i < this.count && this.sample[i] === sample;
  }

  /** Index of the beat nearest `sample` (-1 when there are none). */
  nearest(sample: number): number {
    if (!this.count) return -1;
    const i = this.indexAt(sample);
    if (i === 0) return 0;
    if (i >= this.count) return this.count - 1;
    return sample - this.sample[i - 1]! <= this.sample[i]! - sample ? i - 1 : i;
  }

  /** Previous RR interval of beat i in ms, skipping deleted beats (NaN for the first). */
  rrMs(i: number, fs: number): number {
    let p = i - 1;
    while (p >= 0 && this.isDeleted(p)) p--;
    return p < 0 ? NaN : ((this.sample[i]! - this.sample[p]!) * 1000) / fs;
  }
}

/** Indices of flagged beats, by time or by uncertainty (score nearest the threshold first). */
export function flaggedQueue(beats: ReviewBeats, t: number, order: 'time' | 'uncertainty'): Int32Array {
  const idx: number[] = [];
  for (let i = 0; i < beats.count; i++) if (beats.flagged(i, t)) idx.push(i);
  if (order === 'uncertainty') idx.sort((a, b) => Math.abs(beats.score(a) - t) - Math.abs(beats.score(b) - t) || a - b);
  return Int32Array.from(idx);
}

/** Number of beats with score ≥ t (the live count the threshold slider shows). */
export function countFlagged(scores: Float32Array | null, t: number): number {
  if (!scores) return 0;
  let n = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i]! >= t) n++;
  return n;
}

export function isVLabel(label: ReviewLabel | AamiClass): boolean {
  return label === AAMI_CLASSES[V_INDEX];
}

/** What a fine-tune would use, by class: usableCounts() of the review export, from the edits alone. */
export function usableCountsOf(b: ReviewBeats): ClassCounts {
  const c: ClassCounts = { N: 0, S: 0, V: 0, F: 0, Q: 0 };
  for (const [sample, e] of b.edits) {
    if (!isUsable(e.status) || e.label === 'X') continue;
    const i = b.indexAt(sample);
    if (i < b.count && b.sample[i] === sample) c[e.label]++;
  }
  return c;
}
