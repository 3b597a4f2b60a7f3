// Makes the report page of a record: opens the record, builds the reviewed state (the review when
// one is given, else the analysis as it stands), computes the report, draws the strips and the
// optional full disclosure from the signal, and lays out the page.
import type { Analysis, ModelUse, Recording } from '../../shared/analysis';
import type { ReviewExport } from '../../shared/review';
import type { ScanSettings } from '../../shared/scan-settings';
import { inMillivolts } from '../../shared/ecg-leads';
import { analysisSamplesPerFrame, defaultEcgLeads, readPhysicalAt, type WfdbRecord } from '../wfdb';
import { openAvailable } from '../review/available';
import { drawGrid, drawSignal } from '../../renderer/src/lib/draw';
import { holterReport, STRIP_SEC, type HolterReport, type ReportRecord } from './model';
import { stateOfAnalysis, stateOfReview, type ReviewedState } from './reviewed-state';
import { drawStrip, PAPER, PAPER_PALETTE, stripLayout } from './strip';
import { reportHtml, type DrawnStrip, type PaperSize } from './html';
import { SvgCtx } from './svg-ctx';
import { CancelledError } from '../inference/cancel';
import { gridLines } from '../../renderer/src/lib/paper';

export function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError('report cancelled');
}

export interface ReportOptions {
  paper?: PaperSize;
  fullDisclosure?: boolean;
  marked?: readonly { sample: number; note: string }[];
  scan?: ScanSettings;
  appVersion?: string;
  /** Called with the fraction done (full disclosure reads the whole record). */
  onProgress?: (fraction: number, stage: string) => void;
  /** Checked between stages and full-disclosure lines: aborting stops the work with a CancelledError. */
  signal?: AbortSignal;
  /** Opens the record (default: as the review UI and the analysis do, a recording cut short included). */
  open?: (path: string) => Promise<WfdbRecord>;
}

/** What the report is of: the reviewed state and the models that made the analysis under it. */
export interface ReportSource {
  state: ReviewedState;
  models: readonly ModelUse[];
  /** The analysis's recording-level call, when it made one. */
  recording?: Recording;
  /** The signals the analysis read (a lead flat for most of the record left out); default the record's ECG leads. */
  leads?: readonly number[];
  /** Set when the review was made on another model version's analysis (modelsNote). */
  modelsNote?: string;
  /** Samples a frame the state's samples count (the analysis's rate; default the record's ECG leads'). */
  samplesPerFrame?: number;
}

/** Full disclosure: seconds per line, line width px. */
const FD_SEC = 60;
const FD_WIDTH = 960;
const FD_HEIGHT = 34;

/**
 * The record as the report shows it: at `samplesPerFrame` samples a frame (its analysis's rate; by
 * default its ECG leads', which on a multi-frequency record are faster than its frame rate).
 */
export function recordOf(rec: WfdbRecord, samplesPerFrame = analysisSamplesPerFrame(rec.header.signals)): ReportRecord {
  const h = rec.header;
  const frames = rec.completeFrames ?? rec.nFrames;
  return {
    name: rec.name,
    fs: rec.fs * samplesPerFrame,
    nFrames: frames * samplesPerFrame,
    durationSec: frames / rec.fs,
    baseDate: h.baseDate,
    baseTime: h.baseTime,
    info: h.comments.map((c) => c.trim()).filter(Boolean),
    signals: h.signals.map((s, i) => s.description || `signal ${i}`),
  };
}

/** The report's source from an analysis: its review when one is given, else the analysis as it stands. */
export function sourceOf(a: Analysis, review: ReviewExport | null): ReportSource {
  const note = review ? modelsNote(review, a) : null;
  return {
    state: review ? stateOfReview(review, a.fs, a.threshold) : stateOfAnalysis(a),
    models: a.models,
    ...(note ? { modelsNote: note } : {}),
    ...(a.recording ? { recording: a.recording } : {}),
    ...(a.leads ? { leads: a.leads.map((l) => l.signal) } : {}),
    ...(a.frameFs ? { samplesPerFrame: Math.round(a.fs / a.frameFs) } : {}),
  };
}

/** When the review was made on another model version's analysis than the one under the report: says which (else null). */
export function modelsNote(review: ReviewExport, a: Analysis): string | null {
  if (!review.models) return null;
  const name = (m: { id: string; version: string }) => `${m.id} ${m.version}`;
  const differ = review.models.filter((r) => {
    const now = a.models.find((m) => m.task === r.task);
    return now && (now.id !== r.id || now.version !== r.version);
  });
  if (!differ.length) return null;
  const now = differ.map((r) => name(a.models.find((m) => m.task === r.task)!));
  return `the review was made on the analysis of ${differ.map(name).join(', ')}; what it did not decide is ${now.join(', ')}'s`;
}

