// The committed demo record (resources/demo) must be exactly what the generator makes today.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { DEMO_RECORD, synthCommand, writeSynthRecord } from '../../src/main/synth';

const root = resolve(import.meta.dirname, '../..');

describe('bundled demo record', () => {
  it('is made by `npm run demo:make` with the documented options', async () => {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    const cmd = synthCommand(DEMO_RECORD.options).replace('heartbeat-sensei synth', 'node bin/heartbeat-sensei.mjs synth');
    expect(pkg.scripts['demo:make']).toBe(`${cmd} --out ${DEMO_RECORD.path} --force`);
  });

  it('is byte-identical to a fresh generation', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-demo-'));
    try {
      const name = basename(DEMO_RECORD.path);
      await writeSynthRecord(join(dir, name), DEMO_RECORD.options);
      for (const ext of ['hea', 'dat', 'atr']) {
        const fresh = await readFile(join(dir, `${name}.${ext}`));
        const committed = await readFile(join(root, `${DEMO_RECORD.path}.${ext}`));
        expect(fresh.length, `${name}.${ext} size`).toBe(committed.length);
        expect(fresh.equals(committed), `${name}.${ext} bytes (run \`npm run demo:make\` after changing the generator)`).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
