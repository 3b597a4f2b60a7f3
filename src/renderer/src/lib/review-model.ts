// The review model: its views (review-views.ts) and the reviewer's commands on beats and episodes
// (each one undoable and handed to the store at once), undo/redo, navigation through the
// flagged-beat queue and the selection.
// Plain TypeScript over a state it is given: the app gives it Svelte runes (session.svelte.ts),
// the unit tests a plain object, so the same code runs in both.
import type { EpisodeType } from '../../../shared/analysis';
import { AAMI_CLASSES, episodeName } from '../../../shared/analysis';
import type { ReviewLabel } from '../../../shared/review';
import { LABEL_ORDER, ReviewBeats, type BeatEdit, type BaseBeats } from './beats';
import { History, type Change, type Command, type EpisodeEdit } from './history';
import { episodeKey } from './episodes';
import { needsConfirmation, type BulkAction } from './bulk';
import { queueStep } from './queue';
import { checkAddBeat, SAME_BEAT_MS } from './add-beat';
import { ReviewViews } from './review-views';
import type { QueueOrder, ReviewSink, ReviewState } from './review-state';

export type { QueueOrder, ReviewSink, ReviewState };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class ReviewModel extends ReviewViews {
  readonly history = new History();
  /** The queue order changed: the next J / K starts the new order from its start. */
  private restartQueue = false;
  /** A beat add the check held (too close to a beat): a second press at the same point adds it. */
  private heldAdd = -1;
  /** The Shift+arrow range being made: where it started, the selection before it, the selection it made. */
  private range: { anchor: number; base: ReadonlySet<number>; made: ReadonlySet<number> } | null = null;

  constructor(
    s: ReviewState,
    private readonly sink: ReviewSink,
    private readonly now: () => string = () => new Date().toISOString()
  ) {
    super(s);
  }

  // ---- the beats under review ----
  /** Lays a beat source (reference or analysis) under the review with the reviewer's edits, reference labels matched to the beats. */
  setBeats(source: BaseBeats, reference: { sample: Int32Array; aami: Int8Array } | null, edits: readonly BeatEdit[]): void {
    const window = Math.round(0.15 * this.fs);
    this.place(new ReviewBeats(source, reference, window), edits, window);
  }

  /**
   * The edits laid on the beats: added beats join the list, unless one of these beats lies within
   * SAME_BEAT_MS (then the added beat is that beat, relabelled); every other edit goes on the beat at its
   * sample. One made on other beats of the same signals (the .atr's, on a copy of the record that has
   * none, or the detector's) goes on the nearest beat within the match window that has no edit of its
   * own, the nearest pairs first; a deletion never moves (the beat it removed is not among these:
   * moved, it would remove a real one). An edit no beat takes stays among the edits at its own sample,
   * unseen and not counted, so that it is laid again on the next beats (the analysis's, arriving after
   * the reference's); the notice counts those that are not deletions.
   */
  private place(b: ReviewBeats, edits: readonly BeatEdit[], window: number): void {
    const elsewhere: BeatEdit[] = [];
    for (const e of edits) {
      if (e.status === 'added') continue;
      if (b.isBeatAt(e.sample)) b.setEdit(e.sample, e);
      else elsewhere.push(e);
    }
    // A beat is never added within SAME_BEAT_MS of a kept beat (add-beat.ts), so an added beat that
    // close to one of these beats was added on other beats (none yet, the .atr's): it is that beat,
    // and the reviewer's label a decision on it. Laid as a second beat it was exported twice.
    const same = Math.floor((SAME_BEAT_MS * this.fs) / 1000);
    for (const e of edits) {
      if (e.status !== 'added') continue;
      const i = b.nearest(e.sample);
      const to = i >= 0 ? b.sample[i]! : -1;
      if (to >= 0 && Math.abs(to - e.sample) < same && !b.edits.has(to)) b.setEdit(to, { ...e, sample: to, status: 'relabelled' });
      else b.setEdit(e.sample, e);
    }
    b.rebuild();
    const pairs = elsewhere
      .filter((e) => e.status !== 'deleted')
      .map((e) => {
        const i = b.nearest(e.sample);
        return { e, to: i >= 0 ? b.sample[i]! : -1 };
      })
      .filter((p) => p.to >= 0 && Math.abs(p.to - p.e.sample) <= window)
      .sort((x, y) => Math.abs(x.to - x.e.sample) - Math.abs(y.to - y.e.sample));
    const moved = new Set<BeatEdit>();
    for (const { e, to } of pairs)
      if (!b.edits.has(to)) {
        b.setEdit(to, { ...e, sample: to });
        moved.add(e);
      }
    let unlaid = 0;
    for (const e of elsewhere) {
      if (moved.has(e)) continue;
      if (!b.edits.has(e.sample)) b.setEdit(e.sample, e);
      if (e.status !== 'deleted') unlaid++;
    }
    if (unlaid)
      this.s.notice = `${unlaid} reviewed beat${unlaid === 1 ? ' of this record lies' : 's of this record lie'} where these beats have none: kept in the store, not shown.`;
    this.s.beats = b;
    this.s.version++;
    this.s.labelVersion++;
  }

  /** Other beats laid under the review (the analysis's after the reference's): no undo step, selection or held action carries over. */
  forgetSteps(): void {
    this.history.clear();
    this.s.pending = null;
    this.s.selection = new Set();
    this.range = null;
  }

  /** A new record: no history, no selection, nothing held. */
  reset(cursor: number): void {
    this.history.clear();
    this.restartQueue = false;
    this.heldAdd = -1;
    this.s.current = cursor;
    this.s.selection = new Set();
    this.s.pending = null;
  }

  // ---- applying commands ----
  /** Applies a command in memory (before its first await, so the next key acts on what the reviewer sees), then saves it. */
  async commit(cmd: Command, record = true): Promise<void> {
    const s = this.s;
    const b = s.beats;
    if (!b || !cmd.changes.length) return;
    let rebuild = false;
    let relabelled = false;
    // the label shown without an edit is the prediction (cached per threshold, untouched by edits)
    const pred = b.predictedCodes(s.threshold);
    const shown = (e: BeatEdit | undefined, i: number) => (e ? e.label : i >= 0 && pred[i]! >= 0 ? LABEL_ORDER[pred[i]!] : null);
    // a fresh map only when an episode changed: the episode views (overview, trace, list) redraw on a new one
    const eps = cmd.changes.some((c) => c.kind === 'episode') ? new Map(s.episodeEdits) : null;
    for (const c of cmd.changes) {
      if (c.kind === 'beat') {
        if (c.before?.status === 'added' || c.after?.status === 'added') rebuild = true;
        const at = b.indexAt(c.sample);
        const i = at < b.count && b.sample[at] === c.sample ? at : -1;
        if (shown(c.before, i) !== shown(c.after, i)) relabelled = true;
        b.setEdit(c.sample, c.after);
      } else if (c.after) eps!.set(c.key, c.after);
      else eps!.delete(c.key);
    }
    if (rebuild) b.rebuild();
    if (eps) s.episodeEdits = eps;
    if (record) this.history.push(cmd);
    s.version++;
    if (relabelled || rebuild) s.labelVersion++;
    try {
      await this.sink.save(cmd.changes, cmd.label);
    } catch (e) {
      s.error = `Could not save the review (${message(e)}). Your last action is on screen but not stored.`;
    }
  }

  private stamp(sample: number, label: ReviewLabel, status: BeatEdit['status']): BeatEdit {
    return { sample, label, status, who: this.s.reviewer, when: this.now() };
  }

  /**
   * The beats an action applies to: `samples` (a confirmed bulk action), else the selection, else the
   * current beat. Of several beats, the deleted ones are left out: a morphology group or a range
   * passing over a beat the reviewer deleted must not bring it back (one beat acted on by itself may).
   */
  private targets(samples?: readonly number[]): number[] {
    const b = this.s.beats;
    if (!b) return [];
    const sel = samples ? new Set(samples) : this.s.selection;
    if (sel.size) {
      const found = [...sel].map((x) => b.indexAt(x)).filter((i) => i < b.count && sel.has(b.sample[i]!));
      return (found.length > 1 ? found.filter((i) => !b.isDeleted(i)) : found).sort((x, y) => x - y);
    }
    const ci = this.currentIndex();
    return ci >= 0 ? [ci] : [];
  }

  /** Holds an action on many beats until the reviewer confirms it (true: held). */
  private hold(action: BulkAction, targets: readonly number[], confirmed: readonly number[] | undefined): boolean {
    const b = this.s.beats;
    if (confirmed || !needsConfirmation(targets.length) || !b) return false;
    this.s.pending = { action, samples: targets.map((i) => b.sample[i]!) };
    return true;
  }

  /** Applies the held bulk action. */
  async confirmPending(): Promise<void> {
    const p = this.s.pending;
    if (!p) return;
    this.s.pending = null;
    if (p.action.kind === 'relabel') await this.relabel(p.action.label, p.samples);
    else if (p.action.kind === 'confirm') await this.confirm(p.samples);
    else await this.deleteBeat(p.samples);
  }

  cancelPending(): void {
    this.s.pending = null;
  }

  /** A multi-beat selection is spent once an action applied to it (a fresh Set only when there was one: views redraw on a new one). */
  private spendSelection(): void {
    if (this.s.selection.size) this.s.selection = new Set();
  }

  async relabel(label: ReviewLabel, confirmed?: readonly number[]): Promise<void> {
    const b = this.s.beats;
    if (!b) return;
    const targets = this.targets(confirmed);
    if (!targets.length || this.hold({ kind: 'relabel', label }, targets, confirmed)) return;
    const changes: Change[] = targets.map((i) => {
      const before = b.edit(i);
      const predicted = b.predicted(i, this.s.threshold);
      const status = before?.status === 'added' ? 'added' : predicted >= 0 && AAMI_CLASSES[predicted] === label ? 'confirmed' : 'relabelled';
      return { kind: 'beat', sample: b.sample[i]!, before, after: this.stamp(b.sample[i]!, label, status) };
    });
    const saved = this.commit({ label: targets.length > 1 ? `relabel ${targets.length} beats ${label}` : `relabel ${label}`, changes });
    this.spendSelection();
    // on to the next flagged beat only from the beat under the cursor (a one-beat selection elsewhere leaves it)
    if (targets.length === 1 && this.s.autoAdvance && b.sample[targets[0]!] === this.s.current) this.next();
    await saved;
  }

  async confirm(confirmed?: readonly number[]): Promise<void> {
    const b = this.s.beats;
    if (!b) return;
    const targets = this.targets(confirmed);
    if (this.hold({ kind: 'confirm' }, targets, confirmed)) return;
    const changes: Change[] = targets.map((i) => {
      const before = b.edit(i);
      const status = before?.status === 'added' ? 'added' : before?.status === 'relabelled' ? 'relabelled' : 'confirmed';
      return { kind: 'beat', sample: b.sample[i]!, before, after: this.stamp(b.sample[i]!, b.label(i, this.s.threshold), status) };
    });
    const saved = this.commit({ label: targets.length > 1 ? `confirm ${targets.length} beats` : 'confirm', changes });
    this.spendSelection();
    // on to the next flagged beat only from the beat under the cursor (a one-beat selection elsewhere leaves it)
    if (targets.length === 1 && this.s.autoAdvance && b.sample[targets[0]!] === this.s.current) this.next();
    await saved;
  }

  async deleteBeat(confirmed?: readonly number[]): Promise<void> {
    const b = this.s.beats;
    if (!b) return;
    const targets = this.targets(confirmed);
    if (this.hold({ kind: 'delete' }, targets, confirmed)) return;
    const changes: Change[] = targets.map((i) => {
      const before = b.edit(i);
      // Deleting a beat the reviewer added removes it altogether.
      const after = before?.status === 'added' ? undefined : this.stamp(b.sample[i]!, 'X', 'deleted');
      return { kind: 'beat', sample: b.sample[i]!, before, after };
    });
    const saved = this.commit({ label: targets.length > 1 ? `delete ${targets.length} beats` : 'delete beat', changes });
    this.spendSelection();
    await saved;
  }

  /** Adds a beat at `sample`; one too close to a beat (a T wave) is held until a second press at the same point. */
  async addBeat(sample: number, label: ReviewLabel = 'N'): Promise<void> {
    const b = this.s.beats;
    const info = this.s.info;
    if (!b || !info) return;
    const x = Math.max(0, Math.min(info.nFrames - 1, Math.round(sample)));
    let p = b.indexAt(x) - 1;
    while (p >= 0 && b.isDeleted(p)) p--;
    let q = b.indexAt(x);
    while (q < b.count && b.isDeleted(q)) q++;
    // a deleted beat's own sample stays its edit's key: an added beat cannot share it
    const at = b.indexAt(x);
    const onDeleted = at < b.count && b.sample[at] === x && b.isDeleted(at);
    const check = onDeleted
      ? ({ ok: false, kind: 'same', message: 'A deleted beat sits at that very sample: undo its deletion instead.' } as const)
      : checkAddBeat(x, p >= 0 ? b.sample[p]! : null, q < b.count ? b.sample[q]! : null, this.fs);
    const again = this.heldAdd === x;
    this.heldAdd = -1;
    if (!check.ok && (check.kind === 'same' || !again)) {
      this.s.notice = check.message;
      if (check.kind === 'short') this.heldAdd = x;
      return;
    }
    const saved = this.commit({ label: `add beat ${label}`, changes: [{ kind: 'beat', sample: x, before: undefined, after: this.stamp(x, label, 'added') }] });
    this.s.current = x; // at once: the next key acts on the added beat, not on the one before it
    await saved;
  }

  async undo(): Promise<void> {
    const cmd = this.history.undo();
    if (cmd) await this.afterHistory(cmd);
  }

  async redo(): Promise<void> {
    const cmd = this.history.redo();
    if (cmd) await this.afterHistory(cmd);
  }

  private async afterHistory(cmd: Command): Promise<void> {
    const saved = this.commit(cmd, false);
    // An undone or redone selection action leaves no selection armed for the next key.
    this.spendSelection();
    this.s.pending = null;
    // To the step's earliest beat (an undo lists its changes last first: its first change would
    // be a selection's last beat, far along the record).
    // (a loop: a step over a whole day's beats is past what Math.min(...spread) can take)
    let first = Infinity;
    for (const c of cmd.changes) if (c.kind === 'beat' && c.sample < first) first = c.sample;
    const b = this.s.beats;
    if (first < Infinity && b) {
      const i = b.nearest(first);
      if (i >= 0) this.s.current = b.sample[i]!;
    }
    this.s.notice = cmd.label;
    await saved;
  }

  // ---- episodes ----
  async decideEpisode(key: string, status: 'confirmed' | 'rejected'): Promise<void> {
    const e = this.episodes().find((x) => x.key === key);
    if (!e) return;
    const { base: _b, ...rest } = e;
    const after: EpisodeEdit = { ...rest, status, reviewer: this.s.reviewer, reviewedAt: this.now() };
    await this.commit({
      label: `${status === 'confirmed' ? 'confirm' : 'reject'} ${episodeName(e)}`,
      changes: [{ kind: 'episode', key, before: this.s.episodeEdits.get(key), after }],
    });
  }

  async resizeEpisode(key: string, onsetSample: number, offsetSample: number): Promise<void> {
    const e = this.episodes().find((x) => x.key === key);
    const info = this.s.info;
    if (!e || !info) return;
    const on = Math.max(0, Math.min(onsetSample, offsetSample));
    const off = Math.min(info.nFrames, Math.max(onsetSample, offsetSample));
    if (off - on < 1) return;
    const { base: _b, ...rest } = e;
    const status = e.status === 'added' ? 'added' : 'resized';
    const after: EpisodeEdit = { ...rest, onsetSample: on, offsetSample: off, status, reviewer: this.s.reviewer, reviewedAt: this.now() };
    await this.commit({ label: `resize ${episodeName(e)}`, changes: [{ kind: 'episode', key, before: this.s.episodeEdits.get(key), after }] });
  }

  async addEpisode(type: EpisodeType, onsetSample: number, offsetSample: number): Promise<void> {
    if (offsetSample <= onsetSample) return;
    const key = episodeKey({ source: 'reviewer', type, onsetSample });
    const reviewer = this.s.reviewer;
    const after: EpisodeEdit = {
      key,
      type,
      onsetSample,
      offsetSample,
      confidence: 1,
      explanation: `added by ${reviewer}`,
      status: 'added',
      reviewer,
      reviewedAt: this.now(),
    };
    await this.commit({ label: `add ${type}`, changes: [{ kind: 'episode', key, before: this.s.episodeEdits.get(key), after }] });
  }

  // ---- navigation and selection ----
  /**
   * To the beat nearest `sample`. A jump spends the selection (a label key then acts on the beat
   * jumped to, not on beats left behind, perhaps off screen) unless `keepSelection`: the morphology
   * panel's jumps among the beats it selected.
   */
  goTo(sample: number, keepSelection = false): void {
    const b = this.s.beats;
    if (!b) return;
    const i = b.nearest(sample);
    if (i < 0) return;
    if (!keepSelection) this.spendSelection();
    this.s.current = b.sample[i]!;
  }

  /** Next / previous flagged beat in queue order. */
  next(step = 1): void {
    const s = this.s;
    const b = s.beats;
    const pos = this.queuePos(step);
    if (!b || pos === null) return;
    this.restartQueue = false;
    if (pos < 0) {
      s.notice = step > 0 ? 'End of the flagged-beat queue.' : 'Start of the flagged-beat queue.';
      return;
    }
    s.current = b.sample[this.queue()[pos]!]!;
    this.spendSelection();
    this.sink.saveCursor(s.current);
  }

  /** The sample next(step) would go to, -1 for none (the views fetch its signal ahead). */
  peek(step = 1): number {
    const b = this.s.beats;
    const pos = this.queuePos(step);
    return b && pos !== null && pos >= 0 ? b.sample[this.queue()[pos]!]! : -1;
  }

  /** The queue position a step lands on (-1 past either end), null with no queue. */
  private queuePos(step: number): number | null {
    const s = this.s;
    const b = s.beats;
    const q = this.queue();
    if (!b || !q.length) return null;
    const ci = this.currentIndex();
    return queueStep(
      {
        queue: q,
        at: ci >= 0 ? q.indexOf(ci) : -1,
        current: s.current,
        sampleOf: (i) => b.sample[i]!,
        reviewed: (i) => b.isReviewed(i),
        order: s.queueOrder,
        restart: this.restartQueue,
      },
      step
    );
  }

  /** Next / previous beat in time; with `extend`, grows the selection. */
  step(dir: 1 | -1, extend = false): void {
    const s = this.s;
    const b = s.beats;
    if (!b || !b.count) return;
    const cur = this.currentIndex();
    const ci = cur >= 0 ? cur : b.nearest(Math.max(0, s.current));
    const ni = Math.max(0, Math.min(b.count - 1, ci + dir));
    if (extend) {
      // a range from the beat it started on to the current one (stepping back shrinks it), added to
      // the selection it started from; a selection changed since then starts a new range
      if (!this.range || this.range.made !== s.selection) this.range = { anchor: b.sample[ci]!, base: s.selection, made: s.selection };
      const ai = b.indexAt(this.range.anchor);
      const sel = new Set(this.range.base);
      for (let i = Math.min(ai, ni); i <= Math.max(ai, ni) && i < b.count; i++) sel.add(b.sample[i]!);
      s.selection = this.range.made = sel;
    } else this.spendSelection();
    s.current = b.sample[ni]!;
  }

  select(samples: Iterable<number>): void {
    this.s.selection = new Set(samples);
  }

  /** A new queue order: the next J / K starts it at its first unreviewed beat. */
  setQueueOrder(order: QueueOrder): void {
    if (order !== this.s.queueOrder) this.restartQueue = true;
    this.s.queueOrder = order;
  }
}
