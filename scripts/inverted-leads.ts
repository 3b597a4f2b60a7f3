// What a lead's polarity costs the beat model: each cross-validation record rewritten upright and
// with every lead inverted (samples × −1: an electrode pair swapped, a handheld device held the other
// way round), analysed on its reference beats by the fold model that never saw it, with both leads
// and with lead 0 alone (the single-lead input), and scored EC57 against the reference per database:
//   npx tsx scripts/inverted-leads.ts [--leads both,0] training/work/beats/run/folds/f*
// or any records by one model set (a held-out check, e.g. MIT-BIH DS2 by the shipped model):
//   npx tsx scripts/inverted-leads.ts [--leads 0] --models models ../shared/data/mitdb/100 ...
// Prints V Se / +P per database, lead mode and polarity at the fold models' thresholds, how many
// beats' V calls the inversion changed, and threshold-free: AP(V) and V Se at +P ≥ 0.90 (reference
// beats, F and Q left out, the curves pooled over the records of a row).
// (docs/experiments/2026-12-08-beat-polarity.md)
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRecord } from '../src/main/analysis';
import { aamiClassOf, compareBeats } from '../src/main/evaluation';
import { openRecord, readAnnotations, writeAnnotations, writePhysicalRecord } from '../src/main/wfdb';

const { values, positionals: folds } = parseArgs({
  options: { leads: { type: 'string', default: 'both,0' }, models: { type: 'string' } },
  allowPositionals: true,
});
/** [models folder, records it scores]: each fold with its held-out records, or --models with the records named. */
const jobs: [string, string[]][] = values.models
  ? [[values.models, folds]]
  : folds
      .filter((f) => !f.endsWith('.json'))
      .map((f) => [f, execFileSync('bash', ['scripts/held-out-records.sh', f, 'mitdb', 'svdb']).toString().split('\n').filter(Boolean)]);
const modes = values.leads!.split(',').map((m) => (m === 'both' ? null : [Number(m)]));
/** MIT-BIH beat codes of the AAMI classes N, S, V, F, Q (the evaluator maps them back). */
const MIT_CODE = [1, 8, 5, 6, 13];
const V = 2;
/** tp, fn, fp of V, and beats whose V call differs from the upright twin's, per row. */
const tally = new Map<string, number[]>();
const add = (row: string, counts: number[]) => {
  const t = tally.get(row) ?? counts.map(() => 0);
  tally.set(
    row,
    t.map((v, i) => v + counts[i]!)
  );
};
/** P(V) and whether the reference calls the beat V, per row (F and Q beats left out). */
const curves = new Map<string, { score: number[]; isV: boolean[] }>();
const dir = await mkdtemp(join(tmpdir(), 'hbs-inverted-'));
try {
  for (const [fold, held] of jobs) {
    for (const path of held) {
      const db = basename(dirname(path));
      const rec = await openRecord(path);
      const fs = rec.fs;
      const leads = await rec.readPhysical(0, rec.nFrames);
      const specs = rec.header.signals;
      await rec.close();
      const ref = await readAnnotations(path, 'atr');
      const refClass = new Map<number, string>();
      for (const r of ref) {
        const cls = aamiClassOf(r.code);
        if (cls) refClass.set(r.sample, cls);
      }
      for (const sign of [1, -1]) {
        const name = sign === 1 ? 'upright' : 'inverted';
        await writePhysicalRecord(
          dir,
          name,
          fs,
          leads.map((x, i) => ({ values: x.map((v) => sign * v), gain: specs[i]!.adcGain || 200, description: specs[i]!.description }))
        );
        await writeAnnotations(join(dir, `${name}.atr`), ref);
      }
      const line = [`${db}/${basename(path)}`];
      for (const leadsOf of modes) {
        const mode = leadsOf ? `lead ${leadsOf.join(',')}` : 'both leads';
        const settings = { cacheDir: null, threads: 1, beats: 'reference' as const, modelsDir: fold, ...(leadsOf ? { leads: leadsOf } : {}) };
        const up = await analyzeRecord(join(dir, 'upright'), settings);
        const inv = await analyzeRecord(join(dir, 'inverted'), settings);
        let changed = 0;
        for (let i = 0; i < up.beats.label.length; i++) if ((up.beats.label[i] === V) !== (inv.beats.label[i] === V)) changed++;
        for (const [polarity, a] of [
          ['upright', up],
          ['inverted', inv],
        ] as const) {
          const code = Int32Array.from(a.beats.label, (l) => MIT_CODE[l]!);
          const s = compareBeats(ref, { sample: a.beats.sample, code }, { fs }).stats.V;
          const row = `${db} | ${mode} | ${polarity}`;
          add(row, [s.tp, s.fn, s.fp, polarity === 'inverted' ? changed : 0, a.beats.label.length]);
          const c = curves.get(row) ?? { score: [], isV: [] };
          curves.set(row, c);
          for (let i = 0; i < a.beats.label.length; i++) {
            const cls = refClass.get(a.beats.sample[i]!);
            if (cls === undefined || cls === 'F' || cls === 'Q') continue;
            c.score.push(a.beats.probs[i * 5 + V]!);
            c.isV.push(cls === 'V');
          }
          line.push(`${mode} ${polarity} V ${s.tp}/${s.fn}/${s.fp}`);
        }
        line.push(`${changed} V calls changed`);
      }
      console.log(line.join(' | '));
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
/** AP(V) and the highest V Se with +P ≥ minPpv over thresholds, from the row's pooled beats. */
function curveFigures(c: { score: number[]; isV: boolean[] }, minPpv: number): { ap: number; seAt: number } {
  const order = c.score.map((_, i) => i).sort((a, b) => c.score[b]! - c.score[a]!);
  const positives = c.isV.filter(Boolean).length;
  let tp = 0;
  let ap = 0;
  let seAt = 0;
  for (const [k, i] of order.entries()) {
    if (!c.isV[i]) continue;
    tp++;
    const ppv = tp / (k + 1);
    ap += ppv / positives;
    if (ppv >= minPpv) seAt = Math.max(seAt, tp / positives);
  }
  return { ap, seAt };
}
const f3 = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : '-');
console.log(
  '\n| database | leads | polarity | V Se | V +P | V tp / fn / fp | V calls changed by inversion | AP(V) | V Se at +P ≥ 0.90 |\n|---|---|---|---|---|---|---|---|---|'
);
for (const [row, [tp, fn, fp, changed, beats]] of [...tally].sort()) {
  const { ap, seAt } = curveFigures(curves.get(row)!, 0.9);
  console.log(
    `| ${row} | ${f3(tp!, tp! + fn!)} | ${f3(tp!, tp! + fp!)} | ${tp} / ${fn} / ${fp} | ${row.endsWith('inverted') ? `${changed} of ${beats}` : ''} | ${ap.toFixed(3)} | ${seAt.toFixed(3)} |`
  );
}
