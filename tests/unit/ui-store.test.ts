// The reviewer's store on a real IndexedDB implementation (fake-indexeddb): every change written
// with its audit row, reload finds it, and a v1 database migrates to the current schema.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { JOURNAL_PREFIX, parseJournal, ReviewDb, ReviewStore, SCHEMA_VERSION, type JournalStorage, type StoredCommand } from '../../src/renderer/src/lib/db';
import type { BeatEdit } from '../../src/renderer/src/lib/beats';

const deps = () => ({ indexedDB: new IDBFactory(), IDBKeyRange });
const edit = (sample: number, label: BeatEdit['label'], status: BeatEdit['status']): BeatEdit => ({
  sample,
  label,
  status,
  who: 'ana',
  when: '2026-01-01T00:00:00Z',
});

/** localStorage in memory. */
function memoryStorage(): JournalStorage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    key: (i) => [...m.keys()][i] ?? null,
    getItem: (k) => m.get(k) ?? null,
    setItem: (k, v) => void m.set(k, v),
    removeItem: (k) => void m.delete(k),
  };
}
const journals = (s: JournalStorage) => Array.from({ length: s.length }, (_, i) => s.key(i)!).filter((k) => k.startsWith(JOURNAL_PREFIX));
const cmd = (sample: number, when: string, label: BeatEdit['label'] = 'N'): StoredCommand => ({
  id: `c-${sample}-${when}`,
  hash: 'h1',
  changes: [{ kind: 'beat', sample, before: undefined, after: edit(sample, label, 'relabelled') }],
  who: 'ana',
  action: `relabel ${label}`,
  when,
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

  it('a page that ends before its write leaves its actions in its journal; the next start writes them once', async () => {
    const d = deps();
    const mem = memoryStorage();
    let alive = true; // the first page's view of localStorage, cut when it "crashes"
    const pageA = {
      ...mem,
      get length() {
        return mem.length;
      },
      setItem: (k: string, v: string) => void (alive && mem.setItem(k, v)),
      removeItem: (k: string) => void (alive && mem.removeItem(k)),
    };
    const a = new ReviewStore(new ReviewDb('t-journal', d), pageA);
    await a.openRecord('h1', '100', '/a/100');
    const lost = [a.applySoon(cmd(100, '2026-01-01T00:00:01.000Z')), a.applySoon(cmd(200, '2026-01-01T00:00:02.000Z'))];
    // journalled at once, before any write
    expect(journals(mem).flatMap((k) => JSON.parse(mem.getItem(k)!) as unknown[])).toHaveLength(2);
    a.db.close(); // the page goes before its write: the write fails
    await Promise.allSettled([...lost, a.flush()]);
    alive = false;
    expect((await new ReviewStore(new ReviewDb('t-journal', d), null).load('h1')).beats).toEqual([]); // not in IndexedDB
    // the next start writes them before it reads, and drops the journal
    const b = new ReviewStore(new ReviewDb('t-journal', d), mem);
    expect((await b.load('h1')).beats.map((x) => x.sample).sort()).toEqual([100, 200]);
    expect(journals(mem)).toEqual([]);
    expect((await b.auditTrail('h1')).length).toBe(2);
    // a journal left by a page whose write did land adds nothing a second time
    const c300 = cmd(300, '2026-01-01T00:00:03.000Z');
    await b.applySoon(c300);
    expect(journals(mem)).toEqual([]); // written: the page's own journal is empty again
    mem.setItem(`${JOURNAL_PREFIX}old`, JSON.stringify([c300]));
    const c = new ReviewStore(new ReviewDb('t-journal', d), mem);
    expect((await c.auditTrail('h1')).map((r) => r.target).sort()).toEqual(['beat @100', 'beat @200', 'beat @300']);
    expect(journals(mem)).toEqual([]);
  });

  it('a failed write stays journalled and is written with the next batch, before what came after it', async () => {
    const mem = memoryStorage();
    const store = new ReviewStore(new ReviewDb('t-retry', deps()), mem);
    const real = store.applyAll.bind(store);
    let fail = true;
    store.applyAll = async (commands) => {
      if (fail) throw new Error('quota');
      return real(commands);
    };
    const first = store.applySoon(cmd(100, '2026-01-01T00:00:01.000Z', 'V'));
    await store.flush();
    await expect(first).rejects.toThrow('quota');
    expect(journals(mem)).toHaveLength(1); // still kept
    fail = false;
    const later = store.applySoon(cmd(100, '2026-01-01T00:00:02.000Z', 'S'));
    await store.flush();
    await later;
    expect((await store.load('h1')).beats.map((b) => [b.sample, b.label])).toEqual([[100, 'S']]); // the later state wins
    expect(journals(mem)).toEqual([]);
  });

  it('a journal with entries that are not review actions is written in what it can and says what it left out', async () => {
    const d = deps();
    const mem = memoryStorage();
    mem.setItem(
      `${JOURNAL_PREFIX}bad`,
      JSON.stringify([{ id: 'x', kind: 'beat' }, cmd(100, '2026-01-01T00:00:01.000Z'), { ...cmd(7, 'w'), changes: [{ kind: 'beat', before: 'V' }] }])
    );
    const store = new ReviewStore(new ReviewDb('t-bad', d), mem);
    expect((await store.load('h1')).beats.map((b) => b.sample)).toEqual([100]);
    expect(store.journalProblem).toMatch(/2 entries were not a review action and were left out/);
    expect(journals(mem)).toEqual([]);
    expect(parseJournal('{oops').dropped).toBe(1);
  });

  it('writes each action with its audit rows; a new connection (reload) reads them back', async () => {
    const d = deps();
    const store = new ReviewStore(new ReviewDb('t1', d));
    await store.openRecord('h1', '100', '/a/100');
    await store.applySoon({
      hash: 'h1',
      changes: [{ kind: 'beat', sample: 500, before: undefined, after: edit(500, 'V', 'relabelled') }],
      who: 'ana',
      action: 'relabel V',
    });
    await store.applySoon({
      hash: 'h1',
      changes: [
        {
          kind: 'episode',
          key: 'model:AF:10',
          before: undefined,
          after: { key: 'model:AF:10', type: 'AF', onsetSample: 10, offsetSample: 90, confidence: 0.8, explanation: 'x', status: 'confirmed' },
        },
      ],
      who: 'ana',
      action: 'confirm AF',
    });
    await store.applySoon({
      hash: 'h1',
      changes: [{ kind: 'beat', sample: 500, before: edit(500, 'V', 'relabelled'), after: undefined }],
      who: 'ana',
      action: 'undo relabel V',
    });
    await store.applySoon({
      hash: 'h1',
      changes: [{ kind: 'beat', sample: 700, before: undefined, after: edit(700, 'N', 'added') }],
      who: 'ana',
      action: 'add beat',
    });
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
