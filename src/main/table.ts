// Builds the handler table from the pure modules. No Electron import here: the loopback bridge
// and the tests use it too.
import type { HandlerTable } from './handlers';
import { appInfo } from './app/info';
import { join } from 'node:path';
import { analysisHandlers } from './analysis/handlers';
import { AnalysisJobs } from './analysis/jobs';
import { reviewHandlers, defaultReviewPaths, type ReviewPaths } from './review/handlers';

export function createHandlerTable(transport: 'electron' | 'bridge', paths: ReviewPaths = defaultReviewPaths()): HandlerTable {
  return {
    'app:info': async () => appInfo(transport),
    ...reviewHandlers(paths),
    // Analyses run in worker threads; results cached under HEARTBEAT_CACHE_DIR or the app's data folder.
    ...analysisHandlers(new AnalysisJobs({ cacheDir: process.env.HEARTBEAT_CACHE_DIR ?? join(paths.dataDir, 'analysis-cache') })),
  };
}
