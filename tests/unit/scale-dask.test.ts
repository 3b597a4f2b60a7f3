// The Dask recipe (scale/analyze_records.py) survives a lost worker and a killed run: a worker
// killed while its record is being analysed is replaced and the record re-run; a run killed part
// way and started again skips what is done and finishes the rest. The summary then has each
// record once, each row the figures of a standalone `analyze` of that record.
// Needs Python's Dask distributed (python3-distributed): skipped with a message without it, a failure under CI.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseOf } from '../../src/main/wfdb';
import { main } from '../../src/cli/index';
import { writeSynthRecord } from '../../src/main/synth';
import { readSummary } from '../../src/main/batch/summary';

const ROOT = resolve(import.meta.dirname, '../..');
const RECIPE = join(ROOT, 'scale', 'analyze_records.py');
const ANALYZE = '--rules --no-cache --beats atr';

/** A Python 3 that imports distributed (Debian's is /usr/bin/python3, which a pyenv python3 on PATH hides). */
function daskPython(): string | null {
  for (const py of [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => !!x)) {
    try {
      execFileSync(py, ['-c', 'import distributed'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next one
    }
  }
  const msg = 'Dask distributed not found for Python 3 (apt-get install python3-distributed, or scale/setup.sh)';
  if (process.env.CI === 'true') throw new Error(`${msg}: required under CI`);
  console.warn(`${msg}: skipping the Dask recipe test`);
  return null;
}
const PY = daskPython();

/** Processes as [pid, ppid, args]. */
function processes(): [number, number, string][] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.trim().match(/^(\d+)\s+(\d+)\s+(.*)$/))
    .filter((m): m is RegExpMatchArray => !!m)
    .map((m) => [Number(m[1]), Number(m[2]), m[3]!]);
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 240_000) => {
  const t0 = Date.now();
  while (!(await ok())) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function jsonCount(out: string): Promise<number> {
  if (!existsSync(out)) return 0;
  return (await readdir(out, { recursive: true })).filter((f) => String(f).endsWith('.json') && !String(f).endsWith('.error.json')).length;
}

describe.skipIf(!PY)('Dask recipe: a killed worker, a killed run, a re-run', () => {
  let dir: string;
  let out: string;
  const records: string[] = [];
  let run1: ChildProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-dask-'));
    out = join(dir, 'out');
    // Same record names in two folders: the database layout keeps them apart.
    for (const db of ['a', 'b']) {
      await mkdir(join(dir, db));
      for (let i = 1; i <= 4; i++) {
        const r = join(dir, db, `r${i}`);
        await writeSynthRecord(r, { scenario: 'demo', minutes: 1, seed: records.length + 1 });
        records.push(r);
      }
    }
  }, 120_000);
  afterAll(async () => {
    if (run1?.pid && run1.exitCode === null && run1.signalCode === null) {
      try {
        process.kill(-run1.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  });

  const recipe = (...extra: string[]) => [RECIPE, ...records, '--out', out, '--workers', '2', `--analyze-args=${ANALYZE}`, ...extra];

  it('kill a worker mid-record, then the whole run; the re-run completes with every record once', async () => {
    // Its own process group, so that the whole run (driver, cluster, CLI processes) can be killed at once.
    run1 = spawn(PY!, recipe(), { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let log1 = '';
    run1.stdout!.on('data', (d) => (log1 += d));
    run1.stderr!.on('data', (d) => (log1 += d));

    // A worker busy with a record: the Dask worker process whose child is an `analyze` of ours.
    let killed = 0;
    await until('an analyze in flight', () => {
      const ps = processes();
      const cli = ps.find(([, , args]) => args.includes(' analyze ') && args.includes(out));
      if (!cli) return false;
      const worker = ps.find(([pid]) => pid === cli[1]);
      if (!worker || !/python/.test(worker[2])) return false;
      process.kill(worker[0], 'SIGKILL');
      killed = worker[0];
      return true;
    });
    expect(killed).toBeGreaterThan(0);
    // Two more records finish (the cluster replaced the worker), then the run dies part way.
    const before = await jsonCount(out);
    await until('progress after the lost worker', async () => (await jsonCount(out)) >= Math.min(before + 2, records.length - 1));
    process.kill(-run1.pid!, 'SIGKILL');
    await until('the first run to end', () => run1!.exitCode !== null || run1!.signalCode !== null);
    const afterKill = await jsonCount(out);
    expect(afterKill, log1).toBeLessThan(records.length);

    const summary = join(dir, 'summary.csv');
    const log2 = execFileSync(PY!, recipe('--summary', summary), { encoding: 'utf8', timeout: 300_000, stdio: ['ignore', 'pipe', 'pipe'] });
    expect(log2).toMatch(new RegExp(`scale: ${records.length} records`));
    expect((log2.match(/: skipped/g) ?? []).length).toBeGreaterThanOrEqual(afterKill);
    expect(existsSync(summary)).toBe(true);

    const { rows } = await readSummary(out);
    expect(rows.map((r) => r.recordPath).sort()).toEqual([...records].sort());
    expect(new Set(rows.map((r) => r.path)).size).toBe(records.length);
    expect(rows.every((r) => r.status === 'done')).toBe(true);
    const csvRows = (await readFile(summary, 'utf8')).trim().split('\n').length - 1;
    expect(csvRows).toBe(records.length);
  }, 600_000);

  it('each row equals a standalone analyze of its record', async () => {
    const { rows } = await readSummary(out);
    const alone = join(dir, 'alone');
    for (const r of rows) {
      const log = console.log;
      console.log = () => {};
      try {
        expect(await main(['analyze', r.recordPath!, ...ANALYZE.split(' '), '--out', alone, '--layout', 'database', '--json'])).toBe(0);
      } finally {
        console.log = log;
      }
    }
    const { rows: ref } = await readSummary(alone);
    const figures = (x: (typeof rows)[number]) => ({ ...x, seconds: null, fromCache: null });
    expect(rows.map(figures)).toEqual(ref.map(figures));
  }, 300_000);

  it("names a record's database as the CLI's --layout database does (PhysioNet's mitdb/1.0.0/100 is mitdb)", () => {
    const paths = ['/d/physionet/mitdb/1.0.0/100', '/d/svdb/800', 'cudb/cu01', '/d/x/2.1/a'];
    const code = `import sys, json; sys.path.insert(0, 'scale'); from pathlib import Path; import analyze_records as a; print(json.dumps([a.database_of(Path(p)) for p in ${JSON.stringify(paths)}]))`;
    const py = JSON.parse(execFileSync(PY!, ['-c', code], { encoding: 'utf8', cwd: ROOT })) as string[];
    expect(py).toEqual(paths.map((p) => databaseOf(p)));
    expect(py).toEqual(['mitdb', 'svdb', 'cudb', 'x']);
  });

  it('exit 75 is retried by Dask; without retries the record is reported failed', async () => {
    // The CLI as a transient failure would leave it: each record's first try exits 75, later tries run the real CLI.
    const marks = join(dir, 'marks');
    await mkdir(marks);
    const flaky = join(dir, 'flaky.sh');
    await writeFile(
      flaky,
      `#!/bin/bash\nmark="${marks}/$(echo "$2" | tr / _)"\nif [ "$1" = analyze ] && [ ! -e "$mark" ]; then touch "$mark"; echo "transient failure" >&2; exit 75; fi\nexec node ${JSON.stringify(join(ROOT, 'bin', 'heartbeat-sensei.mjs'))} "$@"\n`
    );
    const two = records.slice(0, 2);
    const args = (out: string, retries: string) => [
      RECIPE,
      ...two,
      '--out',
      out,
      '--workers',
      '1',
      '--retries',
      retries,
      `--analyze-args=${ANALYZE}`,
      '--cli',
      `bash ${flaky}`,
    ];
    const none = spawnSync(PY!, args(join(dir, 'out-none'), '0'), { encoding: 'utf8', timeout: 300_000 });
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/failed 2/);
    // the exception said, not a (type, exception, traceback) tuple; each record's error file for summarize
    expect(none.stdout).toContain(`${two[0]}: failed (TransientFailure: exit 75: transient failure)`);
    expect(none.stdout).not.toMatch(/traceback object|<class /);
    const { rows } = await readSummary(join(dir, 'out-none'));
    expect(rows.map((r) => [r.recordPath, r.status, r.message])).toEqual(two.map((r) => [r, 'retry', 'TransientFailure: exit 75: transient failure']));
    await rm(marks, { recursive: true });
    await mkdir(marks);
    const retried = spawnSync(PY!, args(join(dir, 'out-retried'), '1'), { encoding: 'utf8', timeout: 300_000 });
    expect(retried.status, retried.stdout + retried.stderr).toBe(0);
    expect(retried.stdout).toMatch(/done 2\)/);
    expect((await readdir(marks)).length).toBe(2);
    // a later run that analyses them removes the error files
    const again = spawnSync(PY!, [...args(join(dir, 'out-none'), '0').slice(0, -2)], { encoding: 'utf8', timeout: 300_000 });
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect((await readSummary(join(dir, 'out-none'))).rows.map((r) => r.status)).toEqual(['done', 'done']);
  }, 300_000);
});
