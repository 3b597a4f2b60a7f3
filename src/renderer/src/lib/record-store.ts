// The open record and its analysis: opening (a path, a folder's records, the demo, the file
// dialog), the analysis job in main with its progress, the threshold and scan settings (re-cut in
// main from the cached analysis, no model run), the record's saved settings, export and import.
// Plain TypeScript over the session's state, like the review model it feeds.
import type { Api, RecordInfo } from '../../../shared/contract';
import type { Analysis } from '../../../shared/analysis';
import { errorCodeOf } from '../../../shared/errors';
import type { AnnotationSet, ExportFormat, ExportResult, ReviewExport } from '../../../shared/review';
import { isDefaultScan, scanSettingsOf, type ScanSettings } from '../../../shared/scan-settings';
import type { BaseBeats } from './beats';
import { clipAnnotations, referenceEpisodes } from './episodes';
import type { RecordRow, ReportStrip, ReviewStore } from './db';
import { clockTime, recordClock } from './clock';
import { recordPathOf } from './record-path';
import { reviewExportOf, importedChanges } from './review-export';
import type { ReviewModel, ReviewState } from './review-model';

export const DEFAULT_THRESHOLD = 0.5;
/** Quiet time after a threshold or scan change before main re-cuts the episodes. */
const RECUT_QUIET_MS = 250;

/** The session's state: the review's plus the record's. */
export interface SessionState extends ReviewState {
  hash: string;
  reference: AnnotationSet | null;
  /** Holter scan settings (pause limit, VT / SVT criteria): re-cut episodes and the summary, never re-run the models. */
  scan: ScanSettings;
  /** Strips marked for the report ("add to report"), kept with the record's review. */
  reportStrips: readonly ReportStrip[];
  /** A folder typed in the path field: its records to pick from. */
  folder: { dir: string; records: string[] } | null;
  busy: string | null;
  progress: { stage: string; fraction: number; etaSec: number | null } | null;
  recent: RecordRow[];
  /** The running analysis job, if any. */
  job: string | null;
  exportFormat: ExportFormat;
  exportAnnotator: string;
  /** Export folder; empty: beside the record (the bundled demo: the data folder). */
  exportDir: string;
  lastExport: string | null;
  /** Set when an export would replace a file that is no earlier export: the next export confirms it. */
  confirmAtr: boolean;
  /** The file a refused overwrite named: the next export confirms that file and no other. */
  confirmFile: string | null;
}

/** What decides an export's file: its format, annotator and folder. */
function exportTargetKey(s: Pick<SessionState, 'exportFormat' | 'exportAnnotator' | 'exportDir'>): string {
  return JSON.stringify([s.exportFormat, s.exportAnnotator, s.exportDir.trim()]);
}

