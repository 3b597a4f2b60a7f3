// The report channels: report:page (the HTML the app previews) and report:pdf (the page printed).
// The printer is passed in: headless Chromium for the bridge, Electron's printToPDF in the app.
import type { Handler } from '../handlers';
import type { WfdbRecord } from '../wfdb';
import type { PaperSize } from '../../shared/report';
import { makeReport } from './make';
import { stateOfReview } from './reviewed-state';
import { recordName } from '../analysis/record';
import { appInfo } from '../app/info';

export type PdfPrinter = (html: string, paper: PaperSize) => Promise<Uint8Array>;

export function reportHandlers(open: (path: string) => Promise<WfdbRecord>, print: PdfPrinter): { 'report:page': Handler<'report:page'>; 'report:pdf': Handler<'report:pdf'> } {
  const page = async (req: Parameters<Handler<'report:page'>>[0]) => {
    const path = req.recordPath.replace(/\.hea$/, '');
    const rec = await open(path);
    const fs = rec.fs;
    await rec.close();
    const state = stateOfReview(req.review, fs, req.review.threshold ?? 0.5);
    return makeReport(path, { state, models: req.models ?? [], ...(req.recording ? { recording: req.recording } : {}) }, { open, appVersion: appInfo('electron').version, paper: req.paper ?? 'A4', fullDisclosure: req.fullDisclosure ?? false, ...(req.scan ? { scan: req.scan } : {}), ...(req.marked ? { marked: req.marked } : {}) });
  };
  return {
    'report:page': async (req) => {
      const { html, report } = await page(req);
      return { html, strips: report.strips.length };
    },
    'report:pdf': async (req) => {
      const { html } = await page(req);
      // a copy on its own ArrayBuffer: what the contract's schema and the wire encoding take
      return { pdf: new Uint8Array(await print(html, req.paper ?? 'A4')), name: `${recordName(req.recordPath.replace(/\.hea$/, ''))}-report.pdf` };
    },
  };
}
