// The reviewer's work in IndexedDB (Dexie), keyed by the record's content hash so the same record
// opened from another path is recognised. Every action is written when it happens (with an audit
// row: who, when, old → new), so a reload or a crash loses nothing.
import { Dexie, type DexieOptions, type Table } from 'dexie';
import type { BeatEdit } from './beats';
import type { Change, EpisodeEdit } from './history';

export interface RecordRow {
  hash: string;
  name: string;
  path: string;
  lastOpened: number;
  /** Per-record PVC threshold, when the reviewer set one. */
  threshold?: number;
  /** Where the reviewer was: sample of the current beat. */
  cursor?: number;
  queueOrder?: 'time' | 'uncertainty';
  /** Strips the reviewer marked for the report (sample of the strip's middle, a note). */
  reportStrips?: ReportStrip[];
}

export interface ReportStrip {
  sample: number;
  note: string;
}

export type BeatEditRow = BeatEdit & { hash: string };
export type EpisodeEditRow = EpisodeEdit & { hash: string };

export interface AuditRow {
  id?: number;
  hash: string;
  when: string;
  who: string;
  action: string;
  target: string;
  old: string;
  new: string;
}

export interface SettingRow {
  key: string;
  value: string | number | boolean;
}

export const DB_NAME = 'heartbeat-sensei';
export const SCHEMA_VERSION = 2;

export class ReviewDb extends Dexie {
  records!: Table<RecordRow, string>;
  beatEdits!: Table<BeatEditRow, [string, number]>;
  episodeEdits!: Table<EpisodeEditRow, [string, string]>;
  audit!: Table<AuditRow, number>;
  settings!: Table<SettingRow, string>;

  constructor(name = DB_NAME, deps?: Pick<DexieOptions, 'indexedDB' | 'IDBKeyRange'>) {
    super(name, deps);
    // v1: the first schema.
    this.version(1).stores({
      records: 'hash',
      beatEdits: '[hash+sample], hash',
      episodeEdits: '[hash+key], hash',
      audit: '++id, hash',
      settings: 'key',
    });
    // v2: recent-records list (index on lastOpened) and audit by time; rows from v1 get a
    // lastOpened of 0 and audit rows without a reviewer name get "unknown".
    this.version(2)
      .stores({ records: 'hash, lastOpened', audit: '++id, hash, when' })
      .upgrade(async (tx) => {
        await tx
          .table('records')
          .toCollection()
          .modify((r: Partial<RecordRow>) => {
            if (typeof r.lastOpened !== 'number') r.lastOpened = 0;
          });
        await tx
          .table('audit')
          .toCollection()
          .modify((a: Partial<AuditRow>) => {
            if (!a.who) a.who = 'unknown';
          });
      });
  }
}

function describe(e: BeatEdit | EpisodeEdit | undefined): string {
  if (!e) return '—';
  if ('sample' in e) return `${e.label} (${e.status})`;
  return `${e.type} ${e.onsetSample}–${e.offsetSample} (${e.status})`;
}

export class ReviewStore {
  constructor(readonly db: ReviewDb) {}

  async openRecord(hash: string, name: string, path: string): Promise<RecordRow> {
    return this.db.transaction('rw', this.db.records, async () => {
      const old = await this.db.records.get(hash);
      const row: RecordRow = { ...old, hash, name, path, lastOpened: Date.now() };
      await this.db.records.put(row);
      return row;
    });
  }

  async updateRecord(hash: string, patch: Partial<Omit<RecordRow, 'hash'>>): Promise<void> {
    await this.db.records.update(hash, patch);
  }

  async recent(limit = 8): Promise<RecordRow[]> {
    return this.db.records.orderBy('lastOpened').reverse().limit(limit).toArray();
  }

  async load(hash: string): Promise<{ beats: BeatEdit[]; episodes: EpisodeEdit[] }> {
    const strip = <T extends { hash: string }>(r: T): Omit<T, 'hash'> => {
      const { hash: _h, ...rest } = r;
      return rest;
    };
    const [b, e] = await Promise.all([this.db.beatEdits.where('hash').equals(hash).toArray(), this.db.episodeEdits.where('hash').equals(hash).toArray()]);
    return { beats: b.map(strip), episodes: e.map(strip) };
  }

  /** Writes the changes (after-states) and their audit rows in one transaction. */
  async apply(hash: string, changes: readonly Change[], who: string, action: string): Promise<void> {
    const when = new Date().toISOString();
    // The final state per key (a command may touch a key twice; the last change wins, as in memory).
    const beats = new Map<number, BeatEdit | undefined>();
    const eps = new Map<string, EpisodeEdit | undefined>();
    const audit: AuditRow[] = [];
    for (const c of changes) {
      if (c.kind === 'beat') {
        beats.set(c.sample, c.after);
        audit.push({ hash, when, who, action, target: `beat @${c.sample}`, old: describe(c.before), new: describe(c.after) });
      } else {
        eps.set(c.key, c.after);
        audit.push({ hash, when, who, action, target: `episode ${c.key}`, old: describe(c.before), new: describe(c.after) });
      }
    }
    const beatPuts: BeatEditRow[] = [];
    const beatDels: [string, number][] = [];
    for (const [sample, e] of beats) {
      if (e) beatPuts.push({ ...e, hash });
      else beatDels.push([hash, sample]);
    }
    const epPuts: EpisodeEditRow[] = [];
    const epDels: [string, string][] = [];
    for (const [key, e] of eps) {
      if (e) epPuts.push({ ...e, hash });
      else epDels.push([hash, key]);
    }
    await this.db.transaction('rw', [this.db.beatEdits, this.db.episodeEdits, this.db.audit], async () => {
      if (beatDels.length) await this.db.beatEdits.bulkDelete(beatDels);
      if (beatPuts.length) await this.db.beatEdits.bulkPut(beatPuts);
      if (epDels.length) await this.db.episodeEdits.bulkDelete(epDels);
      if (epPuts.length) await this.db.episodeEdits.bulkPut(epPuts);
      await this.db.audit.bulkAdd(audit);
    });
  }

  async auditTrail(hash: string, limit = 200): Promise<AuditRow[]> {
    return this.db.audit.where('hash').equals(hash).reverse().limit(limit).toArray();
  }

  async setting<T extends string | number | boolean>(key: string, fallback: T): Promise<T> {
    const row = await this.db.settings.get(key);
    return row && typeof row.value === typeof fallback ? (row.value as T) : fallback;
  }

  async setSetting(key: string, value: string | number | boolean): Promise<void> {
    await this.db.settings.put({ key, value });
  }
}
