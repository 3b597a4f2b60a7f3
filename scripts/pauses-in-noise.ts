// Pauses reported inside the reference's noise stretches: for each record, the PAUSE episodes of an
// `analyze --json` output that overlap a stretch the .atr marks noisy ("~" with a non-zero subtype,
// the noisy leads as bits, until a "~" with subtype 0).
//   npx tsx scripts/pauses-in-noise.ts --analyses DIR --data ../shared/data/mitdb RECORD...
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readAnnotations } from '../src/main/wfdb';

const NOISE = 14;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { analyses: { type: 'string' }, data: { type: 'string' } },
});
if (!values.analyses || !values.data || !positionals.length) {
  console.error('usage: npx tsx scripts/pauses-in-noise.ts --analyses DIR --data DIR RECORD...');
  process.exit(2);
}

/** [from, to, subtype] of each noisy stretch. */
async function noiseStretches(recordPath: string): Promise<[number, number, number][]> {
  const out: [number, number, number][] = [];
  let open: [number, number] | null = null;
  for (const a of await readAnnotations(recordPath, 'atr')) {
    if (a.code !== NOISE) continue;
    if (open && a.subtype === 0) {
      out.push([open[0], a.sample, open[1]]);
      open = null;
    } else if (!open && a.subtype !== 0) open = [a.sample, a.subtype];
  }
  if (open) out.push([open[0], Infinity, open[1]]);
  return out;
}

let total = 0;
let inside = 0;
for (const r of positionals) {
  const file = join(values.analyses, `${r}.json`);
  const analysis = JSON.parse(readFileSync(file, 'utf8')) as { episodes: { type: string; onsetSample: number; offsetSample: number }[] };
  const noise = await noiseStretches(join(values.data, r));
  for (const p of analysis.episodes.filter((e) => e.type === 'PAUSE')) {
    total++;
    const hit = noise.find(([from, to]) => p.onsetSample < to && p.offsetSample > from);
    if (!hit) continue;
    inside++;
    console.log(`${r}: pause ${p.onsetSample}–${p.offsetSample} overlaps noise ${hit[0]}–${hit[1]} (noisy leads, bits: ${hit[2]})`);
  }
}
console.log(`${total} pauses, ${inside} overlapping reference noise`);
