// CLI start time: `heartbeat-sensei --help` and `--version` (bin/heartbeat-sensei.mjs running the
// build in out/cli, rebuilt first) beside a bare `node -e 0`, and the same help from the
// TypeScript sources through tsx (`npm run cli`, the development path). Target: within 2× node.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../tests/e2e/harness';
import type { BenchTable } from './harness';

const REPS = 15;
const TARGET = 2;

/** Median wall time of REPS runs of a process (after two warm-ups for the file cache), in ms. */
function startMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < REPS + 2; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (r.stderr.includes('through tsx') && args[0]!.startsWith('bin')) throw new Error(`the bin did not run the build: ${r.stderr}`);
    if (i >= 2) times.push(ms);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export async function run(): Promise<BenchTable> {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, stdio: 'ignore' });
  const node = startMs(['-e', '0']);
  const bin = 'bin/heartbeat-sensei.mjs';
  const rows: [string, number][] = [
    ['node -e 0', node],
    ['heartbeat-sensei --help', startMs([bin, '--help'])],
    ['heartbeat-sensei --version', startMs([bin, '--version'])],
    ['tsx src/cli/main.ts --help (npm run cli)', startMs([join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'src/cli/main.ts', '--help'])],
  ];
  return {
    title: `CLI start (median of ${REPS} processes, ms)`,
    columns: ['command', 'ms', '× node -e 0', `within ${TARGET}×`],
    rows: rows.map(([cmd, ms]) => [cmd, ms, ms / node, cmd.startsWith('heartbeat-sensei') ? (ms / node <= TARGET ? 'yes' : 'NO') : '']),
    notes: ['heartbeat-sensei runs bin/heartbeat-sensei.mjs with the build in out/cli (npm run build:cli, run first); tsx compiles the sources at each start.'],
  };
}
