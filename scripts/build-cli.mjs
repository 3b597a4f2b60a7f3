// `npm run build:cli` (and `npm install`, as `prepare`): bundles the CLI and its two workers into
// out/cli/ as plain JavaScript, so bin/heartbeat-sensei.mjs starts without compiling TypeScript.
// Packages stay external (resolved from node_modules at run time; onnxruntime-node is native).
// out/cli/inputs.json lists the bundled sources: the bin runs the sources through tsx instead when
// one of them is newer than the build. With --install a failed build prints one line and exits 0:
// the install succeeds and the command runs through tsx. --out DIR builds elsewhere (tests).
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const OUT = args.includes('--out') ? resolve(args[args.indexOf('--out') + 1] ?? '') : join(ROOT, 'out/cli');
const install = args.includes('--install');

async function build() {
  const { build: esbuild } = await import('esbuild');
  const started = Date.now();
  const tmp = `${OUT}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  const result = await esbuild({
    absWorkingDir: ROOT,
    entryPoints: {
      main: 'src/cli/main.ts',
      // src/main/analysis/spawn.ts and src/main/finetune/spawn.ts start these beside their own chunk.
      'analysis-worker': 'src/main/analysis/worker.ts',
      'finetune-worker': 'src/main/finetune/worker.ts',
    },
    outdir: tmp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    // Commands load on demand (`--help` loads none); chunks sit beside the workers (no chunks/ folder).
    splitting: true,
    chunkNames: '[name]-[hash]',
    // Packages stay external (resolved from node_modules at run time), zod excepted: loaded from
    // node_modules, one ESM file per module, it took ~65 ms to import in the CLI and again in each
    // worker (docs/experiments/2026-12-06-helper-pace.md); bundled, only the parts of zod/mini the
    // schemas use are kept (src/shared/zod.ts): a ~75 KB chunk that imports in under 10 ms.
    plugins: [{ name: 'external-packages-but-zod', setup: (b) => b.onResolve({ filter: /^[^./]/ }, externalUnlessZod) }],
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((f) => !f.includes('node_modules/'))
    .sort();
  await writeFile(join(tmp, 'inputs.json'), JSON.stringify({ builtAt: started, inputs }, null, 1) + '\n');
  await mkdir(dirname(OUT), { recursive: true });
  // Replace the previous build whole, so a running CLI never sees half of a new one.
  const old = `${OUT}.old-${process.pid}`;
  await rename(OUT, old).catch(() => {});
  await rename(tmp, OUT);
  await rm(old, { recursive: true, force: true });
  console.log(`build-cli: ${relative(ROOT, OUT)} (${inputs.length} sources) in ${Date.now() - started} ms`);
}

/** A bare import stays external, except zod and its subpaths (bundled: see plugins above). */
function externalUnlessZod(args) {
  if (args.kind === 'entry-point' || args.path === 'zod' || args.path.startsWith('zod/')) return undefined;
  return { path: args.path, external: true };
}

try {
  await build();
} catch (err) {
  const msg = `build-cli: the CLI could not be built (${err instanceof Error ? err.message.split('\n')[0] : err})`;
  if (!install) {
    console.error(err instanceof Error && err.message.includes('\n') ? `${msg}\n${err.message}` : msg);
    process.exit(1);
  }
  console.warn(`${msg}; heartbeat-sensei runs its TypeScript through tsx until \`npm run build:cli\` succeeds`);
}
