// Chooses the VT/VF decision rules (src/main/rules/vt.ts: beat-label runs, joining, onsets, VF
// apart from VT) on the vfdb/cudb TRAINING and VALIDATION records of the rhythm model, never its test
// records (src/main/dataset/splits.ts; a test record given by name is refused):
//   npx tsx scripts/tune-vt.ts [--data DIR] [--split train|validation|both] [--rules JSON]
//       [--grid] [--diag] [--onsets] [--candidates FILE] [--vf-features FILE] [records...]
// Each record is analysed once through the app's pipeline (QRS detector beats, as analyze --beats
// detect on vfdb/cudb) and kept in build/tune-vt/ (v8-serialised; delete it after a change to the
// pipeline or the models); every setting then re-runs only the rhythm-model episode rules and
// applyThreshold, and is scored against the .atr VTA episodes (VT, flutter, fibrillation united; EC57
// episode comparison) with the onset error of the detected episodes.
//   --grid         the settings grid (GRID below) and the rule that chooses among them
//   --mitdb        MIT-BIH DS1 too (its "(VT" and "(VFL" episodes: mostly nonsustained runs of a few
//                  beats, which vfdb and cudb do not mark); DS2 is never read
//   --grid-runs    the grid of the beat-label run rules (RUN_GRID below), chosen per database
//   --grid-fast    the fast-run rule (vtFastRunMinBpm, FAST_GRID below) alone, by --grid-runs' objective
//   --rules JSON   rule parameters for the other outputs (default: the app's)
//   --diag         per record, each reference episode missed and each false episode, with the evidence
//   --onsets       the signed onset error of each detected episode
//   --candidates   every beat-label run and rhythm-model VT episode before the rules, with its features
//   --vf-features  per rhythm window inside reference VTA: VT or flutter/fibrillation, and signal features
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { analyzeRecord, confirmAfByRr, modelEpisodeOptions, applyThreshold, rhythmEpisodes, type RhythmRaw } from '../src/main/analysis';
import { compareEpisodes, episodesFromAnnotations, sumEpisodes, unionEpisodes, type EpisodeComparison, type EpisodeInterval } from '../src/main/evaluation';
import { openRecord, readAnnotations } from '../src/main/wfdb';
import { confirmModelVt, detectVtRuns, maxPVt, ruleParams, wideRuns, type RuleParams } from '../src/main/rules';
import { qualityOfLeads } from '../src/main/quality';
import { refuseTestRecords } from '../src/main/dataset/records';
import { MITDB_DS1, rhythmSplits, type RhythmSplit } from '../src/main/dataset/splits';
import { bandpass } from '../src/main/dsp';
import { labelAt, V_INDEX } from '../src/shared/analysis';
import type { Analysis, Episode } from '../src/shared/analysis';

