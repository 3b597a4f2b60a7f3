// The session as Svelte runes: the state every view draws from, given to the plain review model
// (commands, undo, navigation, selection) and record store (opening, analysis, settings, export)
// that act on it, and the review summary counted once the edits pause. Components read its
// fields and call `session.review` and `session.record`.
import { untrack } from 'svelte';
import type { Api, RecordInfo } from '../../../shared/contract';
import type { Analysis } from '../../../shared/analysis';
import type { AnnotationSet, ExportFormat } from '../../../shared/review';
import { DEFAULT_SCAN_SETTINGS, type ScanSettings } from '../../../shared/scan-settings';
import type { ReviewBeats } from './beats';
import type { PendingBulk } from './bulk';
import type { RecordRow, ReportStrip, ReviewStore } from './db';
import { reviewSummary, type ReviewSummary } from './review-summary';
import { ReviewModel, type QueueOrder } from './review-model';
import { noEpisodeEdits, noSelection } from './review-state';
import { DEFAULT_THRESHOLD, RecordStore, type SessionState } from './record-store';
import { defaultEcgLeads } from '../../../shared/ecg-leads';
import { recordClock } from './clock';

/** Quiet time after the last edit before the summary is counted again. */
const SUMMARY_QUIET_MS = 250;

export class Session implements SessionState {
  info = $state.raw<RecordInfo | null>(null);
  /** The times the read-outs show (lib/clock.ts): the recorder's time of day from the header's start, else elapsed; a later day's date without its year (the status bar gives it). */
  clock = $derived(recordClock(this.info?.baseTime, this.info?.baseDate, { yearless: true }));
  hash = $state('');
  analysis = $state.raw<Analysis | null>(null);
  reference = $state.raw<AnnotationSet | null>(null);
  beats = $state.raw<ReviewBeats | null>(null);
  version = $state(0);
  labelVersion = $state(0);
  threshold = $state(DEFAULT_THRESHOLD);
  scan = $state.raw<ScanSettings>({ ...DEFAULT_SCAN_SETTINGS });
  queueOrder = $state<QueueOrder>('time');
  reportStrips = $state.raw<readonly ReportStrip[]>([]);
  current = $state(-1);
  selection = $state.raw(noSelection());
  folder = $state.raw<{ dir: string; records: string[] } | null>(null);
  pending = $state.raw<PendingBulk | null>(null);
  baseEpisodes = $state.raw<Analysis['episodes']>([]);
  episodeEdits = $state.raw(noEpisodeEdits());
  reviewer = $state('reviewer');
  error = $state<string | null>(null);

  /** The lead the single-lead views show (morphology groups, full disclosure, overview, a new beat's peak): the analysis's first lead, else the record's first ECG lead. */
  get primaryLead(): number {
    return this.analysis?.leads?.[0]?.signal ?? defaultEcgLeads(this.info?.signals ?? [])[0] ?? 0;
  }
  notice = $state<string | null>(null);
  busy = $state<string | null>(null);
  progress = $state<{ stage: string; fraction: number; etaSec: number | null } | null>(null);
  recent = $state.raw<RecordRow[]>([]);
  job = $state<string | null>(null);
  autoAdvance = $state(true);
  exportFormat = $state<ExportFormat>('wfdb');
  exportAnnotator = $state('rev');
  exportDir = $state('');
  lastExport = $state<string | null>(null);
  confirmAtr = $state(false);
  confirmFile: string | null = null;

  readonly api: Api;
  readonly store: ReviewStore;
  /** Commands, undo/redo, navigation, selection. */
  readonly review: ReviewModel;
  /** Opening, the analysis, threshold and scan settings, export and import. */
  readonly record: RecordStore;

  constructor(api: Api, store: ReviewStore) {
    this.api = api;
    this.store = store;
    // a page being hidden or closed may not run its timers again: write what waits now (the
    // journal already holds it, should the page go first)
    globalThis.addEventListener?.('pagehide', () => void store.flush());
    globalThis.document?.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') void store.flush();
    });
    this.review = new ReviewModel(this, {
      // the edit is on screen at once; its store write follows once the edits pause, in order
      save: (changes, label) => store.applySoon({ hash: this.hash, changes, who: this.reviewer, action: label }),
      saveCursor: (c) => this.record.saveCursor(c),
    });
    this.record = new RecordStore(this, this.review, api, store);
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

  // ---- derived views (the model keeps each until an input changes) ----
  get queue(): Int32Array {
    return this.review.queue();
  }
  get currentIndex(): number {
    return this.review.currentIndex();
  }
  get episodes() {
    return this.review.episodes();
  }
  get rr() {
    return this.review.rr(this.scan.pauseSec);
  }
  reviewedInQueue = $derived.by(() => this.review.reviewedInQueue());
  reviewedTotal = $derived.by(() => this.review.reviewedTotal());
  flaggedCount = $derived.by(() => this.review.flaggedCount());

  /**
   * The summary of the review (final labels, episode decisions): what the reviewer signs. Counted
   * over every beat (tens of milliseconds on a 24-h Holter), so not inside the key press that
   * changed it: once a burst of edits pauses.
   */
  summary = $state.raw<ReviewSummary | null>(null);
  /** True while a recount is due (its inputs changed, the quiet time not over): the figures shown are the last count's. */
  summaryPending = $state(false);
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
  private summaryLater(): void {
    if (this.summaryTimer) clearTimeout(this.summaryTimer);
    this.summaryPending = true;
    this.summaryTimer = setTimeout(() => {
      this.summaryTimer = null;
      this.countSummary();
    }, SUMMARY_QUIET_MS);
  }
  private countSummary(): void {
    this.summaryPending = false;
    const x = this.summaryInputs;
    this.summaryFor = x?.path ?? '';
    this.summary = x ? reviewSummary(x.b, x.t, x.episodes, { fs: x.fs, durationSec: x.durationSec, scan: x.scan }) : null;
  }
}
