// `npm run start:web [-- --port N --no-open]`: the review UI in a normal browser, served with the
// main-process handlers over the loopback bridge. Builds the renderer first when out/renderer is
// missing. Prints `Review UI: http://127.0.0.1:PORT/?token=TOKEN` as a line of its own (a
// contract other tools read). The browser it opens gets a one-time link instead (its command
// line is visible to every local user in `ps`; the token in it would stay valid).
import { existsSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { startBridge } from '../src/main/bridge/server';
import { createHandlerTable } from '../src/main/table';
import { startupSweep } from '../src/main/app/sweep';
import { defaultReviewPaths } from '../src/main/review/handlers';

function usage(msg: string): never {
  console.error(`start-web: ${msg}\nusage: npm run start:web -- [--port N] [--no-open]`);
  process.exit(2);
}

const args = process.argv.slice(2);
let port = 0;
let open = true;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--no-open') open = false;
  else if (a === '--port' || a.startsWith('--port=')) {
    const v = a.includes('=') ? a.slice(7) : args[++i];
    port = Number(v);
    if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`--port needs a port number 0–65535, got "${v ?? ''}"`);
  } else usage(`unknown option "${a}"`);
}

const root = resolve(import.meta.dirname, '..');
const rendererDir = resolve(root, 'out/renderer');
if (!existsSync(resolve(rendererDir, 'index.html'))) {
  console.error('start-web: out/renderer is missing, building it (electron-vite build)…');
  const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) usage('the renderer build failed');
}

// What a killed run left behind (stale *.tmp, unregistered model files) goes before any job starts.
await startupSweep(defaultReviewPaths().dataDir).catch(() => undefined);
const bridge = await startBridge({ table: createHandlerTable('bridge'), rendererDir, port });
process.stdout.write(`Review UI: ${bridge.url}\n`);
if (open) {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(cmd, [bridge.launchUrl()], { detached: true, stdio: 'ignore' });
  child.on('error', () => console.error(`start-web: could not open a browser (${cmd}); open the URL above yourself.`));
  child.unref();
}
const stop = () => void bridge.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
