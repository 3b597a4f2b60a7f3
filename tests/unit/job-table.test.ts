// The job table behind analysis:* and finetune:*: ids, the queued state, cancel once, UNKNOWN_JOB,
// finished jobs forgotten beyond `keep` (running ones never).
import { describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import { JobSlots, type Startable } from '../../src/main/jobs/slots';
import { JobTable, type Job } from '../../src/main/jobs/table';
import { JobError } from '../../src/main/jobs/worker';
import { CancelledError } from '../../src/main/inference/cancel';

/** A job the test finishes by hand; cancel rejects it as a worker would. */
function manual(): { start: (onProgress: (p: string) => void) => Startable<string>; finish: (v: string) => void; progress: (p: string) => void } {
  let ok!: (v: string) => void;
  let fail!: (e: unknown) => void;
  let report: (p: string) => void = () => undefined;
  const promise = new Promise<string>((a, b) => ((ok = a), (fail = b)));
  return {
    start: (onProgress) => ((report = onProgress), { promise, cancel: () => fail(new CancelledError()) }),
    finish: (v) => ok(v),
    progress: (p) => report(p),
  };
}

const track = (run: Startable<string>): Job<string> => ({ run, done: false, cancelled: false });
const settle = () => new Promise((r) => setTimeout(r, 0));
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('job table', () => {
  it('gives each job an id, passes its progress with the id, and reports "queued" while it waits', async () => {
    const table = new JobTable<string>('test', 8, new JobSlots(1));
    const events: string[] = [];
    const a = manual();
    const b = manual();
    const ia = table.start(a.start, track, (id, p) => events.push(`${id === ia ? 'a' : 'b'}:${typeof p === 'string' ? p : p.stage}`));
    const ib = table.start(b.start, track, (id, p) => events.push(`${id === ia ? 'a' : 'b'}:${typeof p === 'string' ? p : p.stage}`));
    expect(ia).not.toBe(ib);
    await nextTurn();
    a.progress('half');
    a.finish('A');
    expect(await table.get(ia).run.promise).toBe('A');
    b.progress('half');
    expect(events).toEqual(['b:queued', 'a:half', 'b:half']);
  });

  it('reports "queued" once start() has returned the id (a listener drops ids it does not know), and only if still waiting', async () => {
    const table = new JobTable<string>('test', 8, new JobSlots(1));
    const known = new Set<string>();
    const heard: string[] = [];
    const listen = (id: string, p: string | { stage: string }) => heard.push(`${known.has(id) ? 'known' : 'unknown'} ${typeof p === 'string' ? p : p.stage}`);
    const [a, b, c] = [manual(), manual(), manual()];
    known.add(table.start(a.start, track, listen));
    known.add(table.start(b.start, track, listen));
    await nextTurn();
    expect(heard).toEqual(['known queued']);
    // started before the next turn (a slot freed at once): never said to be queued
    known.add(table.start(c.start, track, listen));
    a.finish('A');
    b.finish('B');
    await settle();
    await nextTurn();
    expect(heard).toEqual(['known queued']);
  });

  it('cancels a running job once; a finished or unknown job is not cancelled', async () => {
    const table = new JobTable<string>('test', 8, new JobSlots(2));
    const a = manual();
    const b = manual();
    const ia = table.start(a.start, track);
    const ib = table.start(b.start, track);
    expect(table.cancel(ia)).toBe(true);
    expect(table.cancel(ia)).toBe(false);
    await expect(table.get(ia).run.promise).rejects.toBeInstanceOf(CancelledError);
    b.finish('B');
    await settle();
    expect(table.cancel(ib)).toBe(false);
    expect(table.cancel('nope')).toBe(false);
    expect(() => table.get('nope')).toThrow(JobError);
    expect(() => table.get('nope')).toThrow(/No test job nope/);
  });

  it('forgets finished jobs beyond `keep`, oldest first, and never a running one', async () => {
    const table = new JobTable<string>('test', 2, new JobSlots(4));
    const jobs = [manual(), manual(), manual()];
    const ids = jobs.map((j) => table.start(j.start, track));
    jobs[1]!.finish('1');
    jobs[0]!.finish('0');
    await settle();
    const fourth = manual();
    const i4 = table.start(fourth.start, track);
    fourth.finish('4'); // a third finished job: the oldest finished one goes
    await settle();
    expect(() => table.get(ids[0]!)).toThrow(/No test job/);
    expect(table.get(ids[1]!).done).toBe(true);
    expect(table.get(ids[2]!).done).toBe(false);
    expect(table.get(i4).done).toBe(true);
  });

  it('forgets them as they finish, not only at the next start (a burst holds no more than `keep`)', async () => {
    const table = new JobTable<string>('test', 2, new JobSlots(8));
    const jobs = Array.from({ length: 6 }, () => manual());
    const ids = jobs.map((j) => table.start(j.start, track));
    jobs.forEach((j, i) => j.finish(String(i)));
    await settle();
    const kept = ids.filter((id) => {
      try {
        return table.get(id).done;
      } catch {
        return false;
      }
    });
    expect(kept).toEqual(ids.slice(4));
    // with more than `keep` still running, a job that just finished is kept (only finished jobs count)
    const busy = new JobTable<string>('test', 2, new JobSlots(8));
    const three = [manual(), manual(), manual()];
    const busyIds = three.map((j) => busy.start(j.start, track));
    three[0]!.finish('0');
    await settle();
    expect(busy.get(busyIds[0]!).done).toBe(true);
  });

  it('cancels the jobs of a signal (their page gone) when it aborts, and lets go of it once they end', async () => {
    const table = new JobTable<string>('test', 8, new JobSlots(4));
    const page = new AbortController();
    const [a, b] = [manual(), manual()];
    const ia = table.start(a.start, track, undefined, page.signal);
    const ib = table.start(b.start, track, undefined, page.signal);
    b.finish('B');
    await settle();
    expect(getEventListeners(page.signal, 'abort')).toHaveLength(1); // b's is gone with b
    page.abort();
    await expect(table.get(ia).run.promise).rejects.toBeInstanceOf(CancelledError);
    expect(table.get(ia).cancelled).toBe(true);
    expect(table.get(ib).cancelled).toBe(false);
    await settle();
    expect(getEventListeners(page.signal, 'abort')).toHaveLength(0);
  });
});
