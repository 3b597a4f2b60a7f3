import { describe, expect, it } from 'vitest';
import { dispatch, RequestError, type HandlerContext } from '../../src/main/handlers';
import { createHandlerTable } from '../../src/main/table';

const ctx: HandlerContext = { transport: 'bridge', emit: () => {} };

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
    // absolute on POSIX and Windows (drive, UNC) pass the schema; the handler answers (not found here)
    for (const path of ['/nope/x', 'C:\\nope\\x', 'c:/nope/x', '\\\\server\\share\\x'])
      await expect(dispatch(table, 'record:open', { path }, ctx)).rejects.not.toBeInstanceOf(RequestError);
  });
});
