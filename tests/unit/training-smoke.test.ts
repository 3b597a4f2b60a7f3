// Training pipeline smoke test: the real path on a tiny subset so it cannot rot. The TS `dataset`
// command writes beats of two MIT-BIH records and rhythm windows of three CUDB records; the Python
// trainers (Debian's python3-torch + python3-onnx) run one epoch on a few hundred items and export
// ONNX; onnxruntime-node must reproduce PyTorch's outputs (max abs diff < 1e-4) and the beat head
// identity, and the shipped beat file (int8 convolutions) stay near them. Also runs the Python unit tests. Skipped with a message when /usr/bin/python3 has no
// torch/onnx, a failure under CI=true (.ci/run installs them).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dataPath, needData } from '../helpers/data';
import { PARITY_TOL, parity } from '../../scripts/train-parity';
import { readGraphNodes } from '../../src/main/onnx';

// int8 convolutions against the float export: an output moves by at most a few hundredths
const INT8_TOL = 0.05;

const ROOT = resolve(import.meta.dirname, '../..');
const PY = process.env.PYTHON ?? '/usr/bin/python3';

function hasTorch(): boolean {
  const r = spawnSync(PY, ['-c', 'import torch, onnx, numpy'], { stdio: 'ignore' });
  if (r.status === 0) return true;
  const msg = `${PY} lacks torch/onnx/numpy (apt-get install python3-torch python3-onnx)`;
  if (process.env.CI === 'true') throw new Error(`${msg}: required under CI`);
  console.warn(`${msg}: skipping the training smoke test`);
  return false;
}

const ready = hasTorch() && needData('mitdb') && needData('cudb');
const work = mkdtempSync(join(tmpdir(), 'hbs-train-smoke-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(cmd: string, args: string[], env: Record<string, string> = {}): string {
  return execFileSync(cmd, args, {
    cwd: ROOT,
    env: { ...process.env, PYTHONPATH: join(ROOT, 'training'), HBS_THREADS: '1', ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe.skipIf(!ready)('training smoke test (tiny subset, one epoch)', () => {
  it('python unit tests pass', () => {
    const r = spawnSync(PY, ['-m', 'unittest', 'discover', '-s', 'tests', '-t', '.'], { cwd: join(ROOT, 'training'), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
  });

  it('beat model: dataset → train → ONNX → onnxruntime parity', async () => {
    const ds = join(work, 'beats');
    run('node', ['bin/heartbeat-sensei.mjs', 'dataset', dataPath('mitdb', '119'), dataPath('mitdb', '106'), '--out', ds, '--kind', 'beats', '--beats', 'atr']);
    const out = join(work, 'beat-run');
    const log = run(PY, ['-m', 'hbs.beats', '--data', ds, '--out', out, '--folds', '2', '--max-beats', '400', '--epochs', '1']);
    expect(log).toMatch(/2-fold patient-wise cross-validation inside 2 records/);
    expect(log).toMatch(/cross-validation: epochs 1 .* threshold [0-9.]+/);
    const r = await parity(join(out, 'beat-pvc.float.onnx'), join(out, 'parity'));
    expect(r.outputs.probs).toBeLessThan(PARITY_TOL);
    expect(r.outputs.embedding).toBeLessThan(PARITY_TOL);
    expect(r.head).toBeLessThan(1e-6);
    // the file that ships: int8 convolutions (hbs.quantize), near the float export on the same batch
    const shipped = join(out, 'beat-pvc.onnx');
    const ops = readGraphNodes(new Uint8Array(readFileSync(shipped)), shipped).map((n) => n.op);
    expect(ops.filter((o) => o === 'QuantizeLinear').length).toBeGreaterThanOrEqual(8);
    const q = await parity(shipped, join(out, 'parity'));
    expect(q.outputs.probs).toBeGreaterThan(0); // not the float file again
    expect(q.outputs.probs).toBeLessThan(INT8_TOL);
    expect(q.head).toBeLessThan(1e-6);
  });

  it('rhythm model: dataset → train → ONNX → onnxruntime parity', async () => {
    const ds = join(work, 'rhythm');
    run('node', [
      'bin/heartbeat-sensei.mjs',
      'dataset',
      dataPath('cudb', 'cu01'),
      dataPath('cudb', 'cu02'),
      dataPath('cudb', 'cu03'),
      '--out',
      ds,
      '--kind',
      'rhythm',
    ]);
    const out = join(work, 'rhythm-run');
    run(PY, ['-m', 'hbs.rhythm', '--data', ds, '--out', out, '--max-windows', '160', '--epochs', '1', '--take', '40,40,40,40']);
    const r = await parity(join(out, 'rhythm.onnx'), join(out, 'parity'));
    expect(r.outputs.probs).toBeLessThan(PARITY_TOL);
    expect(r.outputs.embedding).toBeLessThan(PARITY_TOL);
  });
});
