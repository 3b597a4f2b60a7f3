// A leading "## time resolution: F" NOTE is consumed as WFDB's rdann does, and used to scale the
// annotation times to the record's frames when F differs from its rate; the file-level reader keeps
// it, so a file read and written back is the same bytes (issue 14 item 12).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asRdann, encodeAnnotations, readAnnotationFile, readAnnotations, timeResolutionOf, withTimeResolution, type Annotation } from '../../src/main/wfdb';
import { main } from '../../src/cli/index';
import evaluate from '../../src/cli/commands/evaluate';
import { importReview } from '../../src/main/export';
import { fromAnnotationFile } from '../../src/main/finetune/data';
import { dataPath, needData } from '../helpers/data';

const a = (sample: number, code: number, aux: string | null = null): Annotation => ({ sample, code, subtype: 0, chan: 0, num: 0, aux });

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hb-timeres-'));
  await writeFile(join(dir, 'r.hea'), 'r 1 250 10000\nr.dat 16\n');
  await writeFile(join(dir, 'r.dat'), new Uint8Array(20000));
  // times in 1000 Hz ticks on a 250 Hz record
  await writeFile(join(dir, 'r.hr'), encodeAnnotations([a(0, 22, '## time resolution: 1000'), a(1000, 1), a(2002, 5), a(4000, 28, '(AFIB')], 'r.hr'));
  // the same beats in the record's own frames
  await writeFile(join(dir, 'r.atr'), encodeAnnotations([a(250, 1), a(501, 5)], 'r.atr'));
  await writeFile(join(dir, 'r.same'), encodeAnnotations([a(0, 22, '## time resolution: 250\0'), a(250, 1)], 'r.same'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('time resolution note', () => {
  it('readAnnotations consumes it and scales times to the record frames; readAnnotationFile keeps the file as stored', async () => {
    const rd = await readAnnotations(join(dir, 'r'), 'hr');
    expect(rd.map((x) => [x.sample, x.code])).toEqual([
      [250, 1],
      [501, 5],
      [1000, 28],
    ]);
    expect((await readAnnotations(join(dir, 'r'), 'same')).map((x) => x.sample)).toEqual([250]);
    const stored = await readAnnotationFile(join(dir, 'r.hr'));
    expect(stored).toHaveLength(4);
    expect(timeResolutionOf(stored)).toBe(1000);
    expect(asRdann(stored, undefined).map((x) => x.sample)).toEqual([1000, 2002, 4000]);
    expect(timeResolutionOf([a(5, 22, '## time resolution: 1000')])).toBeNull(); // not at sample 0
  });

  it('the ann command prints what rdann prints, and --raw the stored annotations', async () => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
    try {
      expect(await main(['ann', join(dir, 'r'), '-a', 'hr'])).toBe(0);
      const rd = out.join('').trim().split('\n');
      out.length = 0;
      expect(await main(['ann', join(dir, 'r'), '-a', 'hr', '--raw'])).toBe(0);
      const raw = out.join('').trim().split('\n');
      expect(rd.map((l) => l.split('\t')[0])).toEqual(['250', '501', '1000']);
      expect(raw[0]).toMatch(/^0\t"\t0\t0\t0\t## time resolution: 1000$/);
    } finally {
      spy.mockRestore();
    }
  });

  it.runIf(needData('reference/bxb'))('the bxb reference .pert files: the note (360 Hz, the record rate) consumed, times unchanged', async () => {
    const stored = await readAnnotationFile(dataPath('reference/bxb/100.pert'));
    expect(timeResolutionOf(stored)).toBe(360);
    const rd = asRdann(stored, 360);
    expect(rd).toEqual(stored.slice(1));
  });
});

describe("times at a multiple of the frame rate (a multi-frequency record read at its ECG leads' rate)", () => {
  it('asRdann reads times at any rate: without a note they count frames, with one its ticks', async () => {
    const frames = [a(250, 1), a(501, 5)];
    expect(asRdann(frames, 250, 1000).map((x) => x.sample)).toEqual([1000, 2004]);
    expect(asRdann(frames, 250).map((x) => x.sample)).toEqual([250, 501]); // rdann: frames as stored
    const ticks = await readAnnotationFile(join(dir, 'r.hr')); // 1000 Hz ticks on a 250 Hz record
    expect(asRdann(ticks, 250, 1000).map((x) => x.sample)).toEqual([1000, 2002, 4000]);
    expect(asRdann(ticks, 250, 500).map((x) => x.sample)).toEqual([500, 1001, 2000]);
    expect((await readAnnotations(join(dir, 'r'), 'atr', 4)).map((x) => x.sample)).toEqual([1000, 2004]);
    expect((await readAnnotations(join(dir, 'r'), 'hr', 4)).map((x) => x.sample)).toEqual([1000, 2002, 4000]);
  });

  it('withTimeResolution leads a file at another rate than the frames with the note WFDB writes, and none at the frame rate', () => {
    const beats = [a(1000, 1), a(2002, 5)];
    const noted = withTimeResolution(beats, 1000, 250);
    expect(noted[0]).toEqual(a(0, 22, '## time resolution: 1000'));
    expect(timeResolutionOf(noted)).toBe(1000);
    expect(asRdann(noted, 250, 1000)).toEqual(beats);
    expect(asRdann(noted, 250).map((x) => x.sample)).toEqual([250, 501]);
    expect(withTimeResolution(beats, 250, 250)).toEqual(beats);
    expect(withTimeResolution(beats, 62.5 * 4, 62.5)[0]!.aux).toBe('## time resolution: 250');
  });
});

describe('every reader of a record annotation file applies the note', () => {
  it('evaluate compares the scaled times (bxb reads them through getann)', async () => {
    const json = join(dir, 'eval.json');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(await evaluate.run(['--test', 'hr', '--json', json, join(dir, 'r')])).toBe(0);
    } finally {
      log.mockRestore();
    }
    const out = JSON.parse(await readFile(json, 'utf8'));
    expect(out.gross.qrs).toMatchObject({ tp: 2, fn: 0, fp: 0 });
    expect(out.gross.V).toMatchObject({ tp: 1, fn: 0, fp: 0 });
  });

  it('importing a review from the annotation file places beats and episodes at the scaled times', async () => {
    const review = await importReview(join(dir, 'r.hr'), { name: 'r', hash: '', fs: 250 });
    expect(review.beats.map((b) => [b.sample, b.label])).toEqual([
      [250, 'N'],
      [501, 'V'],
    ]);
    expect(review.episodes.map((e) => [e.type, e.onsetSample])).toEqual([['AF', 1000]]);
  });

  it('a fine-tune from the annotation file labels the beats at the scaled times', async () => {
    const beats = await fromAnnotationFile(join(dir, 'r'), join(dir, 'r.hr'), 'r');
    expect(Array.from(beats.sample)).toEqual([250, 501]);
  });
});
