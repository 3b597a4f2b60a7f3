// Scores the recording-level call on PhysioNet/CinC 2017 strips through the app's own analysis:
//   npx tsx scripts/score-cinc.ts --split validation|test|train [--data ../shared/data] [--limit N] [--json FILE]
// The split is the rhythm model's (src/main/dataset/splits.ts: recordings sorted by name, i % 5 == 0
// test, i % 10 == 3 validation). Choices (rules, thresholds) are made on train/validation only; the
// test split is scored once, after. Prints AF F1 (recording label AF vs REFERENCE.csv "A"), the share
// of normal/AF strips with a VT episode or a VT/VF recording label, and the label confusion; --json
// writes each recording's call and strip evidence (for choosing the rule on validation).
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeRecord } from '../src/main/analysis';
import { cincSplit } from '../src/main/dataset/cinc';
import type { RhythmSplit } from '../src/main/dataset/splits';

const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? undefined : args[i + 1];
};
const DATA = resolve(opt('data') ?? process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../shared/data'));
const split = opt('split') ?? 'validation';
if (!['train', 'validation', 'test'].includes(split)) throw new Error(`--split must be train, validation or test, got "${split}"`);
const limit = Number(opt('limit') ?? Infinity);
const jsonOut = opt('json');

const picked = cincSplit(join(DATA, 'cinc2017'), split as RhythmSplit).slice(0, limit);

const rows: Record<string, unknown>[] = [];
let tp = 0,
  fp = 0,
  fn = 0,
  vtFalse = 0,
  normalOrAf = 0;
const confusion = new Map<string, number>();
const t0 = performance.now();
for (const [i, r] of picked.entries()) {
  const truth = r.label;
  const a = await analyzeRecord(r.path, { cacheDir: null, parallel: false });
  const label = a.recording?.label ?? '?';
  const isAf = label === 'AF';
  if (truth === 'A' && isAf) tp++;
  else if (truth === 'A') fn++;
  else if (isAf) fp++;
  if (truth === 'N' || truth === 'A') {
    normalOrAf++;
    if (a.episodes.some((e) => e.type === 'VT') || label === 'VT' || label === 'VF') vtFalse++;
  }
  confusion.set(`${truth}→${label}`, (confusion.get(`${truth}→${label}`) ?? 0) + 1);
  rows.push({
    name: r.name,
    truth,
    durationSec: a.durationSec,
    recording: a.recording,
    strip: a.strip,
    afBurden: a.summary.afBurden,
    episodes: a.episodes.map((e) => ({ type: e.type, source: e.source, explanation: e.explanation })),
  });
  if ((i + 1) % 50 === 0) process.stderr.write(`${i + 1}/${picked.length} (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
}
const f1 = (2 * tp) / (2 * tp + fp + fn);
console.log(
  `CinC 2017 ${split}: ${picked.length} recordings, AF F1 ${f1.toFixed(3)} (TP ${tp}, FP ${fp}, FN ${fn}); normal/AF strips with VT: ${vtFalse}/${normalOrAf} = ${((100 * vtFalse) / Math.max(1, normalOrAf)).toFixed(1)} %`
);
console.log(
  [...confusion]
    .sort()
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')
);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows));
