#!/usr/bin/env node
// The `heartbeat-sensei` command. Runs the CLI as built JavaScript (out/cli/main.js, made by
// `npm run build:cli`, which `npm install` runs as `prepare`). Where that build is missing, or
// older than one of the sources it was built from (out/cli/inputs.json), it runs the TypeScript
// sources through tsx instead, slower to start, and says so on stderr.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = new URL('../out/cli/main.js', import.meta.url);

/** Why the build cannot be used ('' when it can). */
function staleReason() {
  const inputsFile = fileURLToPath(new URL('../out/cli/inputs.json', import.meta.url));
  if (!existsSync(fileURLToPath(built)) || !existsSync(inputsFile)) return 'the CLI is not built';
  const { builtAt, inputs } = JSON.parse(readFileSync(inputsFile, 'utf8'));
  for (const f of inputs) {
    const st = statSync(root + f, { throwIfNoEntry: false });
    if (!st || st.mtimeMs > builtAt) return `${f} changed since the CLI was built`;
  }
  return '';
}

const reason = staleReason();
if (!reason) {
  await import(built.href);
} else {
  console.error(`heartbeat-sensei: ${reason}; running the TypeScript sources through tsx (npm run build:cli builds it)`);
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/cli/main.ts', import.meta.url).href);
}