const { values: opts, positionals: args } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    split: { type: 'string', default: 'both' },
    diag: { type: 'boolean', default: false },
    candidates: { type: 'string' },
    grid: { type: 'boolean', default: false },
    'grid-runs': { type: 'boolean', default: false },
    'grid-fast': { type: 'boolean', default: false },
    mitdb: { type: 'boolean', default: false },
    onsets: { type: 'boolean', default: false },
    'vf-features': { type: 'string' },
    /** --rules '{"vtBridgeSec":30}': rule parameters for --diag, --candidates and the summary lines. */
    rules: { type: 'string' },
  },
});
const DATA = resolve(opts.data ?? process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../shared/data'));
const split = opts.split;
const diag = opts.diag;
const candidatesOut = opts.candidates;
const gridOn = opts.grid;
const onsetsOn = opts.onsets;
const vfFeaturesOut = opts['vf-features'];
const rulesOpt = opts.rules;
const CACHE = resolve(import.meta.dirname, '../build/tune-vt');

/** vfdb/cudb records with the rhythm model's split of each (src/main/dataset/splits.ts). */
function splitOf(data: string): { path: string; split: RhythmSplit }[] {
  return ['vfdb', 'cudb'].flatMap((db) =>
    rhythmSplits(
      readdirSync(join(data, db))
        .filter((f) => f.endsWith('.hea'))
        .map((f) => f.slice(0, -4))
    ).map((r) => ({ path: join(data, db, r.name), split: r.split }))
  );
}

interface Loaded {
  name: string;
  /** The database: the grid of run rules weighs each alike. */
  db: string;
  split: 'train' | 'validation';
  a: Analysis;
  raw: RhythmRaw;
  signal: Float32Array;
  ref: EpisodeInterval[];
  /** The reference's "(VT" episodes alone (the rest of ref is flutter or fibrillation). */
  refVt: EpisodeInterval[];
  refKind: { onset: number; aux: string }[];
  nFrames: number;
}

async function load(path: string, validation: boolean): Promise<Loaded> {
  const name = path.split('/').pop()!;
  const file = join(CACHE, `${path.split('/').slice(-2)[0]}-${name}.bin`);
  let a: Analysis;
  let raw: RhythmRaw;
  if (existsSync(file)) ({ a, raw } = deserialize(readFileSync(file)) as { a: Analysis; raw: RhythmRaw });
  else {
    let r: RhythmRaw | undefined;
    a = await analyzeRecord(path, { beats: 'detector', cacheDir: null }, { onRhythm: (x) => (r = x) });
    if (!r) throw new Error(`${path}: the rhythm model did not run`);
    raw = r;
    mkdirSync(CACHE, { recursive: true });
    writeFileSync(file, serialize({ a, raw }));
  }
  const rec = await openRecord(path);
  const nFrames = rec.nFrames;
  const signal = (await rec.readPhysical(0, nFrames))[0]!;
  await rec.close();
  const anns = await readAnnotations(path, 'atr');
  const ref = episodesFromAnnotations(anns, 'VTA', nFrames);
  const refKind = anns
    .filter((x) => (x.aux ?? '').startsWith('(') || x.code === 32 || x.code === 33)
    .map((x) => ({ onset: x.sample, aux: x.code === 32 ? '[' : x.code === 33 ? ']' : x.aux!.replace(/\0/g, '') }));
  const db = path.split('/').slice(-2)[0]!;
  return { name, db, split: validation ? 'validation' : 'train', a, raw, signal, ref, refVt: episodesFromAnnotations(anns, 'VT', nFrames), refKind, nFrames };
}

/** The app's VT/VF episodes of a record under rule parameters p (the pipeline's rhythm steps, then applyThreshold). */
export function replay(r: Loaded, p: RuleParams): Episode[] {
  const { raw, a } = r;
  let rhythm = confirmAfByRr(
    rhythmEpisodes(raw.probs, raw.classes, raw.startSample, raw.windowSamples, raw.nFrames, raw.windowSec, modelEpisodeOptions(p)),
    raw.rrAf,
    p.afConfirmOverlap
  );
  const K = 5;
  const ventricular = Uint8Array.from({ length: a.beats.sample.length }, (_, k) => {
    let best = 0;
    for (let c = 1; c < K; c++) if (a.beats.probs[k * K + c]! > a.beats.probs[k * K + best]!) best = c;
    return best === V_INDEX ? 1 : 0;
  });
  rhythm = confirmModelVt(rhythm, a.beats.sample, a.fs, a.beats.wide!, p, ventricular);
  const noise = a.episodes.filter((e) => e.type === 'NOISE');
  const out = applyThreshold({ ...a, episodes: [...rhythm, ...noise] }, a.threshold, p);
  return out.episodes.filter((e) => e.type === 'VT');
}

interface Score {
  cmp: EpisodeComparison;
  onsetErr: number[];
  detections: number;
  overlapping: number;
}

function scoreRecord(r: Loaded, vt: Episode[]): Score {
  const test = unionEpisodes(vt.map((e) => ({ onset: e.onsetSample, offset: e.offsetSample })));
  const cmp = compareEpisodes(r.ref, test, { fs: r.a.fs });
  const onsetErr: number[] = [];
  let overlapping = 0;
  const sorted = [...vt].sort((x, y) => x.onsetSample - y.onsetSample);
  for (let k = 1; k < sorted.length; k++) if (sorted[k]!.onsetSample < sorted[k - 1]!.offsetSample) overlapping++;
  for (const d of sorted) {
    const near = r.ref.filter((x) => d.onsetSample < x.offset && x.onset < d.offsetSample).map((x) => Math.abs(d.onsetSample - x.onset));
    if (near.length) onsetErr.push(Math.min(...near) / r.a.fs);
  }
  return { cmp, onsetErr, detections: vt.length, overlapping };
}

function total(scores: Score[]) {
  const g = sumEpisodes(scores.map((s) => s.cmp)).gross;
  const err = scores.flatMap((s) => s.onsetErr).sort((a, b) => a - b);
  return {
    eSe: g.episodeSe.value ?? NaN,
    ePpv: g.episodePpv.value ?? NaN,
    dSe: g.durationSe.value ?? NaN,
    dPpv: g.durationPpv.value ?? NaN,
    ref: g.episodeSe.tp + g.episodeSe.miss,
    det: scores.reduce((s, x) => s + x.detections, 0),
    overlapping: scores.reduce((s, x) => s + x.overlapping, 0),
    onsetMedian: err.length ? err[(err.length - 1) >> 1]! : NaN,
  };
}

const mmss = (s: number, fs: number) => {
  const x = s / fs;
  return `${Math.floor(x / 60)}:${(x % 60).toFixed(1).padStart(4, '0')}`;
};

function kindAt(r: Loaded, a: number, b: number): string {
  let before = '';
  const inside = new Set<string>();
  for (const k of r.refKind) {
    if (k.onset <= a) before = k.aux;
    else if (k.onset < b) inside.add(k.aux);
  }
  return [before, ...inside].filter(Boolean).join(',');
}

function diagnose(r: Loaded, vt: Episode[], p: RuleParams): void {
  const fs = r.a.fs;
  const { sample, wide, probs } = r.a.beats;
  console.log(`== ${r.name} (${r.split})`);
  for (const x of r.ref) {
    const hit = vt.filter((e) => e.onsetSample < x.offset && x.onset < e.offsetSample);
    if (hit.length) continue;
    const ks: number[] = [];
    for (let k = 0; k < sample.length; k++) if (sample[k]! >= x.onset && sample[k]! < x.offset) ks.push(k);
    const pv = ks.map((k) => probs[k * 5 + 2]!.toFixed(1)).join(' ');
    const w = ks.map((k) => wide![k]).join('');
    let pvt = 0;
    const rv = r.a.rhythmVt!;
    for (let i = 0; i < rv.startSample.length; i++)
      if (rv.startSample[i]! < x.offset && x.onset < rv.startSample[i]! + rv.windowSamples) pvt = Math.max(pvt, rv.pVt[i]!);
    const ov = (e: Episode) => e.onsetSample < x.offset && x.onset < e.offsetSample;
    const runs = detectVtRuns(
      sample,
      fs,
      Uint8Array.from({ length: sample.length }, (_, k) => labelAt(probs, k, r.a.threshold)),
      r.a.beats.pvcScore,
      p
    ).filter(ov);
    const ctx = r.a.episodes.filter((e) => (e.type === 'NOISE' || e.type === 'AF') && ov(e)).map((e) => e.type);
    console.log(
      `  MISS ${mmss(x.onset, fs)} ${((x.offset - x.onset) / fs).toFixed(1)} s ${kindAt(r, x.onset, x.offset)}: ${ks.length} beats, P(V) ${pv}; wide ${w}; max window P(VT) ${pvt.toFixed(2)}; V runs ${runs.map((e) => e.explanation.slice(0, 40)).join(' | ') || 'none'}; over ${ctx.join(',') || '-'}`
    );
  }
  for (const e of vt) {
    if (r.ref.some((x) => e.onsetSample < x.offset && x.onset < e.offsetSample)) continue;
    console.log(
      `  FALSE ${mmss(e.onsetSample, fs)} ${((e.offsetSample - e.onsetSample) / fs).toFixed(1)} s ref ${kindAt(r, e.onsetSample, e.offsetSample)} ${e.source}/${e.rhythm ?? ''} ${e.confidence.toFixed(2)}: ${e.explanation.slice(0, 160)}`
    );
  }
  void p;
}

/** Every candidate before the VT evidence rules: beat-label runs and rhythm-model VT episodes, with what the rules can see. */
function candidates(r: Loaded, p: RuleParams): Record<string, string | number>[] {
  const { a, raw } = r;
  const fs = a.fs;
  const { sample, probs, wide } = a.beats;
  const label = Uint8Array.from({ length: sample.length }, (_, k) => labelAt(probs, k, a.threshold));
  const ov = (x: { onsetSample: number; offsetSample: number }, e: { onsetSample: number; offsetSample: number }) =>
    e.onsetSample < x.offsetSample && x.onsetSample < e.offsetSample;
  const noise = a.episodes.filter((e) => e.type === 'NOISE');
  const af = a.episodes.filter((e) => e.type === 'AF');
  const model = rhythmEpisodes(raw.probs, raw.classes, raw.startSample, raw.windowSamples, raw.nFrames, raw.windowSec, modelEpisodeOptions(p)).filter(
    (e) => e.type === 'VT'
  );
  const flags = qualityOfLeads([r.signal], ['0'], fs)[0]!.flags;
  const rows: Record<string, string | number>[] = [];
  const cand = [...detectVtRuns(sample, fs, label, a.beats.pvcScore, p), ...model];
  for (const e of cand) {
    const ks: number[] = [];
    for (let k = 0; k < sample.length; k++) if (sample[k]! >= e.onsetSample && sample[k]! <= e.offsetSample) ks.push(k);
    const sec = (e.offsetSample - e.onsetSample) / fs;
    const w = ks.length ? wideRuns(sample, fs, wide!, p, ks[0]!, ks[ks.length - 1]!) : [];
    let q = 0;
    for (let s = Math.floor(e.onsetSample / fs); s < Math.ceil(e.offsetSample / fs); s++) q |= flags[s] ?? 0;
    const rr = ks
      .slice(1)
      .map((k) => (sample[k]! - sample[k - 1]!) / fs)
      .sort((x, y) => x - y);
    const hit = r.ref.some((x) => e.onsetSample < x.offset && x.onset < e.offsetSample);
    rows.push({
      rec: r.name,
      split: r.split,
      src: e.source,
      at: (e.onsetSample / fs).toFixed(1),
      sec: sec.toFixed(1),
      hit: hit ? 1 : 0,
      beats: ks.length,
      bpm: rr.length ? (60 / rr[(rr.length - 1) >> 1]!).toFixed(0) : 0,
      pv: ks.length ? (ks.reduce((s, k) => s + probs[k * 5 + 2]!, 0) / ks.length).toFixed(2) : 0,
      wideN: ks.reduce((s, k) => s + wide![k]!, 0),
      wideRun: w.length ? Math.max(...w.map((x) => x.last - x.first + 1)) : 0,
      pvt: maxPVt(a.rhythmVt!, e.onsetSample, e.offsetSample).toFixed(2),
      conf: e.confidence.toFixed(2),
      noise: noise.some((x) => ov(x, e)) ? 1 : 0,
      q,
      af: af.some((x) => ov(x, e)) ? 1 : 0,
      kind: kindAt(r, e.onsetSample, e.offsetSample),
    });
  }
  return rows;
}

/**
 * The grid. Rule fixed before looking: the best sum of episode Se and +P over the training and
 * validation records together, ties to the setting nearest the current defaults; then, that
 * setting with vtRefineOnset on if it brings the median onset error within the issue's 3 s
 * (the onset stage: it moves onsets, and with them what overlaps, a little).
 */
const GRID: Partial<Record<keyof RuleParams, (number | boolean)[]>> = {
  vtOverNoiseMinP: [2, 0.7, 0.5],
  vtRunMinP: [0.1, 0.2, 0.3, 0.5],
  vtWideAloneMinBeats: [3, 8, 0],
  vtModelMinP: [0, 0.6, 0.7],
  vtBridgeSec: [10, 20, 30],
  vtFastMinBpm: [0, 180],
  vtRefineOnset: [false, true],
};

/** Every combination of a grid's values, and how many of its parameters a setting moves off the defaults. */
function expand(g: Partial<Record<keyof RuleParams, (number | boolean)[]>>) {
  const keys = Object.keys(g) as (keyof RuleParams)[];
  let settings: Partial<RuleParams>[] = [{}];
  for (const k of keys) settings = settings.flatMap((s) => g[k]!.map((v) => ({ ...s, [k]: v })));
  const d = ruleParams();
  const distance = (s: Partial<RuleParams>) => keys.filter((k) => s[k] !== d[k]).length;
  return { keys, settings, distance };
}

/** The first TOP rows (default 15), then the current defaults' row when it is not among them. */
function printTop<R extends { s: Partial<RuleParams> }>(
  rows: R[],
  keys: (keyof RuleParams)[],
  distance: (s: Partial<RuleParams>) => number,
  figures: (x: R) => string
): void {
  const cur = rows.find((x) => distance(x.s) === 0);
  const top = rows.slice(0, Number(process.env.TOP ?? 15));
  for (const x of [...top, ...(cur && !top.includes(cur) ? [cur] : [])])
    console.log(`  ${keys.map((k) => String(x.s[k]).padStart(5)).join(' ')} → ${figures(x)}${x === cur ? '   (current defaults)' : ''}`);
}

function grid(records: Loaded[]): void {
  const { keys, settings, distance } = expand(GRID);
  const rows = settings.map((s) => {
    const p = ruleParams(s);
    const scores = records.map((r) => ({ r, s: scoreRecord(r, replay(r, p)) }));
    const all = total(scores.map((x) => x.s));
    const val = total(scores.filter((x) => x.r.split === 'validation').map((x) => x.s));
    return { s, all, val };
  });
  rows.sort((a, b) => b.all.eSe + b.all.ePpv - (a.all.eSe + a.all.ePpv) || distance(a.s) - distance(b.s));
  console.log(
    `grid (${rows.length} settings) on ${records.length} training/validation records: ${keys.join(' / ')} → all: episode Se +P, duration Se +P, onset median; validation: episode Se +P`
  );
  const f = (x: number) => x.toFixed(3);
  printTop(
    rows,
    keys,
    distance,
    (x) => `${f(x.all.eSe)} ${f(x.all.ePpv)}  ${f(x.all.dSe)} ${f(x.all.dPpv)}  ${x.all.onsetMedian.toFixed(1)} s; ${f(x.val.eSe)} ${f(x.val.ePpv)}`
  );
}

/**
 * The beat-label run rules (src/main/rules/vt.ts confirmVtRuns), the others at their defaults. Rule
 * fixed before looking: the best mean over the databases (MIT-BIH DS1; vfdb and cudb together) of
 * (episode Se + episode +P) / 2 on their training and validation records, ties to the setting nearest
 * the current defaults; CinC 2017 validation strips are then checked for false VT (scripts/score-cinc.ts).
 */
const RUN_GRID: Partial<Record<keyof RuleParams, (number | boolean)[]>> = {
  vtConfidentMinP: [0, 0.5, 0.8, 0.9, 0.95, 0.99],
  vtConfidentInAf: [false, true],
  vtWideAloneMinBeats: [3, 8, 0],
  vtRunMinP: [0.1, 0.2, 0.3],
};

/** The fast-run rule (vtFastRunMinBpm) alone, the others at their defaults, by gridRuns' objective (--grid-fast). */
const FAST_GRID: Partial<Record<keyof RuleParams, (number | boolean)[]>> = {
  vtFastRunMinBpm: [0, 180, 200, 220, 250],
};

function gridRuns(records: Loaded[], g = RUN_GRID): void {
  const { keys, settings, distance } = expand(g);
  const group = (r: Loaded) => (r.db === 'mitdb' ? 'mitdb' : 'vfdb+cudb');
  const groups = [...new Set(records.map(group))].sort();
  const rows = settings.map((s) => {
    const p = ruleParams(s);
    const scores = records.map((r) => ({ r, s: scoreRecord(r, replay(r, p)) }));
    const per = groups.map((g) => total(scores.filter((x) => group(x.r) === g).map((x) => x.s)));
    const objective = per.reduce((t, x) => t + (x.eSe + x.ePpv) / 2, 0) / per.length;
    return { s, per, objective };
  });
  rows.sort((a, b) => b.objective - a.objective || distance(a.s) - distance(b.s));
  const f = (x: number) => x.toFixed(3);
  console.log(`run-rule grid (${rows.length} settings): ${keys.join(' / ')} → objective; per database (${groups.join(', ')}): episode Se +P`);
  printTop(rows, keys, distance, (x) => `${f(x.objective)}; ${x.per.map((t) => `${f(t.eSe)} ${f(t.ePpv)}`).join('; ')}`);
}

// How organised a stretch of ECG is, tried as the VF/VFL-apart-from-VT evidence (it did not separate
// them on the training records: docs/experiments/2026-12-04-rhythm.md):
//  - dominantHz: the frequency of the largest spectral peak within 1–12 Hz;
//  - concentration: the share of the 1–12 Hz power within ±1 Hz of that peak;
//  - baselineShare: the share of samples within 10 % of the amplitude range (5th–95th percentile)
//    around the median: time near baseline, expected low for flutter and fibrillation.
interface Organisation {
  dominantHz: number;
  concentration: number;
  baselineShare: number;
}

const LO_HZ = 1;
const HI_HZ = 12;
const STEP_HZ = 0.1;

function quantile(sorted: Float32Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))]!;
}

