import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { channels } from '../../src/shared/contract';
import { REVIEW_FORMAT, type ReviewExport } from '../../src/shared/review';
import { dispatch, recordPathFields, RequestError, type HandlerContext } from '../../src/main/handlers';
import { createHandlerTable } from '../../src/main/table';

const ctx: HandlerContext = { transport: 'bridge', emit: () => {} };
const review: ReviewExport = {
  format: REVIEW_FORMAT,
  version: 1,
  record: { name: '100', hash: 'h', fs: 360 },
  threshold: 0.5,
  exportedAt: '2026-12-04T10:00:00.000Z',
  reviewer: 'ana',
  beats: [],
  episodes: [],
};

describe('handler dispatch', () => {
  it('answers a known channel', async () => {
    const info = (await dispatch(createHandlerTable('bridge'), 'app:info', {}, ctx)) as { transport: string };
    expect(info.transport).toBe('bridge');
  });
  it('refuses unknown channels and invalid payloads', async () => {
    const table = createHandlerTable('bridge');
    await expect(dispatch(table, 'nope', {}, ctx)).rejects.toBeInstanceOf(RequestError);
    await expect(dispatch(table, 'app:info', { extra: 1 }, ctx)).rejects.toThrow(/Invalid request for app:info/);
  });
  it('refuses relative paths (main would resolve them against its own working folder) and paths with NUL', async () => {
    const table = createHandlerTable('bridge');
    for (const path of ['resources/demo/demo', './x', '../x', 'C:relative', 'x\\y'])
      await expect(dispatch(table, 'record:open', { path }, ctx)).rejects.toThrow(/path: a path must be absolute/);
    await expect(dispatch(table, 'record:open', { path: '/data/100\0.hea' }, ctx)).rejects.toThrow(/path: a path has no NUL/);
    await expect(dispatch(table, 'record:list', { dir: 'data' }, ctx)).rejects.toThrow(/dir: a path must be absolute/);
    await expect(dispatch(table, 'export:import', { file: 'x.review.json' }, ctx)).rejects.toThrow(
      /^Invalid request for export:import: file: a path must be absolute[^;]*$/
    );
  });
  it('takes Windows forms (drive, UNC) only where the running platform calls them absolute', async () => {
    const table = createHandlerTable('bridge');
    // the shared regex passes them all; on POSIX main would resolve `C:/x` against its working folder
    for (const p of ['/nope/x', 'C:\\nope\\x', 'c:/nope/x', '\\\\server\\share\\x']) {
      const answer = expect(dispatch(table, 'record:open', { path: p }, ctx)).rejects;
      if (path.isAbsolute(p)) await answer.not.toBeInstanceOf(RequestError);
      else await answer.toThrow(/^Invalid request for record:open: path: a path must be absolute on this platform/);
    }
    if (process.platform === 'win32') return;
    // nested and optional fields too: the same 400 BAD_REQUEST before any handler runs
    await expect(dispatch(table, 'record:list', { dir: 'C:/data' }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(dispatch(table, 'export:import', { file: '/x.review.json', recordPath: 'C:/100' }, ctx)).rejects.toThrow(
      /^Invalid request for export:import: recordPath: a path must be absolute on this platform/
    );
    await expect(dispatch(table, 'export:write', { recordPath: '/data/100', format: 'json', outDir: '\\\\server\\out', review }, ctx)).rejects.toThrow(
      /^Invalid request for export:write: outDir: a path must be absolute on this platform/
    );
    await expect(
      dispatch(
        table,
        'finetune:start',
        {
          sources: [
            { recordPath: '/data/100', review },
            { recordPath: 'D:\\101', review },
          ],
        },
        ctx
      )
    ).rejects.toThrow(/^Invalid request for finetune:start: sources\.1\.recordPath: a path must be absolute on this platform/);
  });
  it('finds every RecordPath field of the contract, nested and optional ones included', () => {
    const at = (c: keyof typeof channels, req: object): string[] => recordPathFields(channels[c].request, req).map((f) => `${f.at.join('.')}=${f.value}`);
    expect(at('record:open', { path: 'a' })).toEqual(['path=a']);
    expect(at('record:window', { path: 'a', from: 0, to: 1 })).toEqual(['path=a']);
    expect(at('record:list', { dir: 'a' })).toEqual(['dir=a']);
    expect(at('analysis:run', { path: 'a' })).toEqual(['path=a']);
    expect(at('export:write', { recordPath: 'a', outDir: 'b', confirmOverwrite: 'c', review })).toEqual(['recordPath=a', 'outDir=b', 'confirmOverwrite=c']);
    expect(at('export:import', { file: 'a', recordPath: 'b' })).toEqual(['file=a', 'recordPath=b']);
    expect(at('export:import', { file: 'a' })).toEqual(['file=a']);
    expect(at('report:page', { recordPath: 'a', review })).toEqual(['recordPath=a']);
    expect(
      at('finetune:start', {
        sources: [
          { recordPath: 'a', review },
          { recordPath: 'b', review },
        ],
      })
    ).toEqual(['sources.0.recordPath=a', 'sources.1.recordPath=b']);
    expect(at('app:info', {})).toEqual([]);
  });
});
