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
});
