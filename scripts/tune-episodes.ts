// Chooses how the rhythm model's windows become episodes (smoothing, merge gaps, minimum
// durations, AF confirmation by the RR rule) on the rhythm model's VALIDATION records, never its
// test records:
//   npx tsx scripts/tune-episodes.ts [--data ../shared/data] [--json FILE] [records...]
// Without records: MIT-BIH 119 201 208 and the vfdb/cudb recordings with index i % 10 == 3 in name
// order (training/hbs/rhythm.py's validation split). Each record is analysed once through the app's
// pipeline (reference beats where the .atr has them, else the QRS detector); the hook
// `onRhythm` hands over the rhythm model's window probabilities and the RR rule's AF episodes, and
// every setting of the grid is scored with the EC57 episode comparison (AF, and VTA = VT, flutter
// and fibrillation as one class). VTA is tuned first and fixes the smoothing (shared by all types),
// then AF at that smoothing (MIT-BIH DS2 and the rhythm test records, given by name, are refused).
// Rule (fixed before looking, recall first): among the settings whose gross episode Se and duration
// Se are both ≥ 0.90, the best episode +P, then duration +P, then the simplest; if none reaches
// 0.90, the best episode Se.
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRecord, confirmAfByRr, rhythmEpisodes, type RhythmRaw } from '../src/main/analysis';
import { rhythmChanges } from '../src/main/analysis/outputs';
import { compareRhythm, sumEpisodes, type EpisodeComparison, type RhythmAnnotation } from '../src/main/evaluation';
import { RHYTHM } from '../src/main/wfdb/codes';
import { refuseTestRecords } from '../src/main/dataset/records';
import { readAnnotations } from '../src/main/wfdb';
import { DEFAULT_RULE_PARAMS } from '../src/main/rules';