/** Leads on a strip and the full disclosure: the leads the analysis read, else the record's ECG leads, else its first signal. */
function reportLeads(rec: WfdbRecord, source: ReportSource): number[] {
  const valid = source.leads?.filter((i) => i < rec.header.signals.length);
  if (valid?.length) return valid;
  const ecg = defaultEcgLeads(rec.header.signals);
  return ecg.length ? ecg : [0];
}

/** Samples [from, to) of every signal at the report's rate (r.record.fs), in mV. */
async function readAt(rec: WfdbRecord, r: HolterReport, from: number, to: number): Promise<Float32Array[]> {
  return inMillivolts(await readPhysicalAt(rec, Math.round(r.record.fs / rec.fs), from, to), rec.header.signals);
}

async function drawStrips(rec: WfdbRecord, r: HolterReport, state: ReviewedState, leads: readonly number[]): Promise<DrawnStrip[]> {
  const out: DrawnStrip[] = [];
  for (const strip of r.strips) {
    const all = await readAt(rec, r, strip.fromSample, strip.toSample);
    const data = leads.map((i) => all[i]!);
    const L = stripLayout(STRIP_SEC, data.length);
    const ctx = new SvgCtx(L.width, L.height);
    drawStrip(
      ctx,
      {
        fs: r.record.fs,
        fromSample: strip.fromSample,
        leads: data,
        names: leads.map((i) => r.record.signals[i]!),
        beats: state.beats,
        threshold: state.threshold,
      },
      STRIP_SEC
    );
    out.push({ strip, svg: ctx.svg(`data-from="${strip.fromSample}"`) });
  }
  return out;
}

/** The whole record, its first analysed lead, one minute per line at a compressed scale (min/max columns, as the zoomed-out trace). */
async function disclosure(rec: WfdbRecord, r: HolterReport, lead: number, o: ReportOptions): Promise<{ fromSec: number; svg: string }[]> {
  const fs = r.record.fs;
  const per = Math.round(FD_SEC * fs);
  const lines = Math.ceil(r.record.nFrames / per);
  const out: { fromSec: number; svg: string }[] = [];
  const pxPerSec = FD_WIDTH / FD_SEC;
  const pxPerMv = FD_HEIGHT / 3;
  for (let k = 0; k < lines; k++) {
    stopIfAborted(o.signal);
    const from = k * per;
    const to = Math.min(r.record.nFrames, from + per);
    const v = (await readAt(rec, r, from, to))[lead];
    const ctx = new SvgCtx(FD_WIDTH, FD_HEIGHT);
    ctx.fillStyle = PAPER.background;
    ctx.fillRect(0, 0, FD_WIDTH, FD_HEIGHT);
    drawGrid(ctx, gridLines(from / fs, pxPerSec, FD_WIDTH, FD_HEIGHT, pxPerMv, 10), FD_WIDTH, FD_HEIGHT, 0, PAPER_PALETTE);
    drawSignal(ctx, { from, bucket: 1, min: v!, max: v! }, from, fs / pxPerSec, FD_WIDTH, (x) => FD_HEIGHT / 2 - x * pxPerMv, PAPER.trace);
    out.push({ fromSec: from / fs, svg: ctx.svg() });
    if (k % 30 === 0) o.onProgress?.(0.3 + (0.6 * k) / lines, 'full disclosure');
  }
  return out;
}

export async function makeReport(recordPath: string, source: ReportSource, o: ReportOptions = {}): Promise<{ html: string; report: HolterReport }> {
  const rec = await (o.open ?? openAvailable)(recordPath);
  try {
    o.onProgress?.(0, 'figures');
    const { state } = source;
    const report = holterReport({
      record: recordOf(rec, source.samplesPerFrame),
      state,
      models: source.models,
      ...(source.modelsNote ? { modelsNote: source.modelsNote } : {}),
      ...(source.recording ? { recording: source.recording } : {}),
      ...(o.scan ? { scan: o.scan } : {}),
      ...(o.marked ? { marked: o.marked } : {}),
    });
    stopIfAborted(o.signal);
    o.onProgress?.(0.2, 'event strips');
    const leads = reportLeads(rec, source);
    const strips = await drawStrips(rec, report, state, leads);
    const fd = o.fullDisclosure ? await disclosure(rec, report, leads[0]!, o) : undefined;
    o.onProgress?.(0.95, 'page');
    const html = reportHtml(report, {
      strips,
      ...(fd ? { disclosure: fd, disclosureLead: report.record.signals[leads[0]!] ?? '' } : {}),
      leads,
      paper: o.paper ?? 'A4',
      madeAt: new Date().toISOString(),
      appVersion: o.appVersion ?? '',
    });
    return { html, report };
  } finally {
    await rec.close();
  }
}
