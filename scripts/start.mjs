#!/usr/bin/env node
// `npm start`: the desktop app when the Electron runtime is installed, else the same UI in the
// browser mode (the loopback bridge), with one line saying why. Extra arguments pass through.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronOk;
try {
  // electron's index.js resolves the downloaded binary and throws when it is missing.
  electronOk = typeof require('electron') === 'string';
} catch {
  electronOk = false;
}
const args = process.argv.slice(2);
const [cmd, cmdArgs] = electronOk ? ['electron-vite', ['preview', ...args]] : ['tsx', ['scripts/start-web.ts', ...args]];
if (!electronOk) {
  console.log(
    'heartbeat-sensei: the Electron runtime is not installed (run `node scripts/fetch-optional-binaries.mjs` when online); opening the browser mode instead.'
  );
}
const child = spawn(cmd, cmdArgs, { stdio: 'inherit', shell: process.platform === 'win32' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
