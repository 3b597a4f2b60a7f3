// Builds the handler table from the pure modules. No Electron import here: the loopback bridge
// and the tests use it too.
import type { HandlerTable } from './handlers';
import { appInfo } from './app/info';
import { reviewHandlers, defaultReviewPaths, type ReviewPaths } from './review/handlers';

export function createHandlerTable(transport: 'electron' | 'bridge', paths: ReviewPaths = defaultReviewPaths()): HandlerTable {
  return {
    'app:info': async () => appInfo(transport),
    ...reviewHandlers(paths),
  };
}
