// A lead off for part of a record: each record rewritten with one lead flat over [--from, --to)
// seconds (an electrode off), analysed on its reference beats (and with --detect, on the app's QRS
// detector), and scored inside that stretch and after it against the reference: beats found,
// V Se / +P, and the same for the record as stored (counts too, to sum over runs):
//   npx tsx scripts/lead-off.ts [--lead 0] [--from 300] [--to 900] [--detect] [--models DIR] <records...>
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { analyzeRecord, type AnalyzeSettings } from '../src/main/analysis';
import { compareBeats } from '../src/main/evaluation';
import { openRecord, readAnnotations, writeAnnotations, writePhysicalRecord } from '../src/main/wfdb';
import type { Analysis } from '../src/shared/analysis';

const { values, positionals: records } = parseArgs({
  options: {
    lead: { type: 'string', default: '0' },
    from: { type: 'string', default: '300' },
    to: { type: 'string', default: '900' },
    detect: { type: 'boolean', default: false },
    models: { type: 'string' },
  },
  allowPositionals: true,
});
const off = Number(values.lead);
const [fromSec, toSec] = [Number(values.from), Number(values.to)];
/** MIT-BIH beat codes of the AAMI classes N, S, V, F, Q (the evaluator maps them back). */
const MIT_CODE = [1, 8, 5, 6, 13];
const tally = new Map<string, number[]>();
const dir = await mkdtemp(join(tmpdir(), 'hbs-lead-off-'));

/** Beats found and V counts inside the stretch (a second's margin each side) or after it, added to the row's tally. */
function score(row: string, a: Analysis, ref: Awaited<ReturnType<typeof readAnnotations>>, fs: number, part: 'in' | 'after'): string {
  const code = Int32Array.from(a.beats.label, (l) => MIT_CODE[l]!);
  const span = part === 'in' ? { startSec: fromSec + 1, endSec: toSec - 1 } : { startSec: toSec + 1 };
  const s = compareBeats(ref, { sample: a.beats.sample, code }, { fs, ...span }).stats;
  const counts = [s.qrs.tp, s.qrs.fn, s.qrs.fp, s.V.tp, s.V.fn, s.V.fp];
  const t = tally.get(row) ?? counts.map(() => 0);
  tally.set(
    row,
    t.map((v, i) => v + counts[i]!)
  );
  return `${row}: beats ${s.qrs.tp}/${s.qrs.tp + s.qrs.fn} (+${s.qrs.fp}), V tp ${s.V.tp} fn ${s.V.fn} fp ${s.V.fp}`;
}

const pct = (a: number, b: number) => (b > 0 ? (a / b).toFixed(3) : '-');
try {
  for (const path of records) {
    const rec = await openRecord(path);
    const fs = rec.fs;
    const leads = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
    const specs = rec.header.signals.slice(0, 2);
    await rec.close();
    if (leads.length < 2) throw new Error(`${path}: one signal; a lead off needs two`);
    leads[off]!.fill(0, Math.round(fromSec * fs), Math.round(toSec * fs));
    await writePhysicalRecord(
      dir,
      'off',
      fs,
      leads.map((values, i) => ({ values, gain: specs[i]!.adcGain || 200, description: specs[i]!.description }))
    );
    const ref = await readAnnotations(path, 'atr');
    await writeAnnotations(join(dir, 'off.atr'), ref);
    const settings: AnalyzeSettings = { cacheDir: null, threads: 1, ...(values.models ? { modelsDir: values.models } : {}) };
    const line = [path.split('/').pop()!];
    for (const beats of values.detect ? (['reference', 'detector'] as const) : (['reference'] as const)) {
      const stored = await analyzeRecord(path, { ...settings, beats });
      const offAnalysis = await analyzeRecord(join(dir, 'off'), { ...settings, beats });
      for (const part of ['in', 'after'] as const) {
        line.push(score(`${beats} as stored, ${part}`, stored, ref, fs, part));
        line.push(score(`${beats}, lead ${off} off, ${part}`, offAnalysis, ref, fs, part));
      }
    }
    console.log(line.join(' | '));
  }
  console.log(`\nlead ${off} flat over ${fromSec}–${toSec} s; scored in it (${fromSec + 1}–${toSec - 1} s) and after it (from ${toSec + 1} s)`);
  console.log('| analysis | beats found | extra | V Se | V +P | V tp / fn / fp |\n|---|---|---|---|---|---|');
  for (const [row, [tp, fn, fp, vtp, vfn, vfp]] of tally)
    console.log(`| ${row} | ${pct(tp!, tp! + fn!)} | ${fp} | ${pct(vtp!, vtp! + vfn!)} | ${pct(vtp!, vtp! + vfp!)} | ${vtp} / ${vfn} / ${vfp} |`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
