// Builds the handler table from the pure modules. No Electron import here: the loopback bridge
// and the tests use it too.
import type { HandlerTable } from './handlers';
import { appInfo } from './app/info';
import { join } from 'node:path';
import { analysisHandlers } from './analysis/handlers';
import { AnalysisJobs } from './analysis/jobs';
import { reviewHandlers, defaultReviewPaths, type ReviewPaths } from './review/handlers';
import { defaultRegistryDir, finetuneHandlers, FinetuneJobs, ModelRegistry } from './finetune';
import { RecordStore } from './review/records';
import { openAvailable } from './review/available';
import { listRecords } from './review/list';
import { ExportFolders } from './export/folders';
import { JobSlots, slotsFromEnv } from './jobs/slots';
import { reportHandlers, type PdfPrinter } from './report/handlers';
import { printPdf } from './report/pdf';
import { envSetting } from './app/env';

/** `exportFolders`: the folders exports may go to besides each record's own (the desktop app adds the dialog's choices). */
/** `print`: how the report is printed to PDF (headless Chromium; the desktop app passes Electron's printToPDF). */
export function createHandlerTable(
  transport: 'electron' | 'bridge',
  paths: ReviewPaths = defaultReviewPaths(),
  exportFolders = ExportFolders.fromEnv(),
  print: PdfPrinter = (html, paper, signal) => printPdf(html, paper, undefined, signal)
): HandlerTable {
  const slots = new JobSlots(slotsFromEnv());
  return {
    'app:info': async () => appInfo(transport),
    ...reviewHandlers(paths, new RecordStore(openAvailable), exportFolders),
    'record:list': async ({ dir }) => listRecords(dir),
    // Analyses run in worker threads; results cached under HEARTBEAT_CACHE_DIR or the app's data folder.
    // The beat model is the fine-tune registry's active version when one is active (src/main/finetune).
    // Analyses and fine-tunes share the job slots: at most HEARTBEAT_MAX_JOBS (default from the core count) at once.
    ...analysisHandlers(
      new AnalysisJobs(
        { cacheDir: envSetting('HEARTBEAT_CACHE_DIR') ?? join(paths.dataDir, 'analysis-cache'), registryDir: defaultRegistryDir(paths.dataDir) },
        8,
        slots
      )
    ),
    // Fine-tune jobs in worker threads; versions in HEARTBEAT_REGISTRY_DIR or <data folder>/models.
    ...finetuneHandlers(new FinetuneJobs(new ModelRegistry(defaultRegistryDir(paths.dataDir)), {}, 8, slots)),
    // The Holter report of the review the renderer sends, read from the record as the review UI opens it.
    ...reportHandlers(openAvailable, print),
  };
}
