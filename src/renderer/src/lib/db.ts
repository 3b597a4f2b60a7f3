// The reviewer's work in IndexedDB (Dexie), keyed by the record's content hash so the same record
// opened from another path is recognised. Every action is written with an audit row (who, when,
// old → new) once the edits pause (a burst of key presses in one transaction, lib/write-behind.ts);
// a page that closes first leaves the rest in a localStorage journal that the next start writes.
import { Dexie, type DexieOptions, type Table } from 'dexie';
import type { BeatEdit } from './beats';
import type { Change, EpisodeEdit } from './history';
import { writeBehind, type WriteBehind } from './write-behind';

/** One reviewer action as the store writes it: the record, the changes, who, what and when (ISO time). */
export interface StoredCommand {
  hash: string;
  changes: readonly Change[];
  who: string;
  action: string;
  when: string;
}

/** What the journal needs of localStorage. */
export interface JournalStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The localStorage key of the actions a closing page had not yet written (see ReviewStore.saveJournal). */
export const JOURNAL_KEY = 'heartbeat-sensei.unwritten-review';

/** The journal's commands, or [] when it is missing or not what saveJournal writes. */
function parseJournal(text: string | null): StoredCommand[] {
  if (!text) return [];
  try {
    const v: unknown = JSON.parse(text);
    const str = (x: unknown) => typeof x === 'string';
    if (!Array.isArray(v)) return [];
    return v.filter(
      (c): c is StoredCommand => typeof c === 'object' && c !== null && str(c.hash) && str(c.who) && str(c.action) && str(c.when) && Array.isArray(c.changes)
    );
  } catch {
    return [];
  }
}

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
  /** Reviewer actions waiting for their write (a burst of key presses goes in one transaction). */
  private readonly waiting: WriteBehind<StoredCommand>;
  private replayed: Promise<void> | null = null;

  /** journal: where a closing page leaves the actions it had not written (localStorage in the app; none in Node). */
  constructor(
    readonly db: ReviewDb,
    private readonly journal: JournalStorage | null = (globalThis as { localStorage?: JournalStorage }).localStorage ?? null
  ) {
    this.waiting = writeBehind((commands) => this.applyAll(commands));
  }

  /**
   * Synchronously keeps the actions not yet written where the next start finds them (a closing
   * page's IndexedDB writes can be cut off; localStorage is written at once). Call as the page
   * hides, with flush().
   */
  saveJournal(): void {
    const unwritten = this.waiting.unwritten();
    try {
      if (unwritten.length) this.journal?.setItem(JOURNAL_KEY, JSON.stringify(unwritten));
      else this.journal?.removeItem(JOURNAL_KEY);
    } catch {
      // full or unavailable: the IndexedDB write started by flush() is all there is
    }
  }

  /** Writes the journal's actions that the store lacks (matched by record, time and action), then drops it; once per store. */
  private replayJournal(): Promise<void> {
    this.replayed ??= (async () => {
      const commands = parseJournal(this.journal?.getItem(JOURNAL_KEY) ?? null);
      const missing: StoredCommand[] = [];
      for (const c of commands) {
        const rows = await this.db.audit.where('when').equals(c.when).toArray();
        if (!rows.some((r) => r.hash === c.hash && r.action === c.action)) missing.push(c);
      }
      if (missing.length) await this.applyAll(missing);
      this.journal?.removeItem(JOURNAL_KEY);
    })();
    return this.replayed;
  }

  /** Queues an action's write (lib/write-behind.ts: once the edits pause, in order), stamped now unless it has a time; resolves once written. */
  applySoon(command: Omit<StoredCommand, 'when'> & { when?: string }): Promise<void> {
    return this.waiting.push({ ...command, when: command.when ?? new Date().toISOString() });
  }

  /** Writes the queued actions now; resolves once they are in the store (or their write failed). */
  flush(): Promise<void> {
    return this.waiting.flush().catch(() => undefined);
  }

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
    await this.replayJournal();
    await this.flush();
    const strip = <T extends { hash: string }>(r: T): Omit<T, 'hash'> => {
      const { hash: _h, ...rest } = r;
      return rest;
    };
    const [b, e] = await Promise.all([this.db.beatEdits.where('hash').equals(hash).toArray(), this.db.episodeEdits.where('hash').equals(hash).toArray()]);
    return { beats: b.map(strip), episodes: e.map(strip) };
  }

  /** Writes the changes (after-states) and their audit rows in one transaction. */
  async apply(hash: string, changes: readonly Change[], who: string, action: string): Promise<void> {
    await this.applyAll([{ hash, changes, who, action, when: new Date().toISOString() }]);
  }

  /**
   * Writes several commands, in order, in one transaction: each change's after-state (the last
   * change of a key wins, as in memory) and one audit row per change under its command's action.
   */
  async applyAll(commands: readonly StoredCommand[]): Promise<void> {
    const beats = new Map<string, { hash: string; sample: number; e: BeatEdit | undefined }>();
    const eps = new Map<string, { hash: string; key: string; e: EpisodeEdit | undefined }>();
    const audit: AuditRow[] = [];
    for (const { hash, changes, who, action, when } of commands) {
      for (const c of changes) {
        if (c.kind === 'beat') {
          beats.set(`${hash}\0${c.sample}`, { hash, sample: c.sample, e: c.after });
          audit.push({ hash, when, who, action, target: `beat @${c.sample}`, old: describe(c.before), new: describe(c.after) });
        } else {
          eps.set(`${hash}\0${c.key}`, { hash, key: c.key, e: c.after });
          audit.push({ hash, when, who, action, target: `episode ${c.key}`, old: describe(c.before), new: describe(c.after) });
        }
      }
    }
    const beatPuts: BeatEditRow[] = [];
    const beatDels: [string, number][] = [];
    for (const { hash, sample, e } of beats.values()) {
      if (e) beatPuts.push({ ...e, hash });
      else beatDels.push([hash, sample]);
    }
    const epPuts: EpisodeEditRow[] = [];
    const epDels: [string, string][] = [];
    for (const { hash, key, e } of eps.values()) {
      if (e) epPuts.push({ ...e, hash });
      else epDels.push([hash, key]);
    }
    if (!audit.length) return;
    await this.db.transaction('rw', [this.db.beatEdits, this.db.episodeEdits, this.db.audit], async () => {
      if (beatDels.length) await this.db.beatEdits.bulkDelete(beatDels);
      if (beatPuts.length) await this.db.beatEdits.bulkPut(beatPuts);
      if (epDels.length) await this.db.episodeEdits.bulkDelete(epDels);
      if (epPuts.length) await this.db.episodeEdits.bulkPut(epPuts);
      await this.db.audit.bulkAdd(audit);
    });
  }

  async auditTrail(hash: string, limit = 200): Promise<AuditRow[]> {
    await this.flush();
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
