// Startup sweep of what a killed process leaves behind in the app's own folders: temporary files
// of atomic writes (`.<name>.<pid>.<random>.tmp`: killed between write and rename) in the analysis
// cache, the exports folder and the model registry, and fine-tuned version files in the registry
// that no manifest entry names (a fine-tune killed between writing its model and registering it).
// Only files of those names (a user's own .tmp or .onnx stays: these folders can be the user's),
// and only those older than `minAgeMs`, so a job running in another process (the CLI) keeps its files.
import { existsSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ModelRegistry, defaultRegistryDir } from '../finetune/registry';
import { tempTarget } from '../files/atomic';
import { envSetting } from './env';

export const STALE_AFTER_MS = 10 * 60_000;

async function oldFiles(dir: string, match: (name: string) => boolean, now: number, minAgeMs: number): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const out: string[] = [];
  for (const n of names) {
    if (!match(n)) continue;
    const st = await stat(join(dir, n)).catch(() => null);
    if (st?.isFile() && now - st.mtimeMs >= minAgeMs) out.push(join(dir, n));
  }
  return out;
}

async function remove(files: string[]): Promise<string[]> {
  const gone: string[] = [];
  for (const f of files)
    if (
      await rm(f, { force: true }).then(
        () => true,
        () => false
      )
    )
      gone.push(f);
  return gone;
}

/** Removes stale temporaries of atomic writes in `dir` (tempTarget: a user's own *.tmp stays); returns their paths. */
export async function sweepTemps(dir: string, now = Date.now(), minAgeMs = STALE_AFTER_MS): Promise<string[]> {
  return remove(await oldFiles(dir, (n) => tempTarget(n) !== null, now, minAgeMs));
}

/**
 * Removes stale temporaries and unregistered fine-tuned version files (`<shipped id>-ft<n>.onnx`) of a
 * registry; nothing but temporaries when it has no manifest or its manifest cannot be read (a folder
 * that holds other .onnx files of the user's is not a registry to tidy).
 */
export async function sweepRegistry(registry: ModelRegistry, now = Date.now(), minAgeMs = STALE_AFTER_MS): Promise<string[]> {
  const temps = await sweepTemps(registry.dir, now, minAgeMs);
  let registered: Set<string>;
  let versionFile: RegExp;
  try {
    if (!existsSync(registry.manifestPath)) return temps;
    registered = new Set((await registry.read()).models.map((m) => resolve(registry.dir, String((m as { file?: unknown }).file ?? ''))));
    const shipped = (await registry.shipped()).entry.id;
    versionFile = new RegExp(`^${shipped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-ft\\d+\\.onnx$`);
  } catch {
    return temps;
  }
  const strays = await oldFiles(registry.dir, (n) => versionFile.test(n) && !registered.has(resolve(registry.dir, n)), now, minAgeMs);
  return [...temps, ...(await remove(strays))];
}

/** The sweep the app runs once at startup over its data folder (same folders as createHandlerTable uses). */
export async function startupSweep(dataDir: string, now = Date.now()): Promise<string[]> {
  const cacheDir = envSetting('HEARTBEAT_CACHE_DIR') ?? join(dataDir, 'analysis-cache');
  const [a, b, c] = await Promise.all([
    sweepTemps(cacheDir, now),
    sweepTemps(join(dataDir, 'exports'), now),
    sweepRegistry(new ModelRegistry(defaultRegistryDir(dataDir)), now),
  ]);
  return [...a, ...b, ...c];
}
