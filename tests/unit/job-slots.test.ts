// At most N analyses / fine-tunes at once; the rest wait in order with a "queued" progress state,
// and a queued job cancelled never starts (issue 14 item 6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobSlots, defaultSlots, slotsFromEnv, type Startable } from '../../src/main/jobs/slots';
import { AnalysisJobs } from '../../src/main/analysis/jobs';
import { writeSynthRecord } from '../../src/main/synth';
import { CancelledError } from '../../src/main/inference/cancel';

function fakeJob(log: string[], name: string, live: { now: number; max: number }): { start: () => Startable<string>; finish: () => void } {
  let done!: () => void;
  const start = (): Startable<string> => {
    log.push(`start ${name}`);
    live.now++;
    live.max = Math.max(live.max, live.now);
    const promise = new Promise<string>((ok) => {
      done = () => {
        live.now--;
        ok(name);
      };
    });
    return { promise, cancel: () => log.push(`cancel ${name}`) };
  };
  return { start, finish: () => done() };
}

describe('job slots', () => {
  it('runs at most `limit` at once, the rest in order, reporting their queue position', async () => {
    const slots = new JobSlots(2);
    const log: string[] = [];
    const live = { now: 0, max: 0 };
    const jobs = ['a', 'b', 'c', 'd', 'e'].map((n) => fakeJob(log, n, live));
    const queued: string[] = [];
    const runs = jobs.map((j, i) => slots.run(j.start, (pos) => queued.push(`${'abcde'[i]}@${pos}`)));
    expect(log).toEqual(['start a', 'start b']);
    expect(queued).toEqual([]); // told on the next turn
    await new Promise((r) => setImmediate(r));
    expect(queued).toEqual(['c@1', 'd@2', 'e@3']);
    expect([slots.active, slots.queued]).toEqual([2, 3]);
    // a queued job cancelled never starts and rejects with CancelledError
    runs[3]!.cancel();
    await expect(runs[3]!.promise).rejects.toBeInstanceOf(CancelledError);
    jobs[0]!.finish();
    await expect(runs[0]!.promise).resolves.toBe('a');
    await Promise.resolve();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    jobs[1]!.finish();
    jobs[2]!.finish();
    await Promise.all([runs[1]!.promise, runs[2]!.promise]);
    await Promise.resolve();
    expect(log).toEqual(['start a', 'start b', 'start c', 'start e']);
    // a running job's cancel reaches the job itself
    runs[4]!.cancel();
    expect(log.at(-1)).toBe('cancel e');
    jobs[4]!.finish();
    await runs[4]!.promise;
    expect(live.max).toBe(2);
    expect([slots.active, slots.queued]).toEqual([0, 0]);
  });

  it('a job that fails to start frees its slot', async () => {
    const slots = new JobSlots(1);
    const bad = slots.run(() => {
      throw new Error('no worker');
    });
    await expect(bad.promise).rejects.toThrow('no worker');
    const ok = slots.run(() => ({ promise: Promise.resolve(1), cancel: () => undefined }));
    await expect(ok.promise).resolves.toBe(1);
  });

  it('N comes from the core count (2 to 4), or HEARTBEAT_MAX_JOBS', () => {
    expect([1, 2, 4, 8, 16, 64].map((c) => defaultSlots(c))).toEqual([2, 2, 2, 4, 4, 4]);
    expect(slotsFromEnv('3')).toBe(3);
    expect(slotsFromEnv('0')).toBe(defaultSlots());
    expect(slotsFromEnv('x')).toBe(defaultSlots());
    expect(() => new JobSlots(0)).toThrow(RangeError);
  });
});

describe('analysis jobs share the slots', () => {
  let dir: string;
  let record: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hbs-slots-'));
    record = join(dir, 'rec', 'short');
    await writeSynthRecord(record, { scenario: 'demo', minutes: 1, seed: 5 });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('with one slot, three analyses run one after another; the waiting ones say "queued"', async () => {
    const jobs = new AnalysisJobs({ cacheDir: null, useRules: true, beats: 'reference' }, 8, new JobSlots(1));
    const events: string[] = [];
    const ids: string[] = [];
    for (let k = 0; k < 3; k++) {
      const mine = k;
      ids.push(jobs.start(record, {}, (_id, p) => events.push(`${mine}:${p.stage}`)));
    }
    await new Promise((r) => setImmediate(r));
    expect(events.filter((e) => !e.startsWith('0:'))).toEqual(['1:queued', '2:queued']);
    const cancelled = ids[2]!;
    expect(jobs.cancel(cancelled)).toBe(true);
    await expect(jobs.result(cancelled)).rejects.toBeInstanceOf(CancelledError);
    await jobs.result(ids[0]!);
    const r1 = await jobs.result(ids[1]!);
    expect(r1.beats.sample.length).toBeGreaterThan(30);
    const first1 = events.findIndex((e) => e.startsWith('1:') && e !== '1:queued');
    const last0 = events.map((e) => e.startsWith('0:')).lastIndexOf(true);
    expect(first1).toBeGreaterThan(last0);
    expect(events.filter((e) => e.startsWith('2:'))).toEqual(['2:queued']);
  }, 60_000);
});
