// The reviewer's work in IndexedDB (Dexie), keyed by the record's content hash so the same record
// opened from another path is recognised. Every action is written with an audit row (who, when,
// old → new) once the edits pause (a burst of key presses in one transaction, lib/write-behind.ts);
// until then each action is also in the page's localStorage journal, which the next start writes
// should the page crash or close first.
import { Dexie, type DexieOptions, type Table } from 'dexie';
import type { BeatEdit } from './beats';
import type { Change, EpisodeEdit } from './history';
import { writeBehind, type WriteBehind } from './write-behind';

/** One reviewer action as the store writes it: its id, the record, the changes, who, what and when (ISO time). */
export interface StoredCommand {
  id: string;
  hash: string;
  changes: readonly Change[];
  who: string;
  action: string;
  when: string;
}

/** What the journal needs of localStorage. */
export interface JournalStorage {
  readonly length: number;
  key(index: number): string | null;
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * Prefix of the localStorage keys (one per page) holding the actions a page has not yet written to
 * IndexedDB. Kept in step with every queued action and every finished write, so a page that
 * crashes or closes leaves exactly its unwritten actions; the next start writes them.
 */
export const JOURNAL_PREFIX = 'heartbeat-sensei.unwritten-review.';

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStr = (x: unknown): x is string => typeof x === 'string';
const isBeatEdit = (x: unknown) => x === undefined || (isObj(x) && Number.isInteger(x.sample) && isStr(x.label) && isStr(x.status));
const isEpisodeEdit = (x: unknown) =>
  x === undefined || (isObj(x) && isStr(x.type) && Number.isFinite(x.onsetSample) && Number.isFinite(x.offsetSample) && isStr(x.status));
const isChange = (c: unknown) =>
  isObj(c) &&
  ((c.kind === 'beat' && Number.isInteger(c.sample) && (c.sample as number) >= 0 && isBeatEdit(c.before) && isBeatEdit(c.after)) ||
    (c.kind === 'episode' && isStr(c.key) && isEpisodeEdit(c.before) && isEpisodeEdit(c.after)));
const isCommand = (c: unknown): c is StoredCommand =>
  isObj(c) && isStr(c.id) && isStr(c.hash) && isStr(c.who) && isStr(c.action) && isStr(c.when) && Array.isArray(c.changes) && c.changes.every(isChange);

/** A journal's commands, and how many of its entries are not commands this store wrote (dropped). */
export function parseJournal(text: string | null): { commands: StoredCommand[]; dropped: number } {
  if (!text) return { commands: [], dropped: 0 };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { commands: [], dropped: 1 };
  }
  if (!Array.isArray(v)) return { commands: [], dropped: 1 };
  const commands = v.filter(isCommand);
  return { commands, dropped: v.length - commands.length };
}

export interface RecordRow {
  hash: string;
  name: string;
  path: string;
  lastOpened: number;
  /** Per-record PVC threshold of rows made before thresholds were kept per model (taken by the first analysis since). */
  threshold?: number;
  /** The reviewer's threshold for this record per beat model version and lead count (record-store.ts defaultThresholdKey). */
  thresholds?: Record<string, number>;
  /** Rows that kept one threshold with the model it was set for (`threshold` then belongs to it). */
  thresholdKey?: string;
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
  /** The action's StoredCommand id (rows written before ids have none). */
  cmd?: string;
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
  /** Other pages' journals written into the store: started at once, awaited before any read. */
  private readonly replayed: Promise<void>;
  private readonly journalKey = `${JOURNAL_PREFIX}${newCommandId()}`;
  /** What went wrong with a journal, for the UI; null when nothing did. */
  journalProblem: string | null = null;

  /** journal: where unwritten actions are kept across a crash (localStorage in the app; none in Node). */
  constructor(
    readonly db: ReviewDb,
    private readonly journal: JournalStorage | null = localStorageOrNull()
  ) {
    this.waiting = writeBehind(
      (commands) => this.applyAll(commands),
      undefined,
      undefined,
      (unwritten) => this.keepJournal(unwritten)
    );
    this.replayed = this.replayJournals();
  }

  /** This page's journal := its unwritten actions (synchronous). */
  private keepJournal(unwritten: StoredCommand[]): void {
    try {
      if (unwritten.length) this.journal?.setItem(this.journalKey, JSON.stringify(unwritten));
      else this.journal?.removeItem(this.journalKey);
    } catch {
      // full (a huge bulk action) or unavailable: IndexedDB's write is all there is for these
      this.journalProblem = 'The review journal could not be written (storage full): unwritten actions are not kept across a crash.';
      try {
        this.journal?.removeItem(this.journalKey);
      } catch {
        /* nothing more to do */
      }
    }
  }

