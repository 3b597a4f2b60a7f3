// The CLI as built JavaScript (scripts/build-cli.mjs, what bin/heartbeat-sensei.mjs runs) and the
// top-level help, version and exit codes every command shares.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EXIT, main } from '../../src/cli/index';
import { synthesize } from '../../src/main/synth';
import { writeSynthesized } from '../helpers/synth-record';

const ROOT = resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const COMMANDS = readdirSync(join(ROOT, 'src/cli/commands'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

async function output(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((s: string) => void out.push(s));
  const error = vi.spyOn(console, 'error').mockImplementation((s: string) => void err.push(s));
  try {
    const code = await main(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('heartbeat-sensei --help / --version', () => {
  it('--help lists every command file, one line each with what it does', async () => {
    const { code, out } = await output(['--help']);
    expect(code).toBe(EXIT.ok);
    const rows = out.split('\n').filter((l) => /^ {2}[a-z]+ {2,}\S/.test(l));
    expect(rows.map((l) => l.trim().split(/\s+/)[0]).sort()).toEqual(COMMANDS);
    for (const r of rows) expect(r.trim().split(/\s{2,}/)[1]!.length).toBeGreaterThan(15);
    expect(out).toContain('Exit codes: 0 done, 1 a check failed, 2 bad input or usage, 70 internal error, 75 try again (analyze), 130 interrupted.');
  });

  it("--version prints package.json's version", async () => {
    expect(await output(['--version'])).toMatchObject({ code: EXIT.ok, out: `heartbeat-sensei ${VERSION}` });
  });

  it('no command, an unknown one or an Object.prototype name is a usage error (2)', async () => {
    expect((await output([])).code).toBe(EXIT.usage);
    for (const name of ['nosuch', 'toString', 'constructor']) {
      const r = await output([name]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.err).toContain(`unknown command "${name}"`);
    }
  });
});

describe('the built CLI', () => {
  const out = join(ROOT, 'out', `cli-test-${process.pid}`);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('bundles to plain JavaScript with its workers and a list of its sources', () => {
    execFileSync(process.execPath, ['scripts/build-cli.mjs', '--out', out], { cwd: ROOT, stdio: 'pipe' });
    for (const f of ['main.js', 'analysis-worker.js', 'finetune-worker.js']) expect(existsSync(join(out, f)), f).toBe(true);
    const { inputs } = JSON.parse(readFileSync(join(out, 'inputs.json'), 'utf8')) as { inputs: string[] };
    expect(inputs).toContain('src/cli/main.ts');
    expect(inputs).toContain('src/main/analysis/worker.ts');
    // No loader at run time: nothing in the bundle imports tsx.
    const js = readdirSync(out).filter((f) => f.endsWith('.js'));
    for (const f of js) expect(readFileSync(join(out, f), 'utf8'), f).not.toMatch(/from ["']tsx/);
    // zod bundled (loaded from node_modules it cost each thread ~65 ms at start), the other packages not
    // (ONNX Runtime is native: required from node_modules as the CommonJS it is, src/main/inference/ort.ts)
    const imports = js.map((f) => readFileSync(join(out, f), 'utf8')).join('\n');
    expect(imports).not.toMatch(/from ["']zod/);
    expect(imports).toMatch(/\(["']onnxruntime-node["']\)/);
    expect(imports).not.toMatch(/onnxruntime-common\/dist/);
  });

  it('runs: --version, and an exit code from a command (2: a missing record)', () => {
    const v = spawnSync(process.execPath, [join(out, 'main.js'), '--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(v.stdout.trim()).toBe(`heartbeat-sensei ${VERSION}`);
    const r = spawnSync(process.execPath, [join(out, 'main.js'), 'info', join(out, 'none')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(EXIT.usage);
    expect(r.stderr).toContain('none.hea');
  });

  it('analyze with a bad option exits with 2', () => {
    const r = spawnSync(process.execPath, [join(out, 'main.js'), 'analyze', '--no-such-option', 'x'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(r.signal, r.stderr).toBeNull(); // not killed by the timeout
    expect(r.status, r.stderr).toBe(EXIT.usage);
    expect(r.stderr).toContain('--no-such-option');
  });

  // the CLI's Ctrl-C handler, held for the whole run, with either scorer (analysis.test.ts tests the pipeline's checkpoints apart)
  it.each([
    ['the models', []],
    ['the rules', ['--rules']],
  ])(
    'analyze with %s, interrupted (Ctrl-C) during a record: exits 130, that record unwritten, the one before it written',
    async (_, flags) => {
      const dir = mkdtempSync(join(tmpdir(), 'hs-interrupt-'));
      try {
        const short = await writeSynthesized(dir, 'short', synthesize({ scenario: 'normal', minutes: 1, seed: 2, fs: 250, snrDb: null }));
        const long = await writeSynthesized(dir, 'long', synthesize({ scenario: 'normal', minutes: 120, seed: 3, fs: 250, snrDb: null }));
        const args = ['analyze', '--no-cache', '--status', ...flags, '--out', join(dir, 'out'), short, long];
        const child = spawn(process.execPath, [join(out, 'main.js'), ...args], { cwd: ROOT });
        let stdout = '';
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        const closed = new Promise<number | null>((r) => child.on('close', r));
        // the first record's status line: the second record's analysis is under way
        await new Promise<void>((r) =>
          child.stdout.on('data', (d: Buffer) => {
            stdout += d.toString();
            if (stdout.includes('"status":"done"')) r();
          })
        );
        child.kill('SIGINT');
        expect(await closed, stderr).toBe(EXIT.interrupted); // not killed by the signal: the analysis was cancelled
        expect(stderr).toContain(`${long}: cancelled`);
        expect(existsSync(join(dir, 'out', 'short.json'))).toBe(true);
        expect(readdirSync(join(dir, 'out')).filter((f) => f.startsWith('long'))).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    60_000
  );
});

describe('the built CLI on a long command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-argv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('analyzes a thousand records named on one command line, and ONNX Runtime leaves no telemetry behind', async () => {
    // ONNX Runtime's telemetry parsed the command line recursively: ~38 KB of record paths crashed
    // the process (SIGSEGV) before the first record; it also kept a device id in ~/.cache
    const cli = join(ROOT, 'out', `cli-argv-${process.pid}`); // under out/, so that it finds models/ as the app's build does
    execFileSync(process.execPath, ['scripts/build-cli.mjs', '--out', cli], { cwd: ROOT, stdio: 'pipe' });
    const record = await writeSynthesized(dir, 'strip', synthesize({ scenario: 'normal', minutes: 1, seed: 2, fs: 250, snrDb: null }));
    const missing = Array.from({ length: 999 }, (_, i) => join(dir, `a-record-that-is-not-there-with-a-long-name-${i}`));
    const home = join(dir, 'home');
    mkdirSync(home);
    const env = Object.fromEntries(Object.entries({ ...process.env, HOME: home }).filter(([k]) => k !== 'ORT_DISABLE_TELEMETRY'));
    const r = spawnSync(process.execPath, [join(cli, 'main.js'), 'analyze', '--no-cache', '--out', join(dir, 'out'), record, ...missing], {
      cwd: ROOT,
      encoding: 'utf8',
      env,
    });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(EXIT.usage); // the missing records, each reported
    const json = JSON.parse(readFileSync(join(dir, 'out', 'strip.json'), 'utf8')) as { models: { task: string; provider: string }[] };
    expect(json.models.map((m) => [m.task, m.provider])).toEqual([
      ['beat', 'cpu'],
      ['rhythm', 'cpu'],
    ]); // through ONNX Runtime, not the rules
    expect(r.stderr.split('\n').filter((l) => l.includes('file not found'))).toHaveLength(999);
    expect(existsSync(join(home, '.cache'))).toBe(false);
    rmSync(cli, { recursive: true, force: true });
  }, 60_000);
});

describe('bin/heartbeat-sensei.mjs', () => {
  // A stand-in checkout: the bin copied, src/ and node_modules/ linked, its own out/cli.
  mkdirSync(join(ROOT, 'out'), { recursive: true }); // a clean checkout has no out/ until something is built
  const root = mkdtempSync(join(ROOT, 'out', 'bin-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const bin = join(root, 'bin/heartbeat-sensei.mjs');
  const run = () => spawnSync(process.execPath, [bin, '--version'], { cwd: root, encoding: 'utf8' });

  it('runs the build when it is there and newer than its sources', () => {
    mkdirSync(join(root, 'bin'));
    cpSync(join(ROOT, 'bin/heartbeat-sensei.mjs'), bin);
    for (const d of ['src', 'node_modules', 'package.json']) symlinkSync(join(ROOT, d), join(root, d));
    execFileSync(process.execPath, ['scripts/build-cli.mjs', '--out', join(root, 'out/cli')], { cwd: ROOT, stdio: 'pipe' });
    const r = run();
    expect(r.stdout.trim()).toBe(`heartbeat-sensei ${VERSION}`);
    expect(r.stderr).toBe('');
  });

  it('runs the sources through tsx, saying why, when a source is newer than the build', () => {
    const file = join(root, 'out/cli/inputs.json');
    const inputs = JSON.parse(readFileSync(file, 'utf8')) as { builtAt: number; inputs: string[] };
    writeFileSync(file, JSON.stringify({ ...inputs, builtAt: 0 }));
    const r = run();
    expect(r.stdout.trim()).toBe(`heartbeat-sensei ${VERSION}`);
    expect(r.stderr).toMatch(
      /^heartbeat-sensei: src\/\S+ changed since the CLI was built; running the TypeScript sources through tsx \(npm run build:cli builds it\)/
    );
  });

  it('and when there is no build', () => {
    rmSync(join(root, 'out/cli'), { recursive: true });
    const r = run();
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(`heartbeat-sensei ${VERSION}`);
    expect(r.stderr).toMatch(/^heartbeat-sensei: the CLI is not built; running the TypeScript sources through tsx/);
  });
});
