// End-to-end tests: the built renderer in Chromium (tests/helpers/browser.ts) against the real handlers over the
// loopback bridge (`npm run test:e2e`, after `npm run build`).
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: resolve(import.meta.dirname, '../..'),
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // a condition waited on (expect.poll) may need a main-process round trip (a re-cut of the episodes
    // after a setting, 250 ms quiet + IPC): 1 s, the default, failed on a loaded CI machine
    expect: { poll: { timeout: 10_000 } },
  },
});
