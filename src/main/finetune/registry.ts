// The user's model registry: fine-tuned versions of the beat model in a folder of their own
// (HEARTBEAT_REGISTRY_DIR, or <app data>/models), with a manifest.json of the same shape as the
// shipped one plus `active` (task → id), which src/main/inference's loadCatalog reads: the active
// registry version overrides the shipped model for its task. The shipped model is never modified
// or deleted; activating it just clears `active.beat`.
import { existsSync } from 'node:fs';
import { open, readFile, rm, mkdir, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { FinetuneInfo, type ModelVersion } from '../../shared/finetune';
import { defaultModelsDir, isPlainName, loadCatalog, ModelEntry, sha256File, type ResolvedModel } from '../inference';
import { writeFileAtomic } from '../files/atomic';
import { withFileLock } from '../files/lock';
import { FinetuneError } from './data';
import { envSetting } from '../app/env';

export interface RegistryDoc {
  models: Record<string, unknown>[];
  active?: Record<string, string>;
  [k: string]: unknown;
}

/** A registry entry: the inference module's ModelEntry fields plus the fine-tune record. */
export type VersionEntry = ModelEntry & { finetune: FinetuneInfo };

/** HEARTBEAT_REGISTRY_DIR, else <HEARTBEAT_DATA_DIR or ~/.heartbeat-sensei>/models. */
export function defaultRegistryDir(dataDir?: string): string {
  const registry = envSetting('HEARTBEAT_REGISTRY_DIR');
  if (registry) return resolve(registry);
  return join(dataDir ?? envSetting('HEARTBEAT_DATA_DIR') ?? join(homedir(), '.heartbeat-sensei'), 'models');
}

/**
 * The beat model analyses should use: the registry's active version, else the shipped one.
 * The analysis pipeline gets the same answer by passing `registryDir` to loadCatalog.
 */
export async function activeBeatModel(registryDir: string = defaultRegistryDir(), modelsDir: string = defaultModelsDir()): Promise<ResolvedModel | null> {
  return (await loadCatalog(modelsDir, registryDir)).models.beat ?? null;
}

/** An unregistered version file older than this is a stray (as the startup sweep, app/sweep.ts, judges it), not a job's reservation. */
export const STRAY_AFTER_MS = 10 * 60_000;

/** n of an id "<root>-ft<n>", else null. */
function ftNumber(id: string): number | null {
  const m = /-ft(\d+)$/.exec(id);
  return m ? Number(m[1]) : null;
}

export class ModelRegistry {
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string = defaultRegistryDir(),
    readonly modelsDir: string = defaultModelsDir()
  ) {}

  /**
   * Registry changes run one after another (read-modify-write of manifest.json): in order within
   * this process, and under a lock file against another process's (the app's and the CLI's).
   */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const locked = async () => {
      // the shipped models' folder is never written (its manifest.json has the same shape)
      if (resolve(this.dir) === resolve(this.modelsDir))
        throw new FinetuneError('REGISTRY', `${this.dir} is the shipped models' folder: fine-tuned versions need a registry folder of their own`);
      await mkdir(this.dir, { recursive: true });
      return withFileLock(this.manifestPath, fn);
    };
    const p = this.chain.then(locked, locked);
    this.chain = p.catch(() => undefined);
    return p;
  }

  get manifestPath(): string {
    return join(this.dir, 'manifest.json');
  }

  async read(): Promise<RegistryDoc> {
    if (!existsSync(this.manifestPath)) return { models: [] };
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(this.manifestPath, 'utf8'));
    } catch (e) {
      throw new FinetuneError('REGISTRY', `${this.manifestPath}: unreadable registry manifest (${(e as Error).message})`);
    }
    if (!doc || typeof doc !== 'object' || !Array.isArray((doc as RegistryDoc).models))
      throw new FinetuneError('REGISTRY', `${this.manifestPath}: no "models" array`);
    return doc as RegistryDoc;
  }

  private async write(doc: RegistryDoc): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.manifestPath, new TextEncoder().encode(JSON.stringify(doc, null, 2) + '\n'));
  }

  /** The shipped beat model (models/manifest.json), with its replay and reference sets. */
  async shipped(): Promise<ResolvedModel> {
    const cat = await loadCatalog(this.modelsDir);
    const m = cat.models.beat;
    if (!m) throw new FinetuneError('NO_MODEL', `no shipped beat model: ${cat.problems.beat ?? cat.general ?? 'unknown reason'}`);
    return m;
  }

  /** Registry entries (fine-tuned versions) that parse. */
  async entries(): Promise<VersionEntry[]> {
    const doc = await this.read();
    const out: VersionEntry[] = [];
    for (const raw of doc.models) {
      const e = ModelEntry.safeParse(raw);
      const f = FinetuneInfo.safeParse((raw as { finetune?: unknown }).finetune);
      if (e.success && f.success) out.push({ ...e.data, finetune: f.data });
    }
    return out;
  }

  /** Resolves a version id (shipped or registry) to its entry and file. */
  async resolve(id: string): Promise<ResolvedModel & { shipped: boolean }> {
    const s = await this.shipped();
    if (id === s.entry.id) return { ...s, shipped: true };
    const e = (await this.entries()).find((x) => x.id === id);
    if (!e) throw new FinetuneError('UNKNOWN_VERSION', `no beat model version "${id}" (shipped: ${s.entry.id}; registry: ${this.dir})`);
    return { entry: e, path: resolve(this.dir, e.file), shipped: false };
  }

  /** The active beat model: registry's active version, else the shipped model. */
  async active(): Promise<ResolvedModel> {
    const a = await activeBeatModel(this.dir, this.modelsDir);
    if (!a) throw new FinetuneError('NO_MODEL', 'no beat model available');
    return a;
  }

  async list(): Promise<ModelVersion[]> {
    const s = await this.shipped();
    const act = (await this.read()).active?.beat;
    const entries = await this.entries();
    const activeId = act && entries.some((e) => e.id === act) ? act : s.entry.id;
    const v = (e: ModelEntry, shipped: boolean, file: string): ModelVersion => ({
      id: e.id,
      version: e.version,
      task: e.task,
      shipped,
      active: e.id === activeId,
      file,
      sha256: e.sha256,
      ...(e.defaultThreshold !== undefined ? { defaultThreshold: e.defaultThreshold } : {}),
    });
    return [v(s.entry, true, s.path), ...entries.map((e) => ({ ...v(e, false, resolve(this.dir, e.file)), finetune: e.finetune }))];
  }

  /** Adds a version whose ONNX file is already in the registry folder (inactive). */
  add(entry: VersionEntry): Promise<void> {
    return this.serial(async () => {
      const doc = await this.read();
      if (doc.models.some((m) => (m as { id?: string }).id === entry.id))
        throw new FinetuneError('REGISTRY', `version id "${entry.id}" already exists in ${this.manifestPath}`);
      doc.models.push(entry as unknown as Record<string, unknown>);
      const n = ftNumber(entry.id);
      if (n !== null) doc.lastFinetune = Math.max(Number(doc.lastFinetune) || 0, n);
      await this.write(doc);
    });
  }

  /**
   * Next id/version for a child of the shipped root: <root id>-ft<n>, <root version>-ft.<n>, n one
   * past the highest ever registered (`lastFinetune` remembers deleted ones, so a number is never
   * reused). Files nobody registered (a job killed before registering) do not count: numbers never skip.
   */
  async nextVersion(): Promise<{ id: string; version: string; n: number }> {
    const s = await this.shipped();
    const doc = await this.read();
    let n = Number.isInteger(doc.lastFinetune) ? (doc.lastFinetune as number) : 0;
    for (const m of doc.models) {
      const id = String((m as { id?: unknown }).id ?? '');
      const hit = id.startsWith(`${s.entry.id}-ft`) ? ftNumber(id) : null;
      if (hit !== null) n = Math.max(n, hit);
    }
    return { id: `${s.entry.id}-ft${n + 1}`, version: `${s.entry.version}-ft.${n + 1}`, n: n + 1 };
  }

  /**
   * Reserves the next version: its file created empty, exclusively, so that no other job (of this
   * process or another) takes the same id; the job then renames its complete file over it. A file
   * already there is another job's reservation, passed over, unless it is older than
   * STRAY_AFTER_MS: a job killed before registering left it, and it is taken (numbers do not skip
   * for it). A reservation nobody registers is removed by removeUnregistered or the startup sweep.
   */
  reserve(): Promise<{ id: string; version: string; file: string; path: string }> {
    // under the registry's lock: of two jobs that find one stray, one takes it over
    return this.serial(async () => {
      const s = await this.shipped();
      for (let { n } = await this.nextVersion(); ;) {
        const id = `${s.entry.id}-ft${n}`;
        const file = `${id}.onnx`;
        const path = join(this.dir, file);
        try {
          await (await open(path, 'wx')).close();
          return { id, version: `${s.entry.version}-ft.${n}`, file, path };
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const st = await stat(path).catch(() => null);
        if (st && Date.now() - st.mtimeMs > STRAY_AFTER_MS) await rm(path, { force: true });
        else if (st) n++;
      }
    });
  }

  /** Removes a version file that no manifest entry names (a job's that was cancelled or failed); a registered one stays. */
  removeUnregistered(path: string): Promise<void> {
    return this.serial(async () => {
      const named = (await this.read()).models.some((m) => resolve(this.dir, String((m as { file?: unknown }).file ?? '')) === resolve(path));
      if (!named) await rm(path, { force: true });
    });
  }

  /** Makes `id` the active beat model (the shipped id clears the override). Verifies the file's hash first. */
  activate(id: string): Promise<ModelVersion[]> {
    return this.serial(async () => {
      const m = await this.resolve(id);
      if (!m.shipped) {
        const sha = await sha256File(m.path).catch(() => '');
        if (sha !== m.entry.sha256.toLowerCase())
          throw new FinetuneError('REGISTRY', `${m.path}: missing or its sha256 does not match the registry (not activated)`);
      }
      const doc = await this.read();
      const active = { ...(doc.active ?? {}) };
      if (m.shipped) delete active.beat;
      else active.beat = id;
      doc.active = active;
      await this.write(doc);
      return this.list();
    });
  }

  /**
   * Activates the active version's parent: the nearest ancestor whose file is there and matches its
   * hash (the shipped model when none does). Returns the new active id.
   */
  async rollback(): Promise<string> {
    const act = (await this.read()).active?.beat;
    const s = await this.shipped();
    if (!act) return s.entry.id;
    const entries = await this.entries();
    const byId = new Map(entries.map((e) => [e.id, e]));
    const seen = new Set([act]);
    for (let id = byId.get(act)?.finetune.parent.id; id && id !== s.entry.id && !seen.has(id); id = byId.get(id)?.finetune.parent.id) {
      seen.add(id);
      const e = byId.get(id);
      if (!e) break;
      if ((await sha256File(resolve(this.dir, e.file)).catch(() => '')) === e.sha256.toLowerCase()) {
        await this.activate(id);
        return id;
      }
    }
    await this.activate(s.entry.id);
    return s.entry.id;
  }

  /** Deletes a fine-tuned version (entry, then file). Deleting the active one rolls back first. The shipped model is refused. */
  async delete(id: string): Promise<ModelVersion[]> {
    const s = await this.shipped();
    if (id === s.entry.id) throw new FinetuneError('SHIPPED', `${id} is the shipped model: it is never deleted`);
    if ((await this.read()).active?.beat === id) await this.rollback();
    return this.serial(async () => {
      const doc = await this.read();
      const i = doc.models.findIndex((m) => (m as { id?: string }).id === id);
      if (i < 0) throw new FinetuneError('UNKNOWN_VERSION', `no fine-tuned version "${id}" in ${this.manifestPath}`);
      const file = String((doc.models[i] as { file?: unknown }).file ?? '');
      doc.models.splice(i, 1);
      await this.write(doc);
      // a name that is a path is not this registry's file (ModelEntry refuses it): the entry goes, no file
      if (isPlainName(file)) await rm(join(this.dir, file), { force: true });
      return this.list();
    });
  }
}
