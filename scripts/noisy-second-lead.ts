// Beats in seconds where lead 1 is noisy (flagged by the signal quality, not flat) and lead 0 is
// readable: are their V labels better from both leads (today) or from lead 0 alone (the
// single-lead input)? Each cross-validation record is analysed on its reference beats by the fold
// model that never saw it, with both leads and with lead 0 alone; "lead 0 there" takes the lead-0
// label for the beats in those seconds only. V Se / +P by the EC57 evaluator, per database:
//   npx tsx scripts/noisy-second-lead.ts training/work/beats/run/folds/f*
// (docs/experiments/2026-12-07-noisy-second-lead.md)
import { execFileSync } from 'node:child_process';
import { analyzeRecord } from '../src/main/analysis';
import { compareBeats } from '../src/main/evaluation';
import { QUALITY, qualityOfLeads } from '../src/main/quality';
import { openRecord, readAnnotations } from '../src/main/wfdb';

/** MIT-BIH beat codes of the AAMI classes N, S, V, F, Q (the evaluator maps them back). */
const MIT_CODE = [1, 8, 5, 6, 13];
const tally = new Map<string, number[]>();
const add = (row: string, v: { tp: number; fn: number; fp: number }) => {
  const t = tally.get(row) ?? [0, 0, 0];
  tally.set(row, [t[0]! + v.tp, t[1]! + v.fn, t[2]! + v.fp]);
};

for (const fold of process.argv.slice(2)) {
  const held = execFileSync('bash', ['scripts/held-out-records.sh', fold, 'mitdb', 'svdb']).toString().split('\n').filter(Boolean);
  for (const path of held) {
    const both = await analyzeRecord(path, { beats: 'reference', modelsDir: fold, cacheDir: null });
    const lead0 = await analyzeRecord(path, { beats: 'reference', modelsDir: fold, cacheDir: null, leads: [0] });
    const rec = await openRecord(path);
    const fs = rec.fs;
    const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
    await rec.close();
    const [q0, q1] = qualityOfLeads(signals, ['0', '1'], fs).map((l) => l.flags);
    const per = Math.round(fs); // the quality flags' grid
    const noisy1 = (s: number) => !q0![s] && !!q1![s] && !(q1![s]! & QUALITY.FLAT);
    const codeBoth = Int32Array.from(both.beats.label, (l) => MIT_CODE[l]!);
    const mixed = codeBoth.slice();
    let there = 0;
    for (let i = 0; i < mixed.length; i++)
      if (noisy1(Math.floor(both.beats.sample[i]! / per))) {
        mixed[i] = MIT_CODE[lead0.beats.label[i]!]!;
        there++;
      }
    const ref = await readAnnotations(path, 'atr');
    const db = path.includes('/svdb/') ? 'svdb' : 'mitdb';
    const a = compareBeats(ref, { sample: both.beats.sample, code: codeBoth }, { fs }).stats.V;
    const b = compareBeats(ref, { sample: both.beats.sample, code: mixed }, { fs }).stats.V;
    add(`${db} both leads`, a);
    add(`${db} lead 0 there`, b);
    add('beats there', { tp: there, fn: 0, fp: 0 });
    console.log(`${path.split('/').pop()}: ${there} beats there; V tp/fn/fp both ${a.tp}/${a.fn}/${a.fp}, lead 0 there ${b.tp}/${b.fn}/${b.fp}`);
  }
}
const f3 = (x: number) => x.toFixed(3);
for (const [row, [tp, fn, fp]] of tally)
  console.log(
    row === 'beats there' ? `beats in such seconds: ${tp}` : `${row}: V Se ${f3(tp! / (tp! + fn!))} +P ${f3(tp! / (tp! + fp!))} (tp ${tp}, fn ${fn}, fp ${fp})`
  );