/** Organisation of samples [a, b) of lead x at fs (the stretch is band-passed 1–30 Hz on its own). */
function organisation(x: Float32Array, fs: number, a: number, b: number): Organisation {
  const from = Math.max(0, a);
  const to = Math.min(x.length, b);
  const n = to - from;
  if (n < fs) return { dominantHz: 0, concentration: 0, baselineShare: 1 };
  const seg = Float32Array.from(x.subarray(from, to), (v) => (Number.isFinite(v) ? v : 0));
  const y = bandpass(seg, fs, 1, Math.min(30, 0.45 * fs));
  // power spectrum on a 0.1-Hz grid (a direct sum: a few hundred frequencies over one stretch)
  const freqs: number[] = [];
  const power: number[] = [];
  for (let f = LO_HZ; f <= HI_HZ + 1e-9; f += STEP_HZ) {
    const w = (2 * Math.PI * f) / fs;
    let re = 0;
    let im = 0;
    for (let i = 0; i < n; i++) {
      re += y[i]! * Math.cos(w * i);
      im -= y[i]! * Math.sin(w * i);
    }
    freqs.push(f);
    power.push(re * re + im * im);
  }
  let peak = 0;
  for (let i = 1; i < power.length; i++) if (power[i]! > power[peak]!) peak = i;
  let total = 0;
  let near = 0;
  for (let i = 0; i < power.length; i++) {
    total += power[i]!;
    if (Math.abs(freqs[i]! - freqs[peak]!) <= 1 + 1e-9) near += power[i]!;
  }
  const sorted = Float32Array.from(y).sort();
  const med = quantile(sorted, 0.5);
  const range = quantile(sorted, 0.95) - quantile(sorted, 0.05);
  let close = 0;
  for (let i = 0; i < n; i++) if (Math.abs(y[i]! - med) <= 0.1 * range) close++;
  return { dominantHz: freqs[peak]!, concentration: total > 0 ? near / total : 0, baselineShare: range > 0 ? close / n : 1 };
}

