#!/usr/bin/env node
// Best-effort download of the two binaries that npm packages cannot ship:
//   1. the Electron runtime (electron/install.js fetches it from GitHub releases);
//   2. ONNX Runtime's CUDA execution provider (onnxruntime-node fetches it from NuGet, Linux x64 only).
// package.json's "allowScripts" denies both packages' own install scripts, so `npm install`
// never fails on a machine without internet. This script runs them itself, with a time limit,
// and prints one line per download. It always exits 0: the app still works in browser mode
// (`npm run start:web`) without Electron, and on CPU without the CUDA provider.
// Set HEARTBEAT_SKIP_DOWNLOADS=1 to skip both.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const TIMEOUT_MS = Number(process.env.HEARTBEAT_DOWNLOAD_TIMEOUT_MS ?? 300_000);

function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

function run(label, script, args, env) {
  const res = spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, ...env },
    timeout: TIMEOUT_MS,
    encoding: 'utf8',
  });
  if (res.status === 0) return { ok: true };
  const text = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').filter(Boolean);
  const errLine = text.find((l) => /E[A-Z]{3,}|Error:/.test(l) && !/^\s+at /.test(l));
  const why = res.error?.code === 'ETIMEDOUT' ? `timed out after ${TIMEOUT_MS / 1000} s` : (errLine ?? text.at(-1) ?? `exit ${res.status}`).trim();
  return { ok: false, why: why.slice(0, 160), label };
}

if (process.env.HEARTBEAT_SKIP_DOWNLOADS === '1') {
  console.log('heartbeat-sensei: optional downloads skipped (HEARTBEAT_SKIP_DOWNLOADS=1).');
  process.exit(0);
}

const electronDir = packageDir('electron');
if (electronDir) {
  const r = run('electron', join(electronDir, 'install.js'), []);
  console.log(
    r.ok
      ? 'heartbeat-sensei: Electron runtime present — `npm start` opens the app.'
      : `heartbeat-sensei: Electron runtime not downloaded (${r.why}); \`npm start\` is unavailable here, use \`npm run start:web\` (browser mode). Re-run \`npm rebuild heartbeat-sensei\` or \`node scripts/fetch-optional-binaries.mjs\` when online.`
  );
}

const ortDir = packageDir('onnxruntime-node');
if (ortDir && process.platform === 'linux' && process.arch === 'x64') {
  const cudaLib = join(ortDir, 'bin/napi-v6/linux/x64/libonnxruntime_providers_cuda.so');
  if (existsSync(cudaLib)) {
    console.log('heartbeat-sensei: ONNX Runtime CUDA provider present.');
  } else {
    const r = run('onnxruntime-node', join(ortDir, 'script/install.js'), [], { ONNXRUNTIME_NODE_INSTALL: 'cuda12' });
    console.log(
      r.ok && existsSync(cudaLib)
        ? 'heartbeat-sensei: ONNX Runtime CUDA provider downloaded — inference uses the GPU when one is present.'
        : `heartbeat-sensei: ONNX Runtime CUDA provider not downloaded (${r.why ?? 'its installer finished without the library: no network or no matching package'}); inference runs on CPU.`
    );
  }
}
process.exit(0);
