// A folder variable set to nothing is unset: '' as a folder is the working directory, where the app
// would keep its cache, reviews and fine-tuned models (in a repository, beside the shipped models/).
import { homedir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultCacheDir } from '../../src/main/analysis/cache';
import { defaultRegistryDir } from '../../src/main/finetune/registry';
import { defaultReviewPaths } from '../../src/main/review/handlers';
import { defaultModelsDir } from '../../src/main/inference/manifest';

const NAMES = ['HEARTBEAT_DATA_DIR', 'HEARTBEAT_REGISTRY_DIR', 'HEARTBEAT_CACHE_DIR', 'HEARTBEAT_MODELS_DIR', 'HEARTBEAT_RESOURCES'];
const saved = Object.fromEntries(NAMES.map((n) => [n, process.env[n]]));
afterEach(() => {
  for (const n of NAMES) {
    if (saved[n] === undefined) delete process.env[n];
    else process.env[n] = saved[n];
  }
});

describe('folders from the environment', () => {
  it('an empty or blank variable is the default folder, never the working directory', () => {
    for (const n of NAMES) delete process.env[n];
    const unset = [defaultRegistryDir(), defaultReviewPaths(), defaultCacheDir(), defaultModelsDir()];
    for (const n of NAMES) process.env[n] = n === 'HEARTBEAT_CACHE_DIR' ? '' : ' ';
    expect([defaultRegistryDir(), defaultReviewPaths(), defaultCacheDir(), defaultModelsDir()]).toEqual(unset);
    expect(defaultRegistryDir()).toBe(join(homedir(), '.heartbeat-sensei', 'models'));
  });

  it('a set variable is used', () => {
    process.env.HEARTBEAT_DATA_DIR = '/tmp/hbs-data';
    expect(defaultRegistryDir()).toBe(join('/tmp/hbs-data', 'models'));
    expect(defaultReviewPaths().dataDir).toBe('/tmp/hbs-data');
  });
});