  /**
   * Writes the actions of journals left by pages that ended before their writes (those the store
   * lacks, by command id), then drops each journal. A journal that cannot be written stays for the
   * next start; entries that are not actions are dropped and reported.
   */
  private async replayJournals(): Promise<void> {
    const j = this.journal;
    if (!j) return;
    const keys: string[] = [];
    try {
      for (let i = 0; i < j.length; i++) {
        const k = j.key(i);
        if (k?.startsWith(JOURNAL_PREFIX) && k !== this.journalKey) keys.push(k);
      }
    } catch {
      return;
    }
    for (const key of keys) {
      try {
        const { commands, dropped } = parseJournal(j.getItem(key));
        if (dropped)
          this.journalProblem = `Review actions kept from an earlier session: ${dropped} ${dropped === 1 ? 'entry was' : 'entries were'} not a review action and ${dropped === 1 ? 'was' : 'were'} left out (localStorage ${key}).`;
        const missing: StoredCommand[] = [];
        for (const c of commands)
          if (
            !(await this.db.audit
              .where('when')
              .equals(c.when)
              .filter((r) => r.cmd === c.id)
              .first())
          )
            missing.push(c);
        if (missing.length) await this.applyAll(missing);
        j.removeItem(key);
      } catch (e) {
        this.journalProblem = `The review journal ${key} could not be written to the store (${e instanceof Error ? e.message : String(e)}); it is kept for the next start.`;
      }
    }
  }

  /** Queues an action's write (lib/write-behind.ts: once the edits pause, in order), stamped now unless it has an id and time; resolves once written. */
  applySoon(command: Omit<StoredCommand, 'when' | 'id'> & { when?: string; id?: string }): Promise<void> {
    return this.waiting.push({ ...command, id: command.id ?? newCommandId(), when: command.when ?? new Date().toISOString() });
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

  /** Before a read: other pages' journals and this page's queued actions are in the store. */
  private async settled(): Promise<void> {
    await this.replayed;
    await this.flush();
  }

  async load(hash: string): Promise<{ beats: BeatEdit[]; episodes: EpisodeEdit[] }> {
    await this.settled();
    const strip = <T extends { hash: string }>(r: T): Omit<T, 'hash'> => {
      const { hash: _h, ...rest } = r;
      return rest;
    };
    const [b, e] = await Promise.all([this.db.beatEdits.where('hash').equals(hash).toArray(), this.db.episodeEdits.where('hash').equals(hash).toArray()]);
    return { beats: b.map(strip), episodes: e.map(strip) };
  }

  /**
   * Writes several commands, in order, in one transaction: each change's after-state (the last
   * change of a key wins, as in memory) and one audit row per change under its command's action.
   */
  async applyAll(commands: readonly StoredCommand[]): Promise<void> {
    const beats = new Map<string, { hash: string; sample: number; e: BeatEdit | undefined }>();
    const eps = new Map<string, { hash: string; key: string; e: EpisodeEdit | undefined }>();
    const audit: AuditRow[] = [];
    for (const { id: cmd, hash, changes, who, action, when } of commands) {
      for (const c of changes) {
        if (c.kind === 'beat') {
          beats.set(`${hash}\0${c.sample}`, { hash, sample: c.sample, e: c.after });
          audit.push({ cmd, hash, when, who, action, target: `beat @${c.sample}`, old: describe(c.before), new: describe(c.after) });
        } else {
          eps.set(`${hash}\0${c.key}`, { hash, key: c.key, e: c.after });
          audit.push({ cmd, hash, when, who, action, target: `episode ${c.key}`, old: describe(c.before), new: describe(c.after) });
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
    await this.settled();
    return this.db.audit.where('hash').equals(hash).reverse().limit(limit).toArray();
  }

  async setting<T extends string | number | boolean>(key: string, fallback: T): Promise<T> {
    const row = await this.db.settings.get(key);
    return row && typeof row.value === typeof fallback ? (row.value as T) : fallback;
  }

  async setSetting(key: string, value: string | number | boolean): Promise<void> {
    await this.db.settings.put({ key, value });
  }

  async deleteSetting(key: string): Promise<void> {
    await this.db.settings.delete(key);
  }
}

/** A unique id: a command's, or this page's journal's. */
function newCommandId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** The page's localStorage, or null where there is none or it is blocked (its getter throws then). */
function localStorageOrNull(): JournalStorage | null {
  try {
    return (globalThis as { localStorage?: JournalStorage }).localStorage ?? null;
  } catch {
    return null;
  }
}
