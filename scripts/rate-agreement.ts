// The beat model across sampling rates: each record analysed as stored and resampled (the app's
// resampler) to each rate given, on its reference beat positions; prints the share of beats labelled
// as at the record's own rate and the V Se / +P (counts too, to sum over runs) against the reference at every rate:
//   npx tsx scripts/rate-agreement.ts [--rates 250,128] [--models DIR] <records...>
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRecord } from '../src/main/analysis';
import { mapIndex, resample } from '../src/main/dsp';
import { aamiClassOf } from '../src/main/evaluation';
import { openRecord, readAnnotations, writeAnnotations, writePhysicalRecord } from '../src/main/wfdb';
import { AAMI_CLASSES } from '../src/shared/analysis';

const { values, positionals: records } = parseArgs({
  options: { rates: { type: 'string', default: '250,128' }, models: { type: 'string' } },
  allowPositionals: true,
});
const rates = values.rates.split(',').map(Number);
const settings = { beats: 'reference' as const, cacheDir: null, threads: 1, ...(values.models ? { modelsDir: values.models } : {}) };
const dir = await mkdtemp(join(tmpdir(), 'hbs-rates-'));
type Tally = { tp: number; fn: number; fp: number; same: number; n: number };
const tally = new Map<string, Tally>();

/** Adds one analysis's labels to the rate's tally: against the reference classes and the record's own-rate labels. */
function add(rate: string, ref: (string | null)[], label: Uint8Array, own: Uint8Array): void {
  const t = tally.get(rate) ?? { tp: 0, fn: 0, fp: 0, same: 0, n: 0 };
  tally.set(rate, t);
  ref.forEach((c, i) => {
    const got = AAMI_CLASSES[label[i]!];
    t.n++;
    if (label[i] === own[i]) t.same++;
    if (c === 'V') {
      if (got === 'V') t.tp++;
      else t.fn++;
    } else if (c !== 'F' && c !== 'Q' && got === 'V') t.fp++;
  });
}

try {
  for (const path of records) {
    const rec = await openRecord(path);
    const fs = rec.fs;
    const sigs = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
    const specs = rec.header.signals.slice(0, 2);
    await rec.close();
    const anns = await readAnnotations(path, 'atr');
    const ref = anns.map((a) => aamiClassOf(a.code)).filter((c) => c !== null);
    const own = await analyzeRecord(path, settings);
    if (own.beats.label.length !== ref.length) throw new Error(`${path}: ${own.beats.label.length} beats analysed, ${ref.length} reference beats`);
    add(`${fs} (as stored)`, ref, own.beats.label, own.beats.label);
    for (const to of rates) {
      const name = `r${to}`;
      await writePhysicalRecord(
        dir,
        name,
        to,
        sigs.map((x, i) => ({ values: resample(x, fs, to), gain: specs[i]!.adcGain || 200, description: specs[i]!.description }))
      );
      await writeAnnotations(
        join(dir, `${name}.atr`),
        anns.map((a) => ({ ...a, sample: mapIndex(a.sample, fs, to) }))
      );
      const a = await analyzeRecord(join(dir, name), settings);
      if (a.beats.label.length !== ref.length) throw new Error(`${path} at ${to} Hz: ${a.beats.label.length} beats analysed, ${ref.length} reference beats`);
      add(String(to), ref, a.beats.label, own.beats.label);
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
console.log('rate Hz\tsame labels as stored\tV Se\tV +P\tV TP / FN / FP\tbeats');
for (const [rate, t] of tally)
  console.log(
    `${rate}\t${((100 * t.same) / t.n).toFixed(2)} %\t${(t.tp / (t.tp + t.fn)).toFixed(3)}\t${(t.tp / (t.tp + t.fp)).toFixed(3)}\t${t.tp} / ${t.fn} / ${t.fp}\t${t.n}`
  );
