// The record:* and export:* handlers of the review UI, built on one RecordStore.
import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { homedir } from 'node:os';
import { RequestError, type Handler } from '../handlers';
import { openRecord } from '../wfdb/record';
import { WfdbError } from '../wfdb/errors';
import { RecordStore } from './records';
import { loadAnnotationSet } from './annotations';
import { importReview, writeExport } from '../export';
import { ExportFolders } from '../export/folders';
import { envSetting } from '../app/env';

export interface ReviewPaths {
  /** Folder holding demo/ (the bundled synthetic record). */
  resourcesDir: string;
  /** The user's data folder: exports of the read-only demo go to its exports/. */
  dataDir: string;
}

/** resources/ of the app: HEARTBEAT_RESOURCES, else the nearest resources/demo above this module (source or bundle). */
function defaultResourcesDir(): string {
  const resources = envSetting('HEARTBEAT_RESOURCES');
  if (resources) return resolve(resources);
  let dir = import.meta.dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'resources', 'demo'))) return join(dir, 'resources');
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return resolve(import.meta.dirname, '../../resources');
}

export function defaultReviewPaths(): ReviewPaths {
  return {
    resourcesDir: defaultResourcesDir(),
    dataDir: envSetting('HEARTBEAT_DATA_DIR') ?? join(homedir(), '.heartbeat-sensei'),
  };
}

export async function findDemo(resourcesDir: string): Promise<string> {
  const dir = join(resourcesDir, 'demo');
  let files: string[];
  try {
    files = await readdir(dir);
  } catch {
    throw new WfdbError('NOT_FOUND', dir, 'the bundled demo record is missing (run `npm run demo:make` to make it)');
  }
  const hea = files.filter((f) => f.endsWith('.hea')).sort()[0];
  if (!hea) throw new WfdbError('NOT_FOUND', dir, 'no .hea file: the bundled demo record is missing');
  return join(dir, hea.slice(0, -4));
}

export type ReviewHandlers = {
  'record:open': Handler<'record:open'>;
  'record:demo': Handler<'record:demo'>;
  'record:choose': Handler<'record:choose'>;
  'record:hash': Handler<'record:hash'>;
  'record:window': Handler<'record:window'>;
  'record:annotations': Handler<'record:annotations'>;
  'export:write': Handler<'export:write'>;
  'export:import': Handler<'export:import'>;
  'export:chooseFolder': Handler<'export:chooseFolder'>;
};

export function reviewHandlers(
  paths: ReviewPaths = defaultReviewPaths(),
  store = new RecordStore(openRecord),
  folders = ExportFolders.fromEnv()
): ReviewHandlers {
  const places = {
    readOnlyDir: paths.resourcesDir,
    fallbackDir: join(paths.dataDir, 'exports'),
    allowedDirs: () => folders.list(),
    ledgerFile: join(paths.dataDir, 'exports-ledger.json'),
  };
  return {
    'record:open': async ({ path }) => store.info(path),
    'record:demo': async () => store.info(await findDemo(paths.resourcesDir)),
    'record:choose': async () => {
      throw new RequestError('UNSUPPORTED', 'There is no file dialog in browser mode: type the record’s path (e.g. /data/mitdb/100) in the path field.');
    },
    'record:hash': async ({ path }) => ({ hash: await store.hash(path) }),
    'record:window': async ({ path, from, to, maxPoints }) => store.window(path, from, to, maxPoints),
    'record:annotations': async ({ path, annotator }) => {
      const info = await store.info(path);
      return loadAnnotationSet(info.path, annotator, info.frameFs ? { fs: info.fs, frameFs: info.frameFs } : undefined);
    },
    // The record must open (an export belongs to a record); its content hash identifies earlier exports.
    'export:write': async (req) => {
      const info = await store.info(req.recordPath);
      return writeExport(req, places, await store.hash(req.recordPath), info.frameFs);
    },
    'export:chooseFolder': async () => {
      throw new RequestError(
        'UNSUPPORTED',
        'There is no folder dialog in browser mode: start the server with HEARTBEAT_EXPORT_DIRS listing the folders exports may go to.'
      );
    },
    'export:import': async ({ file, recordPath }) => {
      const record = recordPath ? await store.info(recordPath) : null;
      const hash = recordPath ? await store.hash(recordPath) : '';
      return importReview(file, {
        name: record?.name ?? '',
        hash,
        fs: record?.fs ?? 1,
        ...(record ? { nFrames: record.nFrames } : {}),
        ...(record?.frameFs ? { frameFs: record.frameFs } : {}),
      });
    },
  };
}
