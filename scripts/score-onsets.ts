// Onset error and fragmentation of the app's VT/VF episodes against the reference:
//   npx tsx scripts/score-onsets.ts --test-dir DIR <records...>
// DIR holds analyze's <record>.json (analyze --out DIR). Reference: the record's .atr rhythm
// episodes of kind VTA (VT, flutter, fibrillation united; src/main/evaluation/epic.ts). For each
// detected VT episode that overlaps reference episodes: |its onset − the nearest of their onsets|,
// in seconds. Also counts detected episodes that overlap each other, and scores VF apart from VT:
// reference VF = the VTA stretches outside "(VT" (flutter, fibrillation, [ ] marks) against the
// app's VT episodes with rhythm 'VF', reference "(VT" against the others (EC57 episode comparison).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareEpisodes, episodesFromAnnotations, sumEpisodes, unionEpisodes, type EpisodeComparison, type EpisodeInterval } from '../src/main/evaluation';
import { openRecord, readAnnotations } from '../src/main/wfdb';

const args = process.argv.slice(2);
const i = args.indexOf('--test-dir');
if (i < 0) throw new Error('usage: score-onsets.ts --test-dir DIR <records...>');
const dir = args[i + 1]!;
const records = args.filter((_, k) => k !== i && k !== i + 1);

/** a minus b, both sorted and disjoint. */
function minus(a: readonly EpisodeInterval[], b: readonly EpisodeInterval[]): EpisodeInterval[] {
  const out: EpisodeInterval[] = [];
  for (const x of a) {
    let s = x.onset;
    for (const y of b) {
      if (y.offset <= s || y.onset >= x.offset) continue;
      if (y.onset > s) out.push({ onset: s, offset: y.onset });
      s = Math.max(s, y.offset);
    }
    if (s < x.offset) out.push({ onset: s, offset: x.offset });
  }
  return out;
}
const vfCmp: EpisodeComparison[] = [];
const vtCmp: EpisodeComparison[] = [];
const errors: number[] = [];
let overlapping = 0;
let detections = 0;
for (const path of records) {
  const name = path.split('/').pop()!;
  const json = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as {
    fs: number;
    episodes: { type: string; onsetSample: number; offsetSample: number; rhythm?: string }[];
  };
  const rec = await openRecord(path);
  const nFrames = rec.nFrames;
  await rec.close();
  const ref = episodesFromAnnotations(await readAnnotations(path, 'atr'), 'VTA', nFrames);
  const vt = json.episodes.filter((e) => e.type === 'VT').sort((a, b) => a.onsetSample - b.onsetSample);
  const anns = await readAnnotations(path, 'atr');
  const refVt = episodesFromAnnotations(anns, 'VT', nFrames);
  const refVf = minus(ref, refVt);
  const iv = (f: (e: (typeof vt)[number]) => boolean) => unionEpisodes(vt.filter(f).map((e) => ({ onset: e.onsetSample, offset: e.offsetSample })));
  vfCmp.push(
    compareEpisodes(
      refVf,
      iv((e) => (e as { rhythm?: string }).rhythm === 'VF'),
      { fs: json.fs }
    )
  );
  vtCmp.push(
    compareEpisodes(
      refVt,
      iv((e) => (e as { rhythm?: string }).rhythm !== 'VF'),
      { fs: json.fs }
    )
  );
  detections += vt.length;
  for (let k = 1; k < vt.length; k++) if (vt[k]!.onsetSample < vt[k - 1]!.offsetSample) overlapping++;
  for (const d of vt) {
    const near = ref.filter((r) => d.onsetSample < r.offset && r.onset < d.offsetSample).map((r) => Math.abs(d.onsetSample - r.onset));
    if (near.length) errors.push(Math.min(...near) / json.fs);
  }
}
errors.sort((a, b) => a - b);
const median = errors.length ? errors[Math.floor((errors.length - 1) / 2)]! : NaN;
console.log(
  `VT/VF onset error over ${errors.length} detected episodes overlapping the reference: median ${median.toFixed(1)} s, 90th percentile ${errors.length ? errors[Math.floor(0.9 * (errors.length - 1))]!.toFixed(1) : '-'} s; ${detections} detected episodes, ${overlapping} overlapping the one before`
);
const fmt = (x: { value: number | null }) => (x.value === null ? '-' : x.value.toFixed(3));
for (const [name, list] of [
  ['VF/VFL (rhythm VF)', vfCmp],
  ['VT (rhythm VT)', vtCmp],
] as const) {
  const g = sumEpisodes(list).gross;
  console.log(`${name}: episode Se ${fmt(g.episodeSe)} +P ${fmt(g.episodePpv)}, duration Se ${fmt(g.durationSe)} +P ${fmt(g.durationPpv)}`);
}
