// The report channels: report:page (the HTML the app previews), report:pdf (the page printed) and
// report:cancel. Work named by a jobId sends `progress` events and can be cancelled. The printer
// is passed in: headless Chromium for the bridge, Electron's printToPDF in the app.
import type { Handler, HandlerContext } from '../handlers';
import type { WfdbRecord } from '../wfdb';
import type { PaperSize } from '../../shared/report';
import { makeReport, recordOf, stopIfAborted } from './make';
import { stateOfReview } from './reviewed-state';
import { recordName } from '../analysis/record';
import { appInfo } from '../app/info';

export type PdfPrinter = (html: string, paper: PaperSize, signal?: AbortSignal) => Promise<Uint8Array>;

type Req = Parameters<Handler<'report:page'>>[0];

export function reportHandlers(
  open: (path: string) => Promise<WfdbRecord>,
  print: PdfPrinter
): { 'report:page': Handler<'report:page'>; 'report:pdf': Handler<'report:pdf'>; 'report:cancel': Handler<'report:cancel'> } {
  const running = new Map<string, AbortController>();

  /** Runs `work` as the request's job: progress events under its jobId, cancellable until it ends. */
  async function job<T>(
    req: Req,
    ctx: HandlerContext,
    work: (signal: AbortSignal, progress: (fraction: number, stage: string) => void) => Promise<T>
  ): Promise<T> {
    const stop = new AbortController();
    const id = req.jobId;
    if (id) running.set(id, stop);
    const progress = (fraction: number, stage: string) => {
      if (id) ctx.emit('progress', { jobId: id, stage, fraction: Math.max(0, Math.min(1, fraction)), etaSec: null });
    };
    try {
      return await work(stop.signal, progress);
    } finally {
      if (id) running.delete(id);
    }
  }

  async function page(req: Req, signal: AbortSignal, progress: (fraction: number, stage: string) => void) {
    const path = req.recordPath.replace(/\.hea$/, '');
    const rec = await open(path);
    const { fs } = recordOf(rec); // the rate the review UI shows the record at (a multi-frequency record's ECG rate)
    await rec.close();
    const state = stateOfReview(req.review, fs, req.review.threshold ?? 0.5);
    return makeReport(
      path,
      { state, models: req.models, ...(req.recording ? { recording: req.recording } : {}), ...(req.leads ? { leads: req.leads } : {}) },
      {
        open,
        signal,
        onProgress: progress,
        appVersion: appInfo('electron').version,
        paper: req.paper,
        fullDisclosure: req.fullDisclosure,
        ...(req.scan ? { scan: req.scan } : {}),
        ...(req.marked ? { marked: req.marked } : {}),
      }
    );
  }

  return {
    'report:page': (req, ctx) =>
      job(req, ctx, async (signal, progress) => {
        const { html, report } = await page(req, signal, progress);
        return { html, strips: report.strips.length };
      }),
    'report:pdf': (req, ctx) =>
      job(req, ctx, async (signal, progress) => {
        const { html } = await page(req, signal, (f, stage) => progress(0.5 * f, stage));
        progress(0.5, 'printing');
        const pdf = await print(html, req.paper, signal);
        stopIfAborted(signal);
        // a copy on its own ArrayBuffer: what the contract's schema and the wire encoding take
        return { pdf: new Uint8Array(pdf), name: `${recordName(req.recordPath.replace(/\.hea$/, ''))}-report.pdf` };
      }),
    'report:cancel': async ({ jobId }) => {
      const stop = running.get(jobId);
      stop?.abort();
      return { cancelled: !!stop };
    },
  };
}
