// The active fine-tuned version's file gone (deleted by hand, a disk restored without it) or changed:
// the shipped model it was tuned from analyses, and the analysis says so — not the far weaker rules.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { writeSynthRecord } from '../../src/main/synth';

const MODELS = join(import.meta.dirname, '../../models');
let dir: string;
let record: string;

/** A registry whose active beat version is a copy of the shipped model under another id and file. */
function registry(name: string, file: 'missing' | 'changed' | 'present'): string {
  const reg = join(dir, name);
  mkdirSync(reg);
  const shipped = (JSON.parse(readFileSync(join(MODELS, 'manifest.json'), 'utf8')) as { models: { task: string; file: string }[] }).models.find(
    (m) => m.task === 'beat'
  )!;
  const entry = { ...shipped, id: 'beat-pvc-ft1', version: '3.7.0-ft.1', file: 'beat-pvc-ft1.onnx' };
  writeFileSync(join(reg, 'manifest.json'), JSON.stringify({ models: [entry], active: { beat: 'beat-pvc-ft1' } }));
  if (file !== 'missing') copyFileSync(join(MODELS, shipped.file), join(reg, 'beat-pvc-ft1.onnx'));
  if (file === 'changed') writeFileSync(join(reg, 'beat-pvc-ft1.onnx'), new Uint8Array(100), { flag: 'a' });
  return reg;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbs-missing-version-'));
  record = join(dir, 'demo');
  await writeSynthRecord(record, { scenario: 'demo', minutes: 1, seed: 3 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the active fine-tuned version cannot be used', () => {
  it.each(['missing', 'changed'] as const)('its file %s: the shipped model analyses, with a note', async (file) => {
    const a = await analyzeRecord(record, { registryDir: registry(file, file), modelsDir: MODELS, cacheDir: null, beats: 'reference', provider: 'cpu' });
    const beat = a.models.find((m) => m.task === 'beat')!;
    expect([beat.id, beat.provider === 'rules']).toEqual(['beat-pvc', false]);
    expect(beat.note).toMatch(
      /^the active version beat-pvc-ft1 could not be used \(.*(model file not found|sha256 does not match).*\); the shipped beat-pvc 3\.7\.0 analysed instead/
    );
  });

  it('a version that is there is used, with no note', async () => {
    const a = await analyzeRecord(record, {
      registryDir: registry('present', 'present'),
      modelsDir: MODELS,
      cacheDir: null,
      beats: 'reference',
      provider: 'cpu',
    });
    const beat = a.models.find((m) => m.task === 'beat')!;
    expect([beat.id, beat.note]).toEqual(['beat-pvc-ft1', undefined]);
  });
});