async function main(): Promise<void> {
  const all = splitOf(DATA);
  const val = new Set(all.filter((r) => r.split === 'validation').map((r) => r.path));
  // a record named by the user: its path without .hea (the name the guard and the split know it by)
  const paths = args.length
    ? args.map((a) => resolve(a.endsWith('.hea') ? a.slice(0, -4) : a))
    : all.filter((r) => r.split !== 'test' && (split === 'both' || r.split === split)).map((r) => r.path);
  if (opts.mitdb) paths.push(...MITDB_DS1.map((r) => join(DATA, 'mitdb', r)));
  // MIT-BIH DS2 and the rhythm model's test records are refused, however the path is spelled
  refuseTestRecords(paths);
  const records: Loaded[] = [];
  for (const path of paths) records.push(await load(path, val.has(path)));
  const p = ruleParams(rulesOpt ? (JSON.parse(rulesOpt) as Partial<RuleParams>) : {});
  const byRec = records.map((r) => ({ r, vt: replay(r, p) }));
  if (diag) for (const { r, vt } of byRec) diagnose(r, vt, p);
  if (vfFeaturesOut) {
    // per rhythm window inside the reference's VTA: its majority kind (VT, or flutter/fibrillation) and what the rules could see
    const lines = ['rec\tsplit\tat\tkind\tpvt\tbpm\tbeats\tdominantHz\tconcentration\tbaselineShare\twideShare\tvShare'];
    for (const r of records) {
      const { raw, a } = r;
      const K = raw.classes.length;
      const vtK = raw.classes.indexOf('VT');
      for (let w = 0; w < raw.startSample.length; w++) {
        const s0 = raw.startSample[w]!;
        const s1 = s0 + raw.windowSamples;
        const cover = (iv: EpisodeInterval[]) => iv.reduce((t, x) => t + Math.max(0, Math.min(s1, x.offset) - Math.max(s0, x.onset)), 0);
        if (cover(r.ref) < 0.5 * raw.windowSamples) continue;
        const vt = cover(r.refVt);
        const kind = vt >= 0.5 * raw.windowSamples ? 'VT' : vt === 0 ? 'VF' : 'mixed';
        const ks: number[] = [];
        for (let k = 0; k < a.beats.sample.length; k++) if (a.beats.sample[k]! >= s0 && a.beats.sample[k]! < s1) ks.push(k);
        const rr = ks
          .slice(1)
          .map((k) => a.beats.sample[k]! - a.beats.sample[k - 1]!)
          .sort((x, y) => x - y);
        const o = organisation(r.signal, a.fs, s0, s1);
        const wideShare = ks.length ? ks.reduce((t, k) => t + a.beats.wide![k]!, 0) / ks.length : 0;
        const vShare = ks.length ? ks.reduce((t, k) => t + (a.beats.probs[k * 5 + V_INDEX]! > 0.5 ? 1 : 0), 0) / ks.length : 0;
        lines.push(
          [
            r.name,
            r.split,
            (s0 / a.fs).toFixed(0),
            kind,
            raw.probs[w * K + vtK]!.toFixed(2),
            rr.length ? ((60 * a.fs) / rr[(rr.length - 1) >> 1]!).toFixed(0) : 0,
            ks.length,
            o.dominantHz.toFixed(1),
            o.concentration.toFixed(2),
            o.baselineShare.toFixed(2),
            wideShare.toFixed(2),
            vShare.toFixed(2),
          ].join('\t')
        );
      }
    }
    writeFileSync(vfFeaturesOut, lines.join('\n') + '\n');
  }
  if (onsetsOn)
    for (const { r, vt } of byRec)
      for (const d of vt) {
        const near = r.ref.filter((x) => d.onsetSample < x.offset && x.onset < d.offsetSample);
        if (!near.length) continue;
        const x = near.reduce((a, b) => (Math.abs(d.onsetSample - b.onset) < Math.abs(d.onsetSample - a.onset) ? b : a));
        console.log(
          `ONSET ${r.name} ${d.source}/${d.rhythm ?? ''} ${mmss(x.onset, r.a.fs)} ${((d.onsetSample - x.onset) / r.a.fs).toFixed(1)} s ${kindAt(r, x.onset, x.offset)}`
        );
      }
  const csv = candidatesOut;
  if (csv) {
    const rows = records.flatMap((r) => candidates(r, p));
    const cols = Object.keys(rows[0]!);
    writeFileSync(csv, [cols.join('\t'), ...rows.map((x) => cols.map((c) => x[c]).join('\t'))].join('\n') + '\n');
  }
  if (gridOn) grid(records);
  if (opts['grid-runs']) gridRuns(records);
  if (opts['grid-fast']) gridRuns(records, FAST_GRID);
  const dbs = [...new Set(records.map((r) => r.db))];
  for (const db of dbs.length > 1 ? dbs : []) {
    const t = total(byRec.filter((x) => x.r.db === db).map(({ r, vt }) => scoreRecord(r, vt)));
    console.log(
      `${db}: ${t.ref} reference VTA episodes: episode Se ${t.eSe.toFixed(3)} +P ${t.ePpv.toFixed(3)}, duration Se ${t.dSe.toFixed(3)} +P ${t.dPpv.toFixed(3)}; ${t.det} detected`
    );
  }
  for (const s of ['train', 'validation'] as const) {
    const part = byRec.filter((x) => x.r.split === s);
    if (!part.length) continue;
    const t = total(part.map(({ r, vt }) => scoreRecord(r, vt)));
    console.log(
      `${s} (${part.length} records, ${t.ref} reference VTA episodes): episode Se ${t.eSe.toFixed(3)} +P ${t.ePpv.toFixed(3)}, duration Se ${t.dSe.toFixed(3)} +P ${t.dPpv.toFixed(3)}; ${t.det} detected, ${t.overlapping} overlapping; median onset error ${t.onsetMedian.toFixed(1)} s`
    );
  }
}

await main();
