// The reviewer's store on a real IndexedDB implementation (fake-indexeddb): every change written
// with its audit row, reload finds it, and a v1 database migrates to the current schema.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { JOURNAL_KEY, ReviewDb, ReviewStore, SCHEMA_VERSION } from '../../src/renderer/src/lib/db';
import type { BeatEdit } from '../../src/renderer/src/lib/beats';

const deps = () => ({ indexedDB: new IDBFactory(), IDBKeyRange });
const edit = (sample: number, label: BeatEdit['label'], status: BeatEdit['status']): BeatEdit => ({
  sample,
  label,
  status,
  who: 'ana',
  when: '2026-01-01T00:00:00Z',
});

describe('review store', () => {
  it('queued actions go in one transaction, in order, each audited under its own action; reading flushes them first', async () => {
    const d = deps();
    const store = new ReviewStore(new ReviewDb('t-soon', d));
    await store.openRecord('h1', '100', '/a/100');
    const first = store.applySoon({
      hash: 'h1',
      changes: [{ kind: 'beat', sample: 500, before: undefined, after: edit(500, 'V', 'relabelled') }],
      who: 'ana',
      action: 'relabel V',
      when: '2026-01-01T00:00:01.000Z',
    });
    const second = store.applySoon({
      hash: 'h1',
      changes: [
        { kind: 'beat', sample: 500, before: edit(500, 'V', 'relabelled'), after: edit(500, 'N', 'relabelled') },
        { kind: 'beat', sample: 900, before: undefined, after: edit(900, 'N', 'confirmed') },
      ],
      who: 'ana',
      action: 'relabel N',
      when: '2026-01-01T00:00:02.000Z',
    });
    // read at once, before the delay is over: load and the audit trail write what waits first
    const loaded = await store.load('h1');
    expect(loaded.beats.map((b) => [b.sample, b.label]).sort()).toEqual([
      [500, 'N'],
      [900, 'N'],
    ]);
    const trail = await store.auditTrail('h1');
    expect(trail.map((r) => `${r.action} ${r.target}`).sort()).toEqual(['relabel N beat @500', 'relabel N beat @900', 'relabel V beat @500']);
    await first;
    await second;
    // a new connection (reload) sees the same
    const again = await new ReviewStore(new ReviewDb('t-soon', d)).load('h1');
    expect(again.beats.length).toBe(2);
  });

  it('a page closed before its write leaves the actions in the journal; the next start writes them once', async () => {
    const d = deps();
    const mem = new Map<string, string>();
    const journal = {
      getItem: (k: string) => mem.get(k) ?? null,
      setItem: (k: string, v: string) => void mem.set(k, v),
      removeItem: (k: string) => void mem.delete(k),
    };
    const closing = new ReviewStore(new ReviewDb('t-journal', d), journal);
    await closing.openRecord('h1', '100', '/a/100');
    const cmd = (sample: number, when: string) => ({
      hash: 'h1',
      changes: [{ kind: 'beat' as const, sample, before: undefined, after: edit(sample, 'N', 'relabelled') }],
      who: 'ana',
      action: 'relabel N',
      when,
    });
    const lost = [closing.applySoon(cmd(100, '2026-01-01T00:00:01.000Z')), closing.applySoon(cmd(200, '2026-01-01T00:00:02.000Z'))];
    closing.saveJournal(); // the page hides
    closing.db.close(); // and goes before its write: the write fails
    await Promise.allSettled([...lost, closing.flush()]);
    expect(JSON.parse(mem.get(JOURNAL_KEY)!)).toHaveLength(2);
    expect((await new ReviewStore(new ReviewDb('t-journal', d), null).load('h1')).beats).toEqual([]); // not in IndexedDB
    // the next start (a new connection, the same localStorage) writes them before it reads
    const next = new ReviewStore(new ReviewDb('t-journal', d), journal);
    expect((await next.load('h1')).beats.map((b) => b.sample).sort()).toEqual([100, 200]);
    expect(mem.has(JOURNAL_KEY)).toBe(false);
    expect((await next.auditTrail('h1')).length).toBe(2);
    // a journal left behind by a page whose write did land adds nothing a second time
    await next.applySoon(cmd(300, '2026-01-01T00:00:03.000Z'));
    mem.set(JOURNAL_KEY, JSON.stringify([cmd(300, '2026-01-01T00:00:03.000Z')]));
    const third = new ReviewStore(new ReviewDb('t-journal', d), journal);
    await third.load('h1');
    expect((await third.auditTrail('h1')).map((r) => r.target).sort()).toEqual(['beat @100', 'beat @200', 'beat @300']);
    expect(mem.has(JOURNAL_KEY)).toBe(false);
  });

  it('writes changes and audit rows at once; a new connection (reload) reads them back', async () => {
    const d = deps();
    const store = new ReviewStore(new ReviewDb('t1', d));
    await store.openRecord('h1', '100', '/a/100');
    await store.apply('h1', [{ kind: 'beat', sample: 500, before: undefined, after: edit(500, 'V', 'relabelled') }], 'ana', 'relabel V');
    await store.apply(
      'h1',
      [
        {
          kind: 'episode',
          key: 'model:AF:10',
          before: undefined,
          after: { key: 'model:AF:10', type: 'AF', onsetSample: 10, offsetSample: 90, confidence: 0.8, explanation: 'x', status: 'confirmed' },
        },
      ],
      'ana',
      'confirm AF'
    );
    await store.apply('h1', [{ kind: 'beat', sample: 500, before: edit(500, 'V', 'relabelled'), after: undefined }], 'ana', 'undo relabel V');
    await store.apply('h1', [{ kind: 'beat', sample: 700, before: undefined, after: edit(700, 'N', 'added') }], 'ana', 'add beat');
    store.db.close();

    const again = new ReviewStore(new ReviewDb('t1', d));
    const saved = await again.load('h1');
    expect(saved.beats).toEqual([edit(700, 'N', 'added')]);
    expect(saved.episodes[0]).toMatchObject({ key: 'model:AF:10', status: 'confirmed' });
    const audit = await again.auditTrail('h1');
    expect(audit.map((a) => a.action)).toEqual(['add beat', 'undo relabel V', 'confirm AF', 'relabel V']);
    expect(audit[1]).toMatchObject({ who: 'ana', target: 'beat @500', old: 'V (relabelled)', new: '—' });
    expect((await again.load('other')).beats).toEqual([]);
  });

  it('keeps settings, per-record thresholds and the recent list', async () => {
    const store = new ReviewStore(new ReviewDb('t2', deps()));
    expect(await store.setting('defaultThreshold', 0.5)).toBe(0.5);
    await store.setSetting('defaultThreshold', 0.42);
    expect(await store.setting('defaultThreshold', 0.5)).toBe(0.42);
    await store.openRecord('a', 'A', '/a');
    await new Promise((r) => setTimeout(r, 5));
    await store.openRecord('b', 'B', '/b');
    await store.updateRecord('a', { threshold: 0.7 });
    expect((await store.recent()).map((r) => r.hash)).toEqual(['b', 'a']);
    expect((await store.openRecord('a', 'A', '/elsewhere/A')).threshold).toBe(0.7);
  });

  it('migrates a version 1 database (no lastOpened, audit without reviewer)', async () => {
    const d = deps();
    const v1 = new Dexie('t3', d);
    v1.version(1).stores({ records: 'hash', beatEdits: '[hash+sample], hash', episodeEdits: '[hash+key], hash', audit: '++id, hash', settings: 'key' });
    await v1.table('records').put({ hash: 'old', name: 'old', path: '/old' });
    await v1.table('audit').add({ hash: 'old', when: '2025-01-01', action: 'relabel', target: 'beat @1', old: 'N', new: 'V' });
    await v1.table('beatEdits').put({ hash: 'old', ...edit(1, 'V', 'relabelled') });
    v1.close();
    const db = new ReviewDb('t3', d);
    await db.open();
    expect(db.verno).toBe(SCHEMA_VERSION);
    const store = new ReviewStore(db);
    expect((await store.recent())[0]).toMatchObject({ hash: 'old', lastOpened: 0 });
    expect((await store.auditTrail('old'))[0]!.who).toBe('unknown');
    expect((await store.load('old')).beats).toHaveLength(1);
  });
});
