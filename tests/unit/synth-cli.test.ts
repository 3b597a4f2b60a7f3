// `heartbeat-sensei synth`: flags to files, and one-line errors for bad input.
import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/index';
import { openRecord, readAnnotations } from '../../src/main/wfdb';

describe('heartbeat-sensei synth', () => {
  it('writes PATH.hea/.dat/.atr at the asked rate and length, creating directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hbs-synth-cli-'));
    const log = console.log;
    console.log = () => undefined;
    try {
      const out = join(dir, 'a', 'b', 'rec');
      expect(await main(['synth', '--scenario', 'af', '--minutes', '0.5', '--seed', '3', '--fs', '500', '--format', '16', '--out', out])).toBe(0);
      const rec = await openRecord(out);
      expect(rec.fs).toBe(500);
      expect(rec.nFrames).toBe(15_000);
      expect(rec.header.signals[1]!.format).toBe(16);
      await rec.close();
      const anns = await readAnnotations(out, 'atr');
      expect(anns[0]!.aux).toBe('(AFIB\0');
      expect(anns.filter((a) => a.code === 1).length).toBeGreaterThan(30);
      expect(await readFile(`${out}.hea`, 'latin1')).toContain(
        '# made by: heartbeat-sensei synth --scenario af --minutes 0.5 --seed 3 --fs 500 --format 16 --out rec'
      );
      // an existing record is never written over without --force
      const hea = await readFile(`${out}.hea`);
      const err = console.error;
      const said: string[] = [];
      console.error = (m: string) => void said.push(m);
      try {
        expect(await main(['synth', '--scenario', 'normal', '--minutes', '0.2', '--out', out])).toBe(2);
      } finally {
        console.error = err;
      }
      expect(said.join('\n')).toContain('synth writes a new record and never over one');
      expect((await readFile(`${out}.hea`)).equals(hea)).toBe(true);
      expect(await main(['synth', '--scenario', 'normal', '--minutes', '0.2', '--out', out, '--force'])).toBe(0);
      expect((await readFile(`${out}.hea`)).equals(hea)).toBe(false);
      // an .atr alone (a run stopped after writing it first) is no record: written over without --force
      await rm(`${out}.hea`);
      await rm(`${out}.dat`);
      expect(await main(['synth', '--scenario', 'normal', '--minutes', '0.2', '--out', out])).toBe(0);
    } finally {
      console.log = log;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects bad options with exit code 2', async () => {
    const err = console.error;
    const lines: string[] = [];
    console.error = (m: string) => void lines.push(m);
    try {
      expect(await main(['synth', '--scenario', 'nope', '--out', '/tmp/x'])).toBe(2);
      expect(await main(['synth', '--minutes', '10'])).toBe(2);
      expect(await main(['synth', '--format', '8', '--out', '/tmp/x'])).toBe(2);
      expect(await main(['synth', '--snr', '10', '--no-noise', '--out', '/tmp/x'])).toBe(2);
      expect(lines.join('\n')).toMatch(/--scenario must be one of demo, holter, normal, af, pvc/);
      expect(lines.join('\n')).toMatch(/--out PATH is required/);
    } finally {
      console.error = err;
    }
  });
});
