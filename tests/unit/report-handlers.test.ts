// The report channels through the one dispatch: a page for the review the renderer sends, with
// progress events under its jobId, and report:cancel stopping the work (code CANCELLED).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { writeSynthRecord } from '../../src/main/synth';
import { reportHandlers } from '../../src/main/report/handlers';
import { printPdf } from '../../src/main/report';
import { openAvailable } from '../../src/main/review/available';
import { dispatch, type HandlerContext, type HandlerTable } from '../../src/main/handlers';
import type { Analysis } from '../../src/shared/analysis';
import type { EventPayload } from '../../src/shared/contract';
import { startBridge } from '../../src/main/bridge/server';
import { createHandlerTable } from '../../src/main/table';
import { ExportFolders } from '../../src/main/export/folders';
import { decodeWire, encodeWire, TOKEN_HEADER } from '../../src/shared/wire';
import { SMALL_BODY_BYTES } from '../../src/main/bridge/status';
import { unreviewedExport } from '../helpers/review';

let dir: string;
let record: string;
let a: Analysis;
let table: HandlerTable;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hbs-report-h-'));
  record = join(dir, 'demo2');
  await writeSynthRecord(record, { scenario: 'demo', minutes: 2, seed: 5 });
  a = await analyzeRecord(record, { useRules: true, cacheDir: null, beats: 'reference' });
  // only the report channels are called here
  table = reportHandlers(openAvailable, (html, paper, signal) => printPdf(html, paper, undefined, signal)) as unknown as HandlerTable;
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('report channels', () => {
  it('report:page answers the page of the review sent, with progress under its jobId', async () => {
    const events: EventPayload<'progress'>[] = [];
    const ctx: HandlerContext = { transport: 'bridge', emit: (_n, p) => void events.push(p as EventPayload<'progress'>) };
    // one decision: a review (one that decided nothing is headed as model output)
    const review = unreviewedExport(a);
    review.beats[0] = { ...review.beats[0]!, status: 'confirmed' };
    const r = (await dispatch(table, 'report:page', { jobId: 'j1', recordPath: `${record}.hea`, review }, ctx)) as {
      html: string;
      strips: number;
    };
    expect(r.html).toContain(`PVC count</th><td>${a.summary.pvcCount}</td>`);
    expect(r.html).toContain('Dr Test');
    expect(r.strips).toBeGreaterThan(0);
    expect(events.length).toBeGreaterThan(1);
    expect(events.every((e) => e.jobId === 'j1')).toBe(true);
    expect(events.map((e) => e.fraction)).toEqual([...events.map((e) => e.fraction)].sort((x, y) => x - y));
  });

  it('report:cancel stops the work named by its jobId; an unknown id cancels nothing', async () => {
    let cancelled: unknown;
    const ctx: HandlerContext = {
      transport: 'bridge',
      // cancel as soon as the work reports its first stage
      emit: () => void (cancelled ??= dispatch(table, 'report:cancel', { jobId: 'j2' }, ctx)),
    };
    const run = dispatch(table, 'report:page', { jobId: 'j2', recordPath: record, review: unreviewedExport(a), fullDisclosure: true }, ctx);
    await expect(run).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await cancelled).toEqual({ cancelled: true });
    expect(await dispatch(table, 'report:cancel', { jobId: 'j2' }, ctx)).toEqual({ cancelled: false });
  });

  it('refuses a request that is not a review', async () => {
    const ctx: HandlerContext = { transport: 'bridge', emit: () => undefined };
    await expect(dispatch(table, 'report:page', { recordPath: record, review: { format: 'other' } }, ctx)).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});

describe('report over the bridge', () => {
  it('takes a review larger than the small-body cap (a day of beats), as export:write does', async () => {
    const bridge = await startBridge({
      table: createHandlerTable('bridge', { resourcesDir: join(dir, 'res'), dataDir: join(dir, 'data') }, new ExportFolders()),
      rendererDir: dir,
    });
    try {
      const big = unreviewedExport(a);
      // padding in an episode's explanation stands in for 100 000 beats
      big.episodes[0]!.explanation = 'x'.repeat(2 * SMALL_BODY_BYTES);
      const body = encodeWire({ recordPath: record, review: big });
      expect(body.length).toBeGreaterThan(SMALL_BODY_BYTES);
      const res = await fetch(`http://127.0.0.1:${bridge.port}/api/invoke/report:page`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token },
        body,
      });
      expect(res.status).toBe(200);
      const reply = decodeWire(await res.text()) as { ok: boolean; value: { html: string } };
      expect(reply.ok).toBe(true);
      expect(reply.value.html).toContain('Holter report');
    } finally {
      await bridge.close();
    }
  });
});