const { values: opts, positionals: args } = parseArgs({ allowPositionals: true, options: { data: { type: 'string' }, json: { type: 'string' } } });
const DATA = resolve(opts.data ?? process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../shared/data'));
const jsonOut = opts.json;

function validationRecords(): string[] {
  const out = ['119', '201', '208'].map((r) => join(DATA, 'mitdb', r));
  for (const db of ['vfdb', 'cudb']) {
    const names = readdirSync(join(DATA, db))
      .filter((f) => f.endsWith('.hea'))
      .map((f) => f.slice(0, -4))
      .sort();
    names.forEach((n, i) => i % 10 === 3 && out.push(join(DATA, db, n)));
  }
  return out;
}

interface Loaded {
  name: string;
  raw: RhythmRaw;
  ref: RhythmAnnotation[];
}

interface Setting {
  smooth: number;
  minSec: number;
  gapSec: number;
  confirm: number;
}
type Kind = 'AF' | 'VTA';

function grid(kind: Kind, smoothings: number[]): Setting[] {
  const out: Setting[] = [];
  for (const smooth of smoothings)
    for (const minSec of kind === 'AF' ? [30, 60] : [0, 10, 20])
      for (const gapSec of kind === 'AF' ? [10, 30, 60] : [0, 10, 30])
        for (const confirm of kind === 'AF' ? [0, 0.3, 0.5] : [0]) out.push({ smooth, minSec, gapSec, confirm });
  return out;
}

function score(records: Loaded[], kind: Kind, s: Setting) {
  const type = kind === 'AF' ? 'AF' : 'VT';
  const list: EpisodeComparison[] = records.map(({ raw, ref }) => {
    const eps = confirmAfByRr(
      rhythmEpisodes(raw.probs, raw.classes, raw.startSample, raw.windowSamples, raw.nFrames, raw.windowSec, {
        smoothWindows: s.smooth,
        minSec: { [type]: s.minSec },
        mergeGapSec: { [type]: s.gapSec },
      }),
      raw.rrAf,
      s.confirm
    ).filter((e) => e.type === type);
    const test: RhythmAnnotation[] = rhythmChanges(eps, 0).map((c) => ({ sample: c.sample, code: RHYTHM, aux: c.aux }));
    return compareRhythm(ref, test, kind, { fs: raw.fs, recordLength: raw.nFrames });
  });
  const g = sumEpisodes(list).gross;
  return {
    eSe: g.episodeSe.value,
    ePpv: g.episodePpv.value,
    dSe: g.durationSe.value,
    dPpv: g.durationPpv.value,
    nRef: g.episodeSe.tp + g.episodeSe.miss,
    nTest: g.episodePpv.tp + g.episodePpv.miss,
  };
}

const v = (x: number | null | undefined) => x ?? -1;
const f = (x: number | null | undefined) => (x === null || x === undefined ? '  – ' : x.toFixed(2));

async function main(): Promise<void> {
  const paths = args.length ? args : validationRecords();
  // MIT-BIH DS2 and the rhythm model's test records are never chosen on (records given by name too)
  refuseTestRecords(paths);
  const records: Loaded[] = [];
  for (const path of paths) {
    let raw: RhythmRaw | undefined;
    await analyzeRecord(path, { cacheDir: null }, { onRhythm: (r) => (raw = r) });
    if (!raw) throw new Error(`${path}: the rhythm model did not run (rules fallback?)`);
    const ref = (await readAnnotations(path, 'atr')).map((a) => ({ sample: a.sample, code: a.code, aux: a.aux ?? null }));
    records.push({ name: path.split('/').slice(-2).join('/'), raw, ref });
    process.stderr.write(`analysed ${path}\n`);
  }
  const doc: Record<string, unknown> = {
    records: records.map((r) => r.name),
    rule: 'episode Se and duration Se >= 0.90, then best episode +P, duration +P, simplest',
  };
  // The smoothing is shared by all episode types: VTA chooses it, AF is tuned at that smoothing.
  let smoothings = [1, 3];
  for (const kind of ['VTA', 'AF'] as const) {
    const rows = grid(kind, smoothings).map((s) => ({ s, r: score(records, kind, s) }));
    const ok = rows.filter((x) => v(x.r.eSe) >= 0.9 && v(x.r.dSe) >= 0.9);
    const pool = ok.length ? ok : rows;
    const simple = (s: Setting) => s.smooth + s.minSec / 10 + s.gapSec / 10 + s.confirm;
    pool.sort((a, b) => (ok.length ? v(b.r.ePpv) - v(a.r.ePpv) || v(b.r.dPpv) - v(a.r.dPpv) : v(b.r.eSe) - v(a.r.eSe)) || simple(a.s) - simple(b.s));
    const d = DEFAULT_RULE_PARAMS;
    const now: Setting =
      kind === 'AF'
        ? { smooth: d.rhythmSmoothWindows, minSec: d.afMinEpisodeSec, gapSec: d.afMergeGapSec, confirm: d.afConfirmOverlap }
        : { smooth: d.rhythmSmoothWindows, minSec: d.vtMinEpisodeSec, gapSec: d.vtMergeGapSec, confirm: 0 };
    const cur = rows.find((x) => x.s.smooth === now.smooth && x.s.minSec === now.minSec && x.s.gapSec === now.gapSec && x.s.confirm === now.confirm);
    console.log(
      `\n${kind} on ${records.length} validation records (${cur?.r.nRef ?? '?'} reference episodes); smooth/min s/gap s/confirm → episode Se +P, duration Se +P, test episodes`
    );
    for (const { s, r } of [...pool.slice(0, 8), ...(cur ? [cur] : [])]) {
      console.log(
        `  ${String(s.smooth).padStart(2)} ${String(s.minSec).padStart(3)} ${String(s.gapSec).padStart(3)} ${s.confirm.toFixed(1)}  →  ${f(r.eSe)} ${f(r.ePpv)}  ${f(r.dSe)} ${f(r.dPpv)}  ${r.nTest}${s === cur?.s ? '   (current defaults)' : ''}`
      );
    }
    console.log(`  chosen: ${JSON.stringify(pool[0]!.s)}${ok.length ? '' : ' (no setting reaches Se 0.90: best Se)'}`);
    doc[kind] = { chosen: pool[0]!.s, figures: pool[0]!.r, current: cur?.r, grid: rows };
    smoothings = [pool[0]!.s.smooth];
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(doc, null, 1) + '\n');
}

await main();
