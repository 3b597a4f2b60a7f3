#!/usr/bin/env node
// The `heartbeat-sensei` command: the CLI in src/cli, run through tsx so the same TypeScript
// modules serve the app, the CLI and the tests without a separate build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const entry = fileURLToPath(new URL('../src/cli/index.ts', import.meta.url));
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
