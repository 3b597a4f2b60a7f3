// What the views read from the review, each kept until an input changes: the flagged-beat queue,
// the current beat's index, progress counts, the episodes with the reviewer's decisions, the RR
// series. Reading an input is what a Svelte view tracks, so the same getters serve runes and tests.
import type { Analysis } from '../../../shared/analysis';
import { type ReviewBeats, countFlagged, flaggedQueue } from './beats';
import type { EpisodeEdit } from './history';
import { mergeEpisodes, type ReviewEpisodeView } from './episodes';
import { rrSeries, type RrSeries } from './rr';
import { intervalRead } from './review-summary';
import { DEFAULT_SCAN_SETTINGS } from '../../../shared/scan-settings';
import type { QueueOrder, ReviewState } from './review-state';

export class ReviewViews {
  private queueMemo: { beats: ReviewBeats; sample: Int32Array; t: number; order: QueueOrder; queue: Int32Array } | null = null;
  private episodesMemo: { edits: ReadonlyMap<string, EpisodeEdit>; base: Analysis['episodes']; list: ReviewEpisodeView[] } | null = null;
  private rrMemo: { beats: ReviewBeats; key: string; episodes: ReviewEpisodeView[]; pauseSec: number; rr: RrSeries } | null = null;

  constructor(protected readonly s: ReviewState) {}

  get fs(): number {
    return this.s.info?.fs ?? 1;
  }

  /**
   * Flagged beats in queue order: the same array until the beats are laid out anew (an added or
   * removed beat moves the indices), the threshold or the order changes; not recounted on each
   * confirmation or relabel, which move no score. Reading it tracks the version (views re-read it after any edit).
   */
  queue(): Int32Array {
    const { beats, threshold, queueOrder } = this.s;
    void this.s.version;
    if (!beats) return new Int32Array(0);
    const m = this.queueMemo;
    if (m && m.beats === beats && m.sample === beats.sample && m.t === threshold && m.order === queueOrder) return m.queue;
    const queue = flaggedQueue(beats, threshold, queueOrder);
    this.queueMemo = { beats, sample: beats.sample, t: threshold, order: queueOrder, queue };
    return queue;
  }

  /** Beats the model flags at the threshold. */
  flaggedCount(): number {
    return countFlagged(this.s.analysis?.beats.pvcScore ?? null, this.s.threshold);
  }

  /** Index of the current beat, -1 when the cursor is on no beat. */
  currentIndex(): number {
    const { beats, current } = this.s;
    void this.s.version;
    if (!beats || current < 0) return -1;
    const i = beats.indexAt(current);
    return i < beats.count && beats.sample[i] === current ? i : -1;
  }

  reviewedInQueue(): number {
    const b = this.s.beats;
    if (!b) return 0;
    let n = 0;
    for (const i of this.queue()) if (b.isReviewed(i)) n++;
    return n;
  }

  reviewedTotal(): number {
    void this.s.version;
    const b = this.s.beats;
    if (!b) return 0;
    // an edit laid on no beat (made on other beats of the signals) is neither shown nor exported: not counted
    let n = 0;
    for (const [sample, e] of b.edits) if (e.status !== 'unreviewed' && b.isBeatAt(sample)) n++;
    return n;
  }

  /** The episodes with the reviewer's decisions laid over them: the same list until either changes (a beat's confirmation redraws no episode view). */
  episodes(): ReviewEpisodeView[] {
    const { episodeEdits: edits, baseEpisodes: base } = this.s;
    const m = this.episodesMemo;
    if (m && m.edits === edits && m.base === base) return m.list;
    const list = mergeEpisodes(base, edits);
    this.episodesMemo = { edits, base, list };
    return list;
  }

  /**
   * RR series of the kept beats, without the intervals the summary does not read (over unreadable
   * signal, but for a pause it counts at `pauseSec`): the same object until a beat is deleted, added,
   * restored or labelled X or back, or the episodes or the pause limit change (another relabel moves no point).
   */
  rr(pauseSec = DEFAULT_SCAN_SETTINGS.pauseSec): RrSeries | null {
    void this.s.version;
    const b = this.s.beats;
    const info = this.s.info;
    if (!b || !info) return null;
    const key = b.layoutKey();
    const episodes = this.episodes();
    const m = this.rrMemo;
    if (m?.beats === b && m.key === key && m.episodes === episodes && m.pauseSec === pauseSec) return m.rr;
    const rr = rrSeries(b, info.fs, intervalRead(episodes, info.fs, pauseSec));
    this.rrMemo = { beats: b, key, episodes, pauseSec, rr };
    return rr;
  }
}
