// The review session: the open record, its beats and episodes under review, the reviewer's
// actions (each one undoable and written to IndexedDB at once), the threshold and the queue.
// Components read its runes and call its methods; drawing lives in the plain modules.
import { untrack } from 'svelte';
import type { Api, RecordInfo } from '../../../shared/contract';
import type { Analysis, EpisodeType } from '../../../shared/analysis';
import { AAMI_CLASSES } from '../../../shared/analysis';
import { REVIEW_FORMAT, type AnnotationSet, type ExportFormat, type ExportResult, type ReviewExport, type ReviewLabel } from '../../../shared/review';
import { LABEL_ORDER, ReviewBeats, countFlagged, flaggedQueue, type BeatEdit, type BeatSource } from './beats';
import { History, type Change, type Command, type EpisodeEdit } from './history';
import { clipAnnotations, episodeKey, mergeEpisodes, referenceEpisodes, type ReviewEpisodeView } from './episodes';
import type { ReviewStore, RecordRow, ReportStrip } from './db';
import { formatHms } from './time';
import { reviewSummary, type ReviewSummary } from './review-summary';
import { needsConfirmation, type BulkAction, type PendingBulk } from './bulk';
import { queueStep } from './queue';
import { recordPathOf } from './record-path';
import { checkAddBeat } from './add-beat';
import { rrSeries, type RrSeries } from './rr';
import { DEFAULT_SCAN_SETTINGS, isDefaultScan, scanSettingsOf, type ScanSettings } from '../../../shared/scan-settings';

export const DEFAULT_THRESHOLD = 0.5;
/** Quiet time after the last edit before the summary is counted again. */
const SUMMARY_QUIET_MS = 250;

function safeJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class Session {
  info = $state.raw<RecordInfo | null>(null);
  hash = $state('');
  analysis = $state.raw<Analysis | null>(null);
  reference = $state.raw<AnnotationSet | null>(null);
  beats = $state.raw<ReviewBeats | null>(null);
  /** Bumped on every change to beats or episodes: views redraw on it. */
  version = $state(0);
  /** Bumped only when a change alters a beat's shown label (not on a confirmation): views coloured by label redraw on it. */
  labelVersion = $state(0);
  threshold = $state(DEFAULT_THRESHOLD);
  /** Holter scan settings (pause limit, VT / SVT criteria): re-cut episodes and the summary, never re-run the models. */
  scan = $state.raw<ScanSettings>({ ...DEFAULT_SCAN_SETTINGS });
  queueOrder = $state<'time' | 'uncertainty'>('time');
  /** Strips marked for the report ("add to report"), kept with the record's review. */
  reportStrips = $state.raw<readonly ReportStrip[]>([]);
  /** Sample of the current beat (-1: none). */
  current = $state(-1);
  /** Samples of selected beats (Poincaré box, range selection). */
  selection = $state.raw<ReadonlySet<number>>(new Set());
  /** A folder typed in the path field: its records to pick from. */
  folder = $state.raw<{ dir: string; records: string[] } | null>(null);
  /** An action on more beats than BULK_CONFIRM_ABOVE, waiting for the reviewer's confirmation. */
  pending = $state.raw<PendingBulk | null>(null);
  reviewer = $state('reviewer');
  error = $state<string | null>(null);
  notice = $state<string | null>(null);
  busy = $state<string | null>(null);
  progress = $state<{ stage: string; fraction: number; etaSec: number | null } | null>(null);
  recent = $state.raw<RecordRow[]>([]);
  episodeEdits = $state.raw<ReadonlyMap<string, EpisodeEdit>>(new Map());
  autoAdvance = $state(true);
  exportFormat = $state<ExportFormat>('wfdb');
  exportAnnotator = $state('rev');
  /** Export folder; empty: beside the record (the bundled demo: the data folder). */
  exportDir = $state('');
  lastExport = $state<string | null>(null);
  /** Set when an export would replace the record's .atr: the next export confirms it. */
  confirmAtr = $state(false);
  /** The file a refused overwrite named: the next export confirms that file and no other. */
  confirmFile: string | null = null;

  /** The running analysis job, if any. */
  job = $state<string | null>(null);
  /** The finished job behind `analysis` (re-labelled at a new threshold by main for the summary). */
  private doneJob: string | null = null;
  private relabelTimer: ReturnType<typeof setTimeout> | null = null;

  readonly history = new History();
  private thresholdChosen = false;
  /** The queue order changed: the next J / K starts the new order from its start. */
  private restartQueue = false;
  /** A beat add the check held (too close to a beat): a second press at the same point adds it. */
  private heldAdd = -1;
  private baseEpisodes: Analysis['episodes'] = [];
  private thresholdTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    readonly api: Api,
    readonly store: ReviewStore,
  ) {
    $effect.root(() => {
      $effect(() => {
        const inputs = this.summaryInputs;
        // no record, or a record's first summary: at once (no other record's figures shown meanwhile)
        if (!inputs || inputs.path !== this.summaryFor) {
          if (this.summaryTimer) clearTimeout(this.summaryTimer);
          untrack(() => this.countSummary());
        } else this.summaryLater();
      });
    });
  }

  get fs(): number {
    return this.info?.fs ?? 1;
  }

  // ---- derived views of the state (recomputed on version/threshold) ----
  queue = $derived.by(() => {
    void this.version;
    return this.beats ? flaggedQueue(this.beats, this.threshold, this.queueOrder) : new Int32Array(0);
  });

  flaggedCount = $derived(countFlagged(this.analysis?.beats.pvcScore ?? null, this.threshold));

  reviewedInQueue = $derived.by(() => {
    void this.version;
    const b = this.beats;
    if (!b) return 0;
    let n = 0;
    for (const i of this.queue) if (b.isReviewed(i)) n++;
    return n;
  });

  reviewedTotal = $derived.by(() => {
    void this.version;
    if (!this.beats) return 0;
    let n = 0;
    for (const e of this.beats.edits.values()) if (e.status !== 'unreviewed') n++;
    return n;
  });

  episodes = $derived.by((): ReviewEpisodeView[] => {
    void this.version;
    return mergeEpisodes(this.baseEpisodes, this.episodeEdits);
  });

  /**
   * RR series of the kept beats, for the Poincaré plot and the tachogram: the same object until a
   * beat is deleted, added or restored (a relabel or a confirmation moves no point).
   */
  rr = $derived.by((): RrSeries | null => {
    void this.version;
    const b = this.beats;
    if (!b || !this.info) return null;
    const key = b.layoutKey();
    if (this.rrCache?.beats === b && this.rrCache.key === key) return this.rrCache.rr;
    const rr = rrSeries(b, this.info.fs);
    this.rrCache = { beats: b, key, rr };
    return rr;
  });
  private rrCache: { beats: ReviewBeats; key: string; rr: RrSeries } | null = null;

  /**
   * The summary of the review (final labels, episode decisions): what the reviewer signs. Counted
   * over every beat (tens of milliseconds on a 24-h Holter), so not inside the key press that
   * changed it: once a burst of edits pauses (summaryLater).
   */
  summary = $state.raw<ReviewSummary | null>(null);
  /** What the summary is counted from; reading it tracks every input. */
  private summaryInputs = $derived.by(() => {
    void this.version;
    const b = this.beats;
    const info = this.info;
    return b && info ? { b, path: info.path, t: this.threshold, episodes: this.episodes, fs: info.fs, durationSec: info.durationSec, scan: this.scan } : null;
  });
  private summaryTimer: ReturnType<typeof setTimeout> | null = null;
  /** The record the summary was counted for. */
  private summaryFor = '';
  /**
   * Counts the summary once the edits pause (SUMMARY_QUIET_MS after the last): a reviewer going
   * through beats at a key a beat never waits behind a count over every beat.
   */
  private summaryLater(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = null;
      this.countSummary();
    }, SUMMARY_QUIET_MS);
  }
  private countSummary(): void {
    const x = this.summaryInputs;
    this.summaryFor = x?.path ?? '';
    this.summary = x ? reviewSummary(x.b, x.t, x.episodes, { fs: x.fs, durationSec: x.durationSec, scan: x.scan }) : null;
  }

  currentIndex = $derived.by(() => {
    void this.version;
    if (!this.beats || this.current < 0) return -1;
    const i = this.beats.indexAt(this.current);
    return i < this.beats.count && this.beats.sample[i] === this.current ? i : -1;
  });

  // ---- opening ----
  async init(): Promise<void> {
    this.api.on('progress', (p) => {
      if (p.jobId === this.job) this.progress = { stage: p.stage, fraction: p.fraction, etaSec: p.etaSec };
    });
    this.reviewer = await this.store.setting('reviewer', 'reviewer');
    this.autoAdvance = await this.store.setting('autoAdvance', true);
    this.scan = scanSettingsOf(safeJson(await this.store.setting('scanSettings', '')));
    this.recent = await this.store.recent();
  }

  async openDemo(): Promise<void> {
    await this.load('Opening the demo record…', () => this.api.invoke('record:demo', {}));
  }

  /** The desktop app's file dialog. */
  async choose(): Promise<void> {
    try {
      const { path } = await this.api.invoke('record:choose', {});
      if (path) await this.open(path);
    } catch (e) {
      this.error = message(e);
    }
  }

  /** The desktop app's folder dialog: the chosen folder becomes the export folder (main allows it for exports). */
  async chooseExportFolder(): Promise<void> {
    try {
      const { path } = await this.api.invoke('export:chooseFolder', {});
      if (path) this.exportDir = path;
    } catch (e) {
      this.error = message(e);
    }
  }

  async open(path: string): Promise<void> {
    const r = recordPathOf(path);
    if ('error' in r) {
      this.error = r.error;
      return;
    }
    // a folder lists its records to pick from (an ordinary record path is not a folder)
    const listed = await this.api.invoke('record:list', { dir: r.path }).catch(() => null);
    if (listed?.folder) {
      if (listed.records.length) this.folder = { dir: listed.dir, records: listed.records };
      else this.error = `No records (.hea files) in ${listed.dir}.`;
      return;
    }
    this.folder = null;
    await this.load(`Opening ${r.path}…`, () => this.api.invoke('record:open', { path: r.path }));
    if (r.note && !this.error) this.notice = r.note;
  }

  private async load(what: string, get: () => Promise<RecordInfo>): Promise<void> {
    this.busy = what;
    this.error = null;
    try {
      const info = await get();
      const { hash } = await this.api.invoke('record:hash', { path: info.path });
      const reference = info.annotators.includes('atr') ? clipAnnotations(await this.api.invoke('record:annotations', { path: info.path, annotator: 'atr' }), info.nSamples) : null;
      const row = await this.store.openRecord(hash, info.name, info.path);
      const saved = await this.store.load(hash);
      const defaultT = await this.store.setting('defaultThreshold', -1);
      if (this.job) void this.cancelAnalysis();
      this.history.clear();
      this.doneJob = null;
      this.info = info;
      this.hash = hash;
      this.reference = reference;
      this.analysis = null;
      this.thresholdChosen = row.threshold !== undefined || defaultT >= 0;
      this.threshold = row.threshold ?? (defaultT >= 0 ? defaultT : DEFAULT_THRESHOLD);
      this.queueOrder = row.queueOrder ?? 'time';
      this.reportStrips = row.reportStrips ?? [];
      this.baseEpisodes = reference ? referenceEpisodes(reference, info.nSamples) : [];
      this.episodeEdits = new Map(saved.episodes.map((e) => [e.key, e]));
      this.setBeats(this.referenceSource(reference), saved.beats);
      this.current = row.cursor ?? -1;
      this.selection = new Set();
      this.pending = null;
      this.recent = await this.store.recent();
      await this.store.setSetting('lastRecord', info.path);
      this.busy = null;
      void this.analyse();
    } catch (e) {
      this.error = message(e);
    } finally {
      this.busy = null;
    }
  }

  /** Runs the analysis of the open record in main (a worker there), with progress; the review goes on meanwhile. */
  async analyse(): Promise<void> {
    const info = this.info;
    if (!info) return;
    let jobId: string | null = null;
    try {
      ({ jobId } = await this.api.invoke('analysis:run', { path: info.path, ...(this.thresholdChosen ? { threshold: this.threshold } : {}) }));
      this.job = jobId;
      this.progress = { stage: 'starting', fraction: 0, etaSec: null };
      const a = await this.api.invoke('analysis:result', { jobId });
      if (this.info?.path !== info.path) return;
      if (!this.thresholdChosen) this.threshold = a.threshold;
      this.useAnalysis(a);
      this.doneJob = jobId;
      if (Math.abs(a.threshold - this.threshold) > 1e-9 || !isDefaultScan(this.scan)) this.refreshSummary();
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'CANCELLED') this.notice = 'Analysis cancelled: showing the reference annotations.';
      else if (this.info?.path === info.path) this.error = `Analysis of ${info.name} failed: ${message(e)}`;
    } finally {
      if (this.job === jobId) {
        this.job = null;
        this.progress = null;
      }
    }
  }

  async cancelAnalysis(): Promise<void> {
    const jobId = this.job;
    if (!jobId) return;
    this.job = null;
    this.progress = null;
    try {
      await this.api.invoke('analysis:cancel', { jobId });
    } catch (e) {
      this.error = message(e);
    }
  }

  private referenceSource(ref: AnnotationSet | null): BeatSource {
    const idx: number[] = [];
    if (ref) for (let i = 0; i < ref.sample.length; i++) if (ref.aami[i]! >= 0) idx.push(i);
    return {
      origin: 'reference',
      sample: Int32Array.from(idx, (i) => ref!.sample[i]!),
      probs: null,
      pvcScore: null,
      baseLabel: Uint8Array.from(idx, (i) => ref!.aami[i]!),
    };
  }

  private setBeats(source: BeatSource, edits: readonly BeatEdit[]): void {
    const b = new ReviewBeats(source, this.reference, Math.round(0.15 * this.fs));
    for (const e of edits) b.setEdit(e.sample, e);
    b.rebuild();
    this.beats = b;
    this.version++;
    this.labelVersion++;
  }

  /** Lays an analysis result under the review (keeps the reviewer's edits). */
  useAnalysis(a: Analysis): void {
    if (!this.info || !this.beats) return;
    if (a.recordHash && a.recordHash !== this.hash) {
      this.error = `The analysis is for another record (${a.record}).`;
      return;
    }
    this.analysis = a;
    this.baseEpisodes = a.episodes;
    const edits = [...this.beats.edits.values()];
    this.setBeats({ origin: 'analysis', sample: a.beats.sample, probs: a.beats.probs, pvcScore: a.beats.pvcScore, baseLabel: a.beats.label }, edits);
  }

  // ---- applying actions ----
  private async commit(cmd: Command, record = true): Promise<void> {
    const b = this.beats;
    if (!b || !cmd.changes.length) return;
    let rebuild = false;
    let relabelled = false;
    // the label shown without an edit is the prediction (cached per threshold, untouched by edits)
    const pred = b.predictedCodes(this.threshold);
    const shown = (e: BeatEdit | undefined, i: number) => (e ? e.label : i >= 0 && pred[i]! >= 0 ? LABEL_ORDER[pred[i]!] : null);
    const eps = new Map(this.episodeEdits);
    for (const c of cmd.changes) {
      if (c.kind === 'beat') {
        if (c.before?.status === 'added' || c.after?.status === 'added') rebuild = true;
        const at = b.indexAt(c.sample);
        const i = at < b.count && b.sample[at] === c.sample ? at : -1;
        if (shown(c.before, i) !== shown(c.after, i)) relabelled = true;
        b.setEdit(c.sample, c.after);
      } else if (c.after) eps.set(c.key, c.after);
      else eps.delete(c.key);
    }
    if (rebuild) b.rebuild();
    this.episodeEdits = eps;
    if (record) this.history.push(cmd);
    this.version++;
    if (relabelled || rebuild) this.labelVersion++;
    try {
      await this.store.apply(this.hash, cmd.changes, this.reviewer, cmd.label);
    } catch (e) {
      this.error = `Could not save the review (${message(e)}). Your last action is on screen but not stored.`;
    }
  }

  private stamp(sample: number, label: ReviewLabel, status: BeatEdit['status']): BeatEdit {
    return { sample, label, status, who: this.reviewer, when: new Date().toISOString() };
  }

  /** The beats an action applies to: `samples` (a confirmed bulk action), else the selection, else the current beat. */
  private targets(samples?: readonly number[]): number[] {
    const b = this.beats;
    if (!b) return [];
    const sel = samples ? new Set(samples) : this.selection;
    if (sel.size) return [...sel].map((s) => b.indexAt(s)).filter((i) => i < b.count && sel.has(b.sample[i]!)).sort((x, y) => x - y);
    return this.currentIndex >= 0 ? [this.currentIndex] : [];
  }

  /** Holds an action on many beats until the reviewer confirms it (true: held). */
  private hold(action: BulkAction, targets: readonly number[], confirmed: readonly number[] | undefined): boolean {
    if (confirmed || !needsConfirmation(targets.length) || !this.beats) return false;
    const b = this.beats;
    this.pending = { action, samples: targets.map((i) => b.sample[i]!) };
    return true;
  }

  /** Applies the held bulk action. */
  async confirmPending(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    if (p.action.kind === 'relabel') await this.relabel(p.action.label, p.samples);
    else if (p.action.kind === 'confirm') await this.confirm(p.samples);
    else await this.deleteBeat(p.samples);
  }

  cancelPending(): void {
    this.pending = null;
  }

  /** A multi-beat selection is spent once an action applied to it. */
  private spendSelection(): void {
    if (this.selection.size) this.selection = new Set();
  }

  async relabel(label: ReviewLabel, confirmed?: readonly number[]): Promise<void> {
    const b = this.beats;
    if (!b) return;
    const targets = this.targets(confirmed);
    if (!targets.length) return;
    if (this.hold({ kind: 'relabel', label }, targets, confirmed)) return;
    const changes: Change[] = targets.map((i) => {
      const before = b.edit(i);
      const predicted = b.predicted(i, this.threshold);
      const status = before?.status === 'added' ? 'added' : predicted >= 0 && AAMI_CLASSES[predicted] === label ? 'confirmed' : 'relabelled';
      return { kind: 'beat', sample: b.sample[i]!, before, after: this.stamp(b.sample[i]!, label, status) };
    });
    // commit() applies in memory before its first await (the store write): move on at once, so a
    // key pressed while the write is pending (N then K) acts on the beat the reviewer sees.
    const saved = this.commit({ label: targets.length > 1 ? `relabel ${targets.length} beats ${label}` : `relabel ${label}`, changes });
    this.spendSelection();
    if (targets.length === 1 && this.autoAdvance) this.next();
    await saved;
  }

  async confirm(confirmed?: readonly number[]): Promise<void> {
    const b = this.beats;
    if (!b) return;
    const targets = this.targets(confirmed);
    if (this.hold({ kind: 'confirm' }, targets, confirmed)) return;
    const changes: Change[] = targets.map((i) => {
      const before = b.edit(i);
      return { kind: 'beat', sample: b.sample[i]!, before, after: this.stamp(b.sample[i]!, b.label(i, this.threshold), before?.status === 'added' ? 'added' : before?.status === 'relabelled' ? 'relabelled' : 'confirmed') };
    });
    const saved = this.commit({ label: targets.length > 1 ? `confirm ${targets.length} beats` : 'confirm', changes });
    this.spendSelection();
    if (targets.length === 1 && this.autoAdvance) this.next();
    await saved;
  }

  async deleteBeat(confirmed?: readonly number[]): Promise<void> {
    const b = this.beats;
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

  async addBeat(sample: number, label: ReviewLabel = 'N'): Promise<void> {
    const b = this.beats;
    if (!b || !this.info) return;
    const s = Math.max(0, Math.min(this.info.nSamples - 1, Math.round(sample)));
    let p = b.indexAt(s) - 1;
    while (p >= 0 && b.isDeleted(p)) p--;
    let q = b.indexAt(s);
    while (q < b.count && b.isDeleted(q)) q++;
    // a deleted beat's own sample stays its edit's key: an added beat cannot share it
    const check = b.indexAt(s) < b.count && b.sample[b.indexAt(s)] === s && b.isDeleted(b.indexAt(s)) ? ({ ok: false, kind: 'same', message: 'A deleted beat sits at that very sample: undo its deletion instead.' } as const) : checkAddBeat(s, p >= 0 ? b.sample[p]! : null, q < b.count ? b.sample[q]! : null, this.fs);
    const again = this.heldAdd === s;
    this.heldAdd = -1;
    if (!check.ok && (check.kind === 'same' || !again)) {
      this.notice = check.message;
      if (check.kind === 'short') this.heldAdd = s;
      return;
    }
    await this.commit({ label: `add beat ${label}`, changes: [{ kind: 'beat', sample: s, before: undefined, after: this.stamp(s, label, 'added') }] });
    this.current = s;
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
    this.pending = null;
    // To the step's earliest beat (an undo lists its changes last first: its first change would
    // be a selection's last beat, far along the record).
    const touched = cmd.changes.flatMap((c) => (c.kind === 'beat' ? [c.sample] : []));
    if (touched.length && this.beats) {
      const i = this.beats.nearest(Math.min(...touched));
      if (i >= 0) this.current = this.beats.sample[i]!;
    }
    this.notice = cmd.label;
    await saved;
  }

  // ---- episodes ----
  async decideEpisode(key: string, status: 'confirmed' | 'rejected'): Promise<void> {
    const e = this.episodes.find((x) => x.key === key);
    if (!e) return;
    const before = this.episodeEdits.get(key);
    const { base: _b, ...rest } = e;
    await this.commit({ label: `${status === 'confirmed' ? 'confirm' : 'reject'} ${e.type}`, changes: [{ kind: 'episode', key, before, after: { ...rest, status, reviewer: this.reviewer, reviewedAt: new Date().toISOString() } }] });
  }

  async resizeEpisode(key: string, onsetSample: number, offsetSample: number): Promise<void> {
    const e = this.episodes.find((x) => x.key === key);
    if (!e || !this.info) return;
    const on = Math.max(0, Math.min(onsetSample, offsetSample));
    const off = Math.min(this.info.nSamples, Math.max(onsetSample, offsetSample));
    if (off - on < 1) return;
    const before = this.episodeEdits.get(key);
    const { base: _b, ...rest } = e;
    const status = e.status === 'added' ? 'added' : 'resized';
    await this.commit({ label: `resize ${e.type}`, changes: [{ kind: 'episode', key, before, after: { ...rest, onsetSample: on, offsetSample: off, status, reviewer: this.reviewer, reviewedAt: new Date().toISOString() } }] });
  }

  async addEpisode(type: EpisodeType, onsetSample: number, offsetSample: number): Promise<void> {
    if (offsetSample <= onsetSample) return;
    const key = episodeKey({ source: 'reviewer', type, onsetSample });
    const after: EpisodeEdit = { key, type, onsetSample, offsetSample, confidence: 1, explanation: `added by ${this.reviewer}`, status: 'added', reviewer: this.reviewer, reviewedAt: new Date().toISOString() };
    await this.commit({ label: `add ${type}`, changes: [{ kind: 'episode', key, before: this.episodeEdits.get(key), after }] });
  }

  // ---- navigation ----
  goTo(sample: number): void {
    const b = this.beats;
    if (!b) return;
    const i = b.nearest(sample);
    if (i >= 0) this.current = b.sample[i]!;
  }

  /** Next / previous flagged beat in queue order. */
  next(step = 1): void {
    const b = this.beats;
    const q = this.queue;
    if (!b || !q.length) return;
    const ci = this.currentIndex;
    const pos = queueStep({ queue: q, at: ci >= 0 ? q.indexOf(ci) : -1, current: this.current, sampleOf: (i) => b.sample[i]!, reviewed: (i) => b.isReviewed(i), order: this.queueOrder, restart: this.restartQueue }, step);
    this.restartQueue = false;
    if (pos < 0) {
      this.notice = step > 0 ? 'End of the flagged-beat queue.' : 'Start of the flagged-beat queue.';
      return;
    }
    this.current = b.sample[q[pos]!]!;
    // a fresh Set only when there was a selection: every view that draws the selection redraws on a new one
    this.spendSelection();
    this.saveCursor();
  }

  /** Next / previous beat in time; with `extend`, grows the selection. */
  step(dir: 1 | -1, extend = false): void {
    const b = this.beats;
    if (!b || !b.count) return;
    const ci = this.currentIndex >= 0 ? this.currentIndex : b.nearest(Math.max(0, this.current));
    const ni = Math.max(0, Math.min(b.count - 1, ci + dir));
    if (extend) {
      const sel = new Set(this.selection);
      sel.add(b.sample[ci]!);
      sel.add(b.sample[ni]!);
      this.selection = sel;
    } else this.spendSelection();
    this.current = b.sample[ni]!;
  }

  select(samples: Iterable<number>): void {
    this.selection = new Set(samples);
  }

  private cursorTimer: ReturnType<typeof setTimeout> | null = null;
  private saveCursor(): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    const hash = this.hash;
    const cursor = this.current;
    this.cursorTimer = setTimeout(() => void this.store.updateRecord(hash, { cursor }), 300);
  }

  // ---- threshold ----
  setThreshold(t: number): void {
    this.thresholdChosen = true;
    this.threshold = Math.round(Math.max(0, Math.min(1, t)) * 1000) / 1000;
    if (this.thresholdTimer) clearTimeout(this.thresholdTimer);
    const hash = this.hash;
    const value = this.threshold;
    this.thresholdTimer = setTimeout(() => void this.store.updateRecord(hash, { threshold: value }), 200);
    this.refreshSummary();
  }

  /** Summary and threshold-dependent episodes (VT runs, bigeminy) at the current threshold, from main (no model run). */
  private refreshSummary(): void {
    if (this.relabelTimer) clearTimeout(this.relabelTimer);
    const jobId = this.doneJob;
    if (!jobId) return;
    this.relabelTimer = setTimeout(async () => {
      const t = this.threshold;
      try {
        const scan = this.scan;
        const a = await this.api.invoke('analysis:threshold', { jobId, threshold: t, scan });
        if (this.doneJob !== jobId || !this.analysis || this.threshold !== t || this.scan !== scan) return;
        this.analysis = { ...this.analysis, summary: a.summary, episodes: a.episodes, threshold: a.threshold };
        this.baseEpisodes = a.episodes;
        this.version++;
      } catch (e) {
        this.error = `Could not update the summary: ${message(e)}`;
      }
    }, 250);
  }

  // ---- scan settings ----
  /** Changes scan settings (a value outside its range keeps the current one); episodes and the summary follow. */
  setScan(change: Partial<ScanSettings>): void {
    const next = scanSettingsOf({ ...this.scan, ...change });
    for (const k of Object.keys(change) as (keyof ScanSettings)[]) if (next[k] !== change[k]) next[k] = this.scan[k];
    this.scan = next;
    this.version++;
    void this.store.setSetting('scanSettings', JSON.stringify(next));
    // the summary follows at once; the analysis's pauses and VT runs come back re-cut from main
    this.refreshSummary();
  }

  async saveDefaultThreshold(): Promise<void> {
    await this.store.setSetting('defaultThreshold', this.threshold);
    this.notice = `Default threshold set to ${this.threshold.toFixed(2)}.`;
  }

  async setQueueOrder(order: 'time' | 'uncertainty'): Promise<void> {
    if (order !== this.queueOrder) this.restartQueue = true;
    this.queueOrder = order;
    await this.store.updateRecord(this.hash, { queueOrder: order });
  }

  /** Marks the trace's view (its first 10 s) for the report's event strips (once per strip). */
  async addReportStrip(view: { startSec: number; spanSec: number }): Promise<void> {
    const midSec = view.startSec + Math.min(view.spanSec, 10) / 2;
    const fs = this.info?.fs;
    if (!fs || !this.hash) return;
    const sample = Math.max(0, Math.round(midSec * fs));
    if (this.reportStrips.some((r) => Math.abs(r.sample - sample) < 5 * fs)) {
      this.notice = 'This strip is already in the report.';
      return;
    }
    this.reportStrips = [...this.reportStrips, { sample, note: `marked at ${formatHms(midSec)}` }].sort((a, b) => a.sample - b.sample);
    await this.store.updateRecord(this.hash, { reportStrips: [...this.reportStrips] });
    this.notice = `Strip at ${formatHms(midSec)} added to the report (${this.reportStrips.length} marked).`;
  }

  async clearReportStrips(): Promise<void> {
    this.reportStrips = [];
    if (this.hash) await this.store.updateRecord(this.hash, { reportStrips: [] });
  }

  async setReviewer(name: string): Promise<void> {
    const n = name.trim();
    if (!n) return;
    this.reviewer = n;
    await this.store.setSetting('reviewer', n);
  }

  // ---- export / import ----
  reviewExport(): ReviewExport {
    const b = this.beats;
    const info = this.info;
    if (!b || !info) throw new Error('No record is open.');
    const beats: ReviewExport['beats'] = [];
    for (let i = 0; i < b.count; i++) {
      const e = b.edit(i);
      const p = b.predicted(i, this.threshold);
      const score = b.score(i);
      const ref = b.ref[i]!;
      beats.push({
        sample: b.sample[i]!,
        label: b.label(i, this.threshold),
        status: e?.status ?? 'unreviewed',
        ...(p >= 0 && this.analysis ? { predicted: AAMI_CLASSES[p]! } : {}),
        ...(Number.isFinite(score) ? { pvcScore: score } : {}),
        ...(ref >= 0 ? { reference: AAMI_CLASSES[ref]! } : {}),
        ...(e ? { reviewer: e.who, reviewedAt: e.when } : {}),
      });
    }
    const episodes = this.episodes.map(({ base: _b, key: _k, ...e }) => e);
    return { format: REVIEW_FORMAT, version: 1, record: { name: info.name, hash: this.hash, fs: info.fs }, threshold: this.analysis ? this.threshold : null, exportedAt: new Date().toISOString(), reviewer: this.reviewer, beats, episodes };
  }

  /** Exports in the chosen format; a refused overwrite arms `confirmAtr` so the next call confirms the file it named. */
  async exportReview(): Promise<ExportResult | null> {
    if (!this.info) return null;
    const confirmOverwrite = this.confirmAtr ? this.confirmFile : null;
    this.confirmAtr = false;
    this.confirmFile = null;
    try {
      const res = await this.api.invoke('export:write', { recordPath: this.info.path, format: this.exportFormat, annotator: this.exportAnnotator, ...(confirmOverwrite ? { confirmOverwrite } : {}), review: this.reviewExport(), ...(this.exportDir.trim() ? { outDir: this.exportDir.trim() } : {}) });
      this.notice = `Exported ${res.beats} beats and ${res.episodes} episodes to ${res.file}`;
      this.lastExport = res.file;
      return res;
    } catch (e) {
      const { code, file } = e as { code?: string; file?: string };
      if (code === 'CONFIRM_OVERWRITE' && file) {
        this.confirmFile = file;
        this.confirmAtr = true;
      }
      this.error = message(e);
      return null;
    }
  }

  /** Continues a review from an exported file: its reviewed beats and episode decisions become edits (one undoable step). */
  async importReview(file: string): Promise<void> {
    const b = this.beats;
    if (!b || !this.info) return;
    try {
      const r = await this.api.invoke('export:import', { file: file.trim(), recordPath: this.info.path });
      if (r.record.hash && r.record.hash !== this.hash) throw new Error(`${file} belongs to another record (${r.record.name}).`);
      const scale = r.record.fs > 1 && r.record.fs !== this.fs ? this.fs / r.record.fs : 1;
      const changes: Change[] = [];
      for (const rb of r.beats) {
        if (rb.status === 'unreviewed') continue;
        const s = Math.round(rb.sample * scale);
        const i = b.nearest(s);
        const exists = i >= 0 && b.sample[i] === s;
        const status = !exists && rb.status !== 'deleted' ? 'added' : rb.status;
        if (!exists && rb.status === 'deleted') continue;
        changes.push({ kind: 'beat', sample: s, before: exists ? b.edit(i) : undefined, after: { sample: s, label: rb.label, status, who: rb.reviewer ?? r.reviewer ?? this.reviewer, when: rb.reviewedAt ?? r.exportedAt ?? new Date().toISOString() } });
      }
      for (const re of r.episodes) {
        if (re.status === 'unreviewed') continue;
        const key = episodeKey({ source: re.status === 'added' ? 'reviewer' : (this.analysis ? 'model' : 'reference'), type: re.type, onsetSample: re.onsetSample });
        const match = this.episodes.find((x) => x.type === re.type && Math.abs(x.onsetSample - re.onsetSample) <= this.fs);
        const k = match?.key ?? key;
        changes.push({ kind: 'episode', key: k, before: this.episodeEdits.get(k), after: { ...re, key: k } });
      }
      await this.commit({ label: `import ${changes.length} decisions`, changes });
      this.notice = `Imported ${changes.length} reviewed beats and episode decisions from ${file}.`;
    } catch (e) {
      this.error = message(e);
    }
  }
}