function sameSamples(x: Int32Array, y: Int32Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

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

/** The beats of the reference annotations (before an analysis, or when it is cancelled). */
export function referenceSource(ref: AnnotationSet | null): BaseBeats {
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

/**
 * The setting a saved default threshold lives under: one per beat model version and lead count. A
 * threshold means something else for another model (a fine-tuned version sets its own) or with one
 * lead (the manifest's singleLeadThreshold), so a default saved for one never applies to the other.
 */
export function defaultThresholdKey(a: Analysis): string {
  const beat = a.models.find((m) => m.task === 'beat');
  return `defaultThreshold:${beat ? `${beat.id}@${beat.version}` : 'none'}:${beat?.singleLeadInput ? 1 : 2}`;
}

/** The one default threshold setting of before defaults were kept per beat model version and lead count. */
const LEGACY_DEFAULT_THRESHOLD = 'defaultThreshold';

function defaultThresholdScope(a: Analysis): string {
  const beat = a.models.find((m) => m.task === 'beat');
  const leads = beat?.singleLeadInput ? 'one-lead' : 'two-lead';
  return beat ? `${leads} records analysed by ${beat.id} ${beat.version}` : `${leads} records`;
}

export class RecordStore {
  /** The finished job behind `analysis` (re-cut at a new threshold or scan by main). */
  private doneJob: string | null = null;
  /**
   * The record's own thresholds, one per beat model version and lead count: another model (a
   * fine-tuned version accepted) calibrates P(V) differently, so it starts from its own, and a
   * rollback finds the reviewer's again. `unkeyed`: a row's threshold from before, not yet tied to one.
   */
  private recordThresholds: { byKey: Record<string, number>; unkeyed: number | null } = { byKey: {}, unkeyed: null };
  /**
   * Counts the records laid out and the analyses started: an analysis started before the latest of
   * either speaks for a record, or a model, no longer shown.
   */
  private generation = 0;
  private recutTimer: ReturnType<typeof setTimeout> | null = null;
  private thresholdTimer: ReturnType<typeof setTimeout> | null = null;
  private cursorTimer: ReturnType<typeof setTimeout> | null = null;
  /** The export target (exportTargetKey) a refused overwrite was for: the confirmation holds for it alone. */
  private armedFor: string | null = null;

  constructor(
    private readonly s: SessionState,
    private readonly review: ReviewModel,
    readonly api: Api,
    readonly store: ReviewStore
  ) {}

  async init(): Promise<void> {
    const s = this.s;
    this.api.on('progress', (p) => {
      if (p.jobId === s.job) s.progress = { stage: p.stage, fraction: p.fraction, etaSec: p.etaSec };
    });
    s.reviewer = await this.store.setting('reviewer', 'reviewer');
    s.autoAdvance = await this.store.setting('autoAdvance', true);
    s.scan = scanSettingsOf(safeJson(await this.store.setting('scanSettings', '')));
    s.recent = await this.store.recent();
  }

  // ---- opening ----
  async openDemo(): Promise<void> {
    await this.load('Opening the demo record…', () => this.api.invoke('record:demo', {}));
  }

  /** The desktop app's file dialog. */
  async choose(): Promise<void> {
    try {
      const { path } = await this.api.invoke('record:choose', {});
      if (path) await this.open(path);
    } catch (e) {
      this.s.error = message(e);
    }
  }

  /** The desktop app's folder dialog: the chosen folder becomes the export folder (main allows it for exports). */
  async chooseExportFolder(): Promise<void> {
    try {
      const { path } = await this.api.invoke('export:chooseFolder', {});
      if (path) this.s.exportDir = path;
    } catch (e) {
      this.s.error = message(e);
    }
  }

  async open(path: string): Promise<void> {
    const s = this.s;
    const r = recordPathOf(path);
    if ('error' in r) {
      s.error = r.error;
      return;
    }
    // a folder lists its records to pick from (an ordinary record path is not a folder)
    const listed = await this.api.invoke('record:list', { dir: r.path }).catch(() => null);
    if (listed?.folder) {
      if (listed.records.length) s.folder = { dir: listed.dir, records: listed.records };
      else s.error = `No records (.hea files) in ${listed.dir}.`;
      return;
    }
    s.folder = null;
    await this.load(`Opening ${r.path}…`, () => this.api.invoke('record:open', { path: r.path }));
    if (r.note && !s.error) s.notice = r.note;
  }

  private async load(what: string, get: () => Promise<RecordInfo>): Promise<void> {
    const s = this.s;
    s.busy = what;
    s.error = null;
    try {
      const info = await get();
      const { hash } = await this.api.invoke('record:hash', { path: info.path });
      const reference = info.annotators.includes('atr')
        ? clipAnnotations(await this.api.invoke('record:annotations', { path: info.path, annotator: 'atr' }), info.nFrames)
        : null;
      const row = await this.store.openRecord(hash, info.name, info.path);
      const saved = await this.store.load(hash);
      if (this.store.journalProblem) {
        s.error = this.store.journalProblem;
        this.store.journalProblem = null;
      }
      if (s.job) void this.cancelAnalysis();
      this.doneJob = null;
      this.generation++;
      s.info = info;
      s.hash = hash;
      s.reference = reference;
      s.analysis = null;
      // without the record's own threshold, the model's (or a saved default for it) once the analysis says which model and leads
      const keyed = row.threshold !== undefined && row.thresholdKey !== undefined ? { [row.thresholdKey]: row.threshold } : {};
      this.recordThresholds = { byKey: { ...keyed, ...row.thresholds }, unkeyed: row.thresholdKey === undefined ? (row.threshold ?? null) : null };
      s.threshold = row.threshold ?? DEFAULT_THRESHOLD;
      s.queueOrder = row.queueOrder ?? 'time';
      s.reportStrips = row.reportStrips ?? [];
      s.baseEpisodes = reference ? referenceEpisodes(reference, info.nFrames) : [];
      s.episodeEdits = new Map(saved.episodes.map((e) => [e.key, e]));
      this.review.setBeats(referenceSource(reference), reference, saved.beats);
      this.review.reset(row.cursor ?? -1);
      try {
        s.recent = await this.store.recent();
        await this.store.setSetting('lastRecord', info.path);
      } catch (e) {
        // the record is open and its review laid out: a list of recent records that could not be
        // kept must not leave it without its analysis
        s.error = `Could not update the list of recent records: ${message(e)}`;
      }
      s.busy = null;
      void this.analyse();
    } catch (e) {
      s.error = message(e);
    } finally {
      s.busy = null;
    }
  }

  // ---- the analysis ----
  /** Runs the analysis of the open record in main (a worker there), with progress; the review goes on meanwhile. */
  async analyse(): Promise<void> {
    const s = this.s;
    const info = s.info;
    if (!info) return;
    // one analysis at a time: a re-analysis (a fine-tuned model accepted or rolled back) replaces a running one
    if (s.job) void this.cancelAnalysis();
    const generation = ++this.generation;
    let jobId: string | null = null;
    try {
      ({ jobId } = await this.api.invoke('analysis:run', { path: info.path }));
      if (this.generation !== generation) {
        // replaced while it was being started: it never becomes the running job, so stop it here
        void this.api.invoke('analysis:cancel', { jobId }).catch(() => undefined);
        return;
      }
      s.job = jobId;
      s.progress = { stage: 'starting', fraction: 0, etaSec: null };
      const a = await this.api.invoke('analysis:result', { jobId });
      if (this.generation !== generation) return;
      // the record's own threshold when it was set for this model, else a saved default for it, else the model's
      const key = defaultThresholdKey(a);
      const mine = this.recordThresholds;
      if (mine.byKey[key] === undefined && mine.unkeyed !== null) {
        // a threshold saved before they were kept per model: the model it meets first is taken as its own
        mine.byKey[key] = mine.unkeyed;
        mine.unkeyed = null;
        void this.kept(this.store.updateRecord(s.hash, { thresholds: { ...mine.byKey }, threshold: undefined }), "this record's threshold");
      }
      const own = mine.byKey[key];
      if (own !== undefined) {
        s.threshold = own;
      } else {
        const saved = await this.savedDefault(a).catch(() => -1);
        if (this.generation !== generation) return;
        s.threshold = saved >= 0 && saved <= 1 ? saved : a.threshold;
      }
      this.useAnalysis(a);
      this.doneJob = jobId;
      if (Math.abs(a.threshold - s.threshold) > 1e-9 || !isDefaultScan(s.scan)) this.recut();
    } catch (e) {
      // an analysis replaced by another (a record opened, a model changed) was cancelled by it: nothing to say
      if (this.generation !== generation) return;
      if (errorCodeOf(e) === 'CANCELLED') {
        const shown = s.analysis ? 'keeping the analysis before it' : s.reference ? 'showing the reference annotations' : 'no beats to show';
        s.notice = `Analysis cancelled: ${shown} (open the record again to analyse it).`;
      } else s.error = `Analysis of ${info.name} failed: ${message(e)}`;
    } finally {
      if (s.job === jobId) {
        s.job = null;
        s.progress = null;
      }
    }
  }

  async cancelAnalysis(): Promise<void> {
    const s = this.s;
    const jobId = s.job;
    if (!jobId) return;
    s.job = null;
    s.progress = null;
    try {
      await this.api.invoke('analysis:cancel', { jobId });
    } catch (e) {
      s.error = message(e);
    }
  }

  /** Lays an analysis result under the review (keeps the reviewer's edits). */
  useAnalysis(a: Analysis): void {
    const s = this.s;
    if (!s.info || !s.beats) return;
    if (a.recordHash && a.recordHash !== s.hash) {
      s.error = `The analysis is for another record (${a.record}).`;
      return;
    }
    // its beats count samples of another rate than the trace's (leads of other samples per frame analysed): shown, they would be misplaced
    if (a.fs !== s.info.fs) {
      s.error = `The analysis of ${s.info.path} counts its beats at ${a.fs} Hz, the trace shows the record at ${s.info.fs} Hz: its beats are not shown.`;
      return;
    }
    s.analysis = a;
    s.baseEpisodes = a.episodes;
    // other beats than those under the review (the analysis's after the reference's): undo steps and
    // a held bulk action name samples of the old beats, and would act on the wrong ones, or none
    const moved = !sameSamples(s.beats.source.sample, a.beats.sample);
    if (moved) this.review.forgetSteps();
    const edits = [...s.beats.edits.values()];
    this.review.setBeats(
      { origin: 'analysis', sample: a.beats.sample, probs: a.beats.probs, pvcScore: a.beats.pvcScore, baseLabel: a.beats.label },
      s.reference,
      edits
    );
  }

  /** Threshold-dependent episodes (VT runs, bigeminy, pauses at the scan's limit) from main's cached analysis (no model run). */
  private recut(): void {
    if (this.recutTimer) clearTimeout(this.recutTimer);
    const jobId = this.doneJob;
    if (!jobId) return;
    const s = this.s;
    this.recutTimer = setTimeout(async () => {
      const t = s.threshold;
      const scan = s.scan;
      try {
        const a = await this.api.invoke('analysis:threshold', { jobId, threshold: t, scan });
        if (this.doneJob !== jobId || !s.analysis || s.threshold !== t || s.scan !== scan) return;
        s.analysis = { ...s.analysis, summary: a.summary, episodes: a.episodes, threshold: a.threshold, recording: a.recording };
        s.baseEpisodes = a.episodes;
        s.version++;
      } catch (e) {
        s.error = `Could not update the summary: ${message(e)}`;
      }
    }, RECUT_QUIET_MS);
  }

  // ---- threshold, scan settings, queue order, cursor ----
  setThreshold(t: number): void {
    const s = this.s;
    if (!Number.isFinite(t)) return;
    if (!s.analysis) {
      // before the analysis the threshold is a placeholder: a step from it would replace the model's own for good
      s.notice = 'The threshold applies once the record is analysed.';
      return;
    }
    s.threshold = Math.round(Math.max(0, Math.min(1, t)) * 1000) / 1000;
    if (this.thresholdTimer) clearTimeout(this.thresholdTimer);
    const hash = s.hash;
    const value = s.threshold;
    const mine = this.recordThresholds;
    mine.byKey[defaultThresholdKey(s.analysis)] = value;
    const thresholds = { ...mine.byKey };
    this.thresholdTimer = setTimeout(() => void this.kept(this.store.updateRecord(hash, { thresholds }), "this record's threshold"), 200);
    this.recut();
  }

  /**
   * The saved default for this analysis's beat model version and lead count, or -1. A default saved
   * before defaults were kept per model (one `defaultThreshold` setting) is taken by the first
   * two-lead analysis of a shipped beat model it meets — the calibration it can have been set on
   * (one-lead records have their own, a fine-tuned version its own threshold; the rule fallback's
   * P(V) is on another scale) — and kept under that key
   * alone, so it is neither lost nor applied to another model.
   */
  private async savedDefault(a: Analysis): Promise<number> {
    const key = defaultThresholdKey(a);
    const saved = await this.store.setting(key, -1);
    if (saved >= 0) return saved;
    const beat = a.models.find((m) => m.task === 'beat');
    // the shipped model's two-lead calibration only: not the rules' scale, nor a fine-tuned version's own threshold
    if (!beat || beat.singleLeadInput || beat.provider === 'rules' || beat.tunedOn || /-ft\d+$/.test(beat.id)) return -1;
    const legacy = await this.store.setting(LEGACY_DEFAULT_THRESHOLD, -1);
    if (!(legacy >= 0 && legacy <= 1)) return -1;
    await this.store.setSetting(key, legacy);
    await this.store.deleteSetting(LEGACY_DEFAULT_THRESHOLD);
    this.s.notice = `Your saved default threshold ${legacy.toFixed(3)} now applies to ${defaultThresholdScope(a)}.`;
    return legacy;
  }

  /** The threshold as the default of records without their own, for this beat model version and lead count alone (each has its own calibration). */
  async saveDefaultThreshold(): Promise<void> {
    const a = this.s.analysis;
    if (!a) return;
    const t = this.s.threshold;
    if (await this.kept(this.store.setSetting(defaultThresholdKey(a), t), 'the default threshold'))
      this.s.notice = `Default threshold set to ${t.toFixed(3)} for ${defaultThresholdScope(a)}.`;
  }

  /** Whether a settings write went through; one that failed is said (the setting holds until the app closes). */
  private async kept(write: Promise<unknown>, what: string): Promise<boolean> {
    try {
      await write;
      return true;
    } catch (e) {
      this.s.error = `Could not save ${what} (${message(e)}): it holds until the app is closed.`;
      return false;
    }
  }

  /** Changes scan settings (a value outside its range keeps the current one); episodes and the summary follow. */
  setScan(change: Partial<ScanSettings>): void {
    const s = this.s;
    const next = scanSettingsOf({ ...s.scan, ...change });
    for (const k of Object.keys(change) as (keyof ScanSettings)[]) if (next[k] !== change[k]) next[k] = s.scan[k];
    s.scan = next;
    s.version++;
    void this.kept(this.store.setSetting('scanSettings', JSON.stringify(next)), 'the scan settings');
    this.recut();
  }

  async setQueueOrder(order: 'time' | 'uncertainty'): Promise<void> {
    this.review.setQueueOrder(order);
    await this.kept(this.store.updateRecord(this.s.hash, { queueOrder: order }), 'the queue order');
  }

  /** Saves the cursor once navigation pauses. */
  saveCursor(cursor: number): void {
    if (this.cursorTimer) clearTimeout(this.cursorTimer);
    const hash = this.s.hash;
    this.cursorTimer = setTimeout(() => void this.kept(this.store.updateRecord(hash, { cursor }), 'where you are in the record'), 300);
  }

  async setReviewer(name: string): Promise<void> {
    const n = name.trim();
    if (!n) return;
    this.s.reviewer = n;
    await this.kept(this.store.setSetting('reviewer', n), "the reviewer's name");
  }

  // ---- report strips ----
  /** Marks the trace's view (its first 10 s) for the report's event strips (once per strip). */
  async addReportStrip(view: { startSec: number; spanSec: number }): Promise<void> {
    const s = this.s;
    const midSec = view.startSec + Math.min(view.spanSec, 10) / 2;
    const fs = s.info?.fs;
    if (!fs || !s.hash) return;
    const sample = Math.max(0, Math.round(midSec * fs));
    if (s.reportStrips.some((r) => Math.abs(r.sample - sample) < 5 * fs)) {
      s.notice = 'This strip is already in the report.';
      return;
    }
    const at = clockTime(recordClock(s.info?.baseTime, s.info?.baseDate), midSec);
    s.reportStrips = [...s.reportStrips, { sample, note: `marked at ${at}` }].sort((a, b) => a.sample - b.sample);
    await this.store.updateRecord(s.hash, { reportStrips: [...s.reportStrips] });
    s.notice = `Strip at ${at} added to the report (${s.reportStrips.length} marked).`;
  }

  async clearReportStrips(): Promise<void> {
    this.s.reportStrips = [];
    if (this.s.hash) await this.store.updateRecord(this.s.hash, { reportStrips: [] });
  }

  // ---- export / import ----
  reviewExport(): ReviewExport {
    const s = this.s;
    if (!s.beats || !s.info) throw new Error('No record is open.');
    return reviewExportOf({
      beats: s.beats,
      record: { name: s.info.name, hash: s.hash, fs: s.info.fs },
      threshold: s.threshold,
      analysed: s.analysis !== null,
      episodes: this.review.episodes(),
      reviewer: s.reviewer,
      exportedAt: new Date().toISOString(),
      ...(s.analysis ? { models: s.analysis.models } : {}),
    });
  }

  /**
   * Exports in the chosen format; a refused overwrite arms `confirmAtr` so the next call confirms the
   * file it named: a click on the button that then says "Replace <file>". With `canConfirm` false (the
   * E key: pressed twice it would replace a file unseen) an armed confirmation is not used but kept,
   * and the notice says where to confirm.
   */
  async exportReview(canConfirm = true): Promise<ExportResult | null> {
    const s = this.s;
    if (!s.info) return null;
    if (s.confirmAtr && !this.confirmArmed()) {
      // the format, annotator or folder changed since: another file, checked afresh
      s.confirmAtr = false;
      s.confirmFile = null;
    }
    if (s.confirmAtr && !canConfirm) {
      s.notice = `Not replaced: click "Replace ${(s.confirmFile ?? '').split(/[\\/]/).pop()}" to replace it, or choose another annotator name or folder.`;
      return null;
    }
    const confirmOverwrite = s.confirmAtr ? s.confirmFile : null;
    s.confirmAtr = false;
    s.confirmFile = null;
    try {
      const outDir = s.exportDir.trim();
      const res = await this.api.invoke('export:write', {
        recordPath: s.info.path,
        format: s.exportFormat,
        annotator: s.exportAnnotator,
        ...(confirmOverwrite ? { confirmOverwrite } : {}),
        review: this.reviewExport(),
        ...(outDir ? { outDir } : {}),
      });
      s.notice = `Exported ${res.beats} beats and ${res.episodes} episodes to ${res.file}`;
      s.lastExport = res.file;
      return res;
    } catch (e) {
      const file = (e as { file?: unknown }).file;
      if (errorCodeOf(e) === 'CONFIRM_OVERWRITE' && typeof file === 'string') {
        s.confirmFile = file;
        s.confirmAtr = true;
        this.armedFor = exportTargetKey(s);
      }
      s.error = message(e);
      return null;
    }
  }

  /** Whether the next export confirms replacing `confirmFile`: armed, and the format, annotator and folder as when it was refused. */
  confirmArmed(): boolean {
    return this.s.confirmAtr && this.armedFor === exportTargetKey(this.s);
  }

  /** Continues a review from an exported file: its reviewed beats and episode decisions become edits (one undoable step). */
  async importReview(file: string): Promise<void> {
    const s = this.s;
    const b = s.beats;
    if (!b || !s.info) return;
    try {
      const r = await this.api.invoke('export:import', { file: file.trim(), recordPath: s.info.path });
      if (r.record.hash && r.record.hash !== s.hash) throw new Error(`${file} belongs to another record (${r.record.name}).`);
      const changes = importedChanges(r, {
        beats: b,
        threshold: s.threshold,
        fs: s.info.fs,
        nFrames: s.info.nFrames,
        episodes: this.review.episodes(),
        episodeEdits: s.episodeEdits,
        episodeSource: s.analysis ? 'model' : 'reference',
        reviewer: s.reviewer,
        now: new Date().toISOString(),
      });
      await this.review.commit({ label: `import ${changes.length} decisions`, changes });
      s.notice = `Imported ${changes.length} reviewed beats and episode decisions from ${file}.`;
    } catch (e) {
      s.error = message(e);
    }
  }
}
