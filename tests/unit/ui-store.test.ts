// The reviewer's store on a real IndexedDB implementation (fake-indexeddb): every change written
// with its audit row, reload finds it, and a v1 database migrates to the current schema.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Dexie } from 'dexie';
import { ReviewDb, ReviewStore, SCHEMA_VERSION } from '../../src/renderer/src/lib/db';
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
