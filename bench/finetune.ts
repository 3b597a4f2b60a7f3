// npm run bench:finetune -- [--json FILE] [--data mitdb|svdb] [--records 100,103,...] [--budget 30] [--no-implicit] [--strategy review|uncertainty|pooled|both|all]
//                            [--prior N] [--l2 X] [--balance X] [--share X] [--threshold parent|refit|patient]
//                            [--min-ppv X] [--adapt head|embedding] [--replay labels|distil] [--unreviewed-share X] [--seed N]   (job settings, for tuning)
//                            [--cv DIR]   (tuning: DIR/folds.json from `hbs.beats --folds K`; every DS1 record is
//                                          reviewed with the fold model that never saw it, as DS2 is with the shipped one)
//
// Simulated reviewer on each MIT-BIH DS2 record (reference beat positions from the .atr):
//  - "review" (the issue's protocol): in the first 5 minutes the reviewer corrects every flagged beat
//    (P(V) ≥ the model's threshold) and every missed PVC, labels taken from the reference annotations;
//    the other beats of those 5 minutes, left as they were, count as confirmed with their predicted
//    (non-V) label unless --no-implicit;
//  - "uncertainty" (active learning): the reviewer labels only the `budget` beats of the first 5
//    minutes the model is least sure about (|logit P(V) − logit threshold| smallest), nothing else;
//  - "pooled" (the clinic's version): the "review" labels of every record in one job, then every
//    record scored with that one new version.
// Each per-record strategy is also summed as "<strategy>+advice": the reviewer who activates the new
// version only where the app's verdict (src/shared/finetune-verdict.ts) says ok, and keeps
// the parent where it warns or refuses.
// The fine-tune job (src/main/finetune, the same one the app and the CLI run, in process here) trains
// on those labels; the remaining 25 minutes are scored with the EC57 evaluator (bxb matching from
// 300 s, src/main/evaluation) with the shipped model and with the new ONNX file through onnxruntime.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AAMI_CLASSES, labelAt, V_INDEX, type AamiClass } from '../src/shared/analysis';
import { extractBeatWindows, type BeatWindows } from '../src/main/beats';
import { recordOutputs } from '../src/main/finetune/shown';
import { MITDB_DS2 } from '../src/main/dataset';
import { aamiClassOf, addMatrix, beatStats, compareBeats, emptyMatrix, rescore, type ConfusionMatrix } from '../src/main/evaluation';
import { fromLabels, ModelRegistry, runFinetune } from '../src/main/finetune';
import { finetuneVerdict, type Verdict } from '../src/shared/finetune-verdict';
import { defaultModelsDir, openModel, type LoadedModel, type ResolvedModel } from '../src/main/inference';
import { isQrs, codeOf, openRecord, readAnnotations } from '../src/main/wfdb';

const args = process.argv.slice(2);
const opt = (name: string, def?: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const DATA = resolve(process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../shared/data'));
const records = (opt('records') ?? MITDB_DS2.join(',')).split(',').filter(Boolean);
const budget = Number(opt('budget', '30'));
const implicit = !args.includes('--no-implicit');
const strategy = opt('strategy', 'both')!;
const jsonOut = opt('json');
interface Fold {
  records: string[];
  models: string;
}
const cvDir = opt('cv');
const folds: Fold[] | null = cvDir
  ? (JSON.parse(readFileSync(join(cvDir, 'folds.json'), 'utf8')) as Fold[]).map((f) => ({ records: f.records, models: resolve(cvDir, f.models) }))
  : null;
const modelsFor = (rec: string): string => (folds ? (folds.find((f) => f.records.includes(rec))?.models ?? '') : defaultModelsDir());
if (folds && !opt('records')) records.splice(0, records.length, ...folds.flatMap((f) => f.records));
// Job settings (defaults: the job's own, chosen with --cv on DS1; docs/finetune.md "How the job's settings were chosen").
const tune = {
  ...(opt('share') ? { correctionShare: Number(opt('share')) } : {}),
  ...(opt('balance') ? { balance: Number(opt('balance')) } : {}),
  ...(opt('prior') ? { correctionPrior: Number(opt('prior')) } : {}),
  ...(opt('l2') ? { train: { l2: Number(opt('l2')) } } : {}),
  ...(opt('threshold') ? { threshold: opt('threshold') as 'parent' | 'refit' | 'patient' } : {}),
  ...(opt('min-ppv') ? { minPpv: Number(opt('min-ppv')) } : {}),
  ...(opt('unreviewed-share') ? { unreviewedShare: Number(opt('unreviewed-share')) } : {}),
  ...(opt('seed') ? { seed: Number(opt('seed')) } : {}),
  ...(opt('adapt') ? { adapt: opt('adapt') as 'head' | 'embedding' } : {}),
  ...(opt('replay') ? { replay: opt('replay') as 'labels' | 'distil' } : {}),
};
const LEARN_SEC = 300;

interface Score {
  se: number | null;
  ppv: number | null;
  /** V beats found, missed, and false V calls in the scored 25 minutes. */
  tp: number;
  fn: number;
  fp: number;
}
interface RecordRow {
  record: string;
  before: Score;
  after: Score;
  jobMs: number;
  labelled: number;
  used: number;
  byClass: Record<AamiClass, number>;
  /** V recall and precision on the shipped reference set before → after the job (forgetting), when a job ran. */
  reference?: { before: { se: number | null; ppv: number | null }; after: { se: number | null; ppv: number | null } };
  /** The app's verdict on the version (src/shared/finetune-verdict.ts), when a job ran. */
  advice?: Verdict;
}

/** A record's path: in --data DB when given, else the first of mitdb, svdb that holds it (cross-validation folds span both). */
function recordPath(name: string): string {
  const dbs = opt('data') ? [opt('data')!] : ['mitdb', 'svdb'];
  const db = dbs.find((d) => existsSync(join(DATA, d, `${name}.hea`)));
  if (!db) throw new Error(`record ${name}: not found in ${dbs.map((d) => join(DATA, d)).join(' or ')}`);
  return join(DATA, db, name);
}

async function loadRecord(name: string, model: LoadedModel) {
  const path = recordPath(name);
  const rec = await openRecord(path);
  const fs = rec.fs;
  const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
  await rec.close();
  const anns = await readAnnotations(path, 'atr');
  const sample: number[] = [];
  const truth: AamiClass[] = [];
  const x = codeOf('x');
  for (const a of anns) {
    if (!isQrs(a.code) || a.code === x || (sample.length && a.sample <= sample[sample.length - 1]!)) continue;
    sample.push(a.sample);
    truth.push(aamiClassOf(a.code) ?? 'Q');
  }
  const s32 = Int32Array.from(sample);
  const bw = extractBeatWindows(signals, fs, s32);
  return { path, fs, anns, sample: s32, truth, bw, probs: await scoreWith(model, bw, s32.length) };
}

/** Every beat's probabilities as the app's analysis has them: the model, then its manifest's morphology consensus. */
const scoreWith = async (model: LoadedModel, bw: BeatWindows, n: number) => (await recordOutputs(model, bw, n)).out.probs;

function score(anns: Awaited<ReturnType<typeof readAnnotations>>, sample: Int32Array, fs: number, probs: Float32Array, threshold: number) {
  const test = { sample, code: new Int32Array(sample.length).fill(codeOf('N')!) }; // beats (labels come from rescore)
  const cmp = compareBeats(anns, test, { fs, startSec: LEARN_SEC, keepPairs: true });
  return rescore(cmp.pairs!, (i) => AAMI_CLASSES[labelAt(probs, i, threshold)]!);
}

const logit = (p: number) => Math.log(Math.max(p, 1e-7) / Math.max(1 - p, 1e-7));

type Scored = ReturnType<typeof score>;
/** V recall and precision of a job's new version on the shipped reference set, before → after. */
function referenceOf(job: Awaited<ReturnType<typeof runFinetune>>): RecordRow['reference'] {
  const ref = job.entry.finetune.metrics.reference;
  if (!ref) return undefined;
  return {
    before: { se: ref.before.perClass.V.recall, ppv: ref.before.perClass.V.precision },
    after: { se: ref.after.perClass.V.recall, ppv: ref.after.perClass.V.precision },
  };
}
const vScore = (s: Scored): Score => ({ se: s.stats.V.se, ppv: s.stats.V.ppv, tp: s.stats.V.tp, fn: s.stats.V.fn, fp: s.stats.V.fp });

interface ModelContext {
  modelsDir: string;
  reg: ModelRegistry;
  shipped: ResolvedModel;
  model: LoadedModel;
  thr0: number;
}
const contexts = new Map<string, ModelContext>();
async function contextFor(modelsDir: string): Promise<ModelContext> {
  let c = contexts.get(modelsDir);
  if (!c) {
    if (!modelsDir) throw new Error('record not in any fold of --cv');
    const reg = new ModelRegistry(mkdtempSync(join(tmpdir(), 'hbs-bench-ft-')), modelsDir);
    const shipped = await reg.shipped();
    c = { modelsDir, reg, shipped, model: await openModel(shipped, { provider: 'cpu' }), thr0: shipped.entry.defaultThreshold ?? 0.5 };
    contexts.set(modelsDir, c);
  }
  return c;
}

async function main(): Promise<void> {
  const first = await contextFor(modelsFor(records[0]!));
  const { shipped, thr0 } = first;
  const strategies = strategy === 'both' ? ['review', 'uncertainty'] : strategy === 'all' ? ['review', 'uncertainty', 'pooled'] : [strategy];
  const result: Record<string, { rows: RecordRow[]; before: ConfusionMatrix; after: ConfusionMatrix }> = {};
  // '<strategy>+advice': the reviewer who activates a version only where the app advises it (verdict ok)
  for (const s of strategies) for (const k of s === 'pooled' ? [s] : [s, `${s}+advice`]) result[k] = { rows: [], before: emptyMatrix(), after: emptyMatrix() };
  console.log(
    `fine-tune benchmark: ${records.length} records, model ${folds ? `per fold (${cvDir})` : `${shipped.entry.id} ${shipped.entry.version} (threshold ${thr0})`}, strategies ${strategies.join(', ')}${implicit ? '' : ', no implicit confirmations'}`
  );

  // 'pooled': every record's review labels in one job (the clinic's version), then each record scored with it
  // (with --cv: one job per fold, over the records that fold's model never saw)
  const pool: {
    name: string;
    modelsDir: string;
    r: Awaited<ReturnType<typeof loadRecord>>;
    beats: ReturnType<typeof fromLabels>;
    before: Scored;
    labelled: number;
  }[] = [];
  /** One record's row of a strategy: kept for the summary and printed. */
  const record = (s: string, row: RecordRow, before: Scored, after: Scored, quiet = false): void => {
    result[s]!.rows.push(row);
    addMatrix(result[s]!.before, before.matrix);
    addMatrix(result[s]!.after, after.matrix);
    if (quiet) return;
    const f = (x: number | null) => (x === null ? '  —  ' : x.toFixed(3));
    console.log(
      `${row.record.padEnd(4)} ${s.padEnd(11)} V Se ${f(row.before.se)} → ${f(row.after.se)}   +P ${f(row.before.ppv)} → ${f(row.after.ppv)}   FN ${row.before.fn} → ${row.after.fn}  FP ${row.before.fp} → ${row.after.fp}   labelled ${String(row.labelled).padStart(4)} (used ${String(row.used).padStart(4)}: ${AAMI_CLASSES.map((c) => `${c} ${row.byClass[c]}`).join(' ')})   job ${(row.jobMs / 1000).toFixed(2)} s`
    );
  };
  for (const name of records) {
    const { reg, model, thr0, modelsDir } = await contextFor(modelsFor(name));
    const r = await loadRecord(name, model);
    const n = r.sample.length;
    const learnEnd = LEARN_SEC * r.fs;
    const before = score(r.anns, r.sample, r.fs, r.probs, thr0);
    for (const s of strategies) {
      const labels: (AamiClass | null)[] = new Array(n).fill(null);
      let labelled = 0;
      if (s === 'review' || s === 'pooled') {
        for (let i = 0; i < n && r.sample[i]! < learnEnd; i++) {
          const pred = labelAt(r.probs, i, thr0);
          if (pred === V_INDEX || r.truth[i] === 'V') {
            labels[i] = r.truth[i]!;
            labelled++;
          } else if (implicit) labels[i] = AAMI_CLASSES[pred]!;
        }
      } else {
        const cand: [number, number][] = [];
        const lt = logit(thr0);
        for (let i = 0; i < n && r.sample[i]! < learnEnd; i++) cand.push([Math.abs(logit(r.probs[i * 5 + V_INDEX]!) - lt), i]);
        cand.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        for (const [, i] of cand.slice(0, budget)) {
          labels[i] = r.truth[i]!;
          labelled++;
        }
      }
      const beats = fromLabels(r.path, name, r.sample, labels);
      if (s === 'pooled') {
        pool.push({ name, modelsDir, r, beats, before, labelled });
        continue;
      }
      const t0 = performance.now();
      let after = before;
      let used = 0;
      let byClass = { N: 0, S: 0, V: 0, F: 0, Q: 0 } as Record<AamiClass, number>;
      let jobMs: number;
      let reference: RecordRow['reference'];
      let advised = false;
      let advice: Verdict | undefined;
      try {
        const job = await runFinetune([beats], { registryDir: reg.dir, modelsDir, reviewer: 'bench', threads: 2, ...tune });
        jobMs = performance.now() - t0;
        used = job.entry.finetune.corrections.total;
        reference = referenceOf(job);
        byClass = job.entry.finetune.corrections.byClass;
        advice = finetuneVerdict(job.entry.finetune);
        advised = advice.level === 'ok';
        const m = await openModel({ entry: job.entry, path: job.path }, { provider: 'cpu' });
        const probs = await scoreWith(m, r.bw, n);
        await m.session.release();
        after = score(r.anns, r.sample, r.fs, probs, job.entry.defaultThreshold ?? thr0);
        rmSync(job.path, { force: true });
      } catch (e) {
        jobMs = performance.now() - t0;
        console.log(`  ${name} ${s}: no fine-tune (${(e as Error).message}); scored with the shipped model`);
      }
      const row = {
        record: name,
        before: vScore(before),
        after: vScore(after),
        jobMs: Math.round(jobMs),
        labelled,
        used,
        byClass,
        ...(reference ? { reference } : {}),
        ...(advice ? { advice } : {}),
      };
      record(s, row, before, after);
      record(`${s}+advice`, { ...row, after: vScore(advised ? after : before) }, before, advised ? after : before, true);
    }
  }
  for (const dir of [...new Set(pool.map((p) => p.modelsDir))]) {
    const group = pool.filter((p) => p.modelsDir === dir);
    const { reg, modelsDir, thr0 } = await contextFor(dir);
    const t0 = performance.now();
    const job = await runFinetune(
      group.map((p) => p.beats),
      { registryDir: reg.dir, modelsDir, reviewer: 'bench', threads: 2, ...tune }
    );
    const jobMs = performance.now() - t0;
    const m = await openModel({ entry: job.entry, path: job.path }, { provider: 'cpu' });
    const thr = job.entry.defaultThreshold ?? thr0;
    console.log(
      `pooled job: ${job.entry.finetune.corrections.total} beats from ${group.length} records, ${(jobMs / 1000).toFixed(2)} s, threshold ${thr0} → ${thr.toFixed(3)}, adapted ${job.adapted}`
    );
    for (const p of group) {
      const n = p.r.sample.length;
      const after = score(p.r.anns, p.r.sample, p.r.fs, await scoreWith(m, p.r.bw, n), thr);
      const used = p.beats.label.filter((l) => l >= 0).length;
      const reference = referenceOf(job);
      record(
        'pooled',
        {
          record: p.name,
          before: vScore(p.before),
          after: vScore(after),
          jobMs: Math.round(jobMs),
          labelled: p.labelled,
          used,
          byClass: job.entry.finetune.corrections.byClass,
          ...(reference ? { reference } : {}),
        },
        p.before,
        after
      );
    }
    await m.session.release();
    rmSync(job.path, { force: true });
  }
  for (const c of contexts.values()) await c.model.session.release();
  const summary: Record<string, unknown> = {};
  for (const s of Object.keys(result)) {
    const R = result[s]!;
    const gb = beatStats(R.before).V;
    const ga = beatStats(R.after).V;
    const worse = R.rows
      .filter(
        (x) =>
          (x.before.se !== null && x.after.se !== null && x.after.se < x.before.se - 0.01) ||
          (x.before.ppv !== null && x.after.ppv !== null && x.after.ppv < x.before.ppv - 0.01)
      )
      .map((x) => x.record);
    const labelled = R.rows.reduce((a, x) => a + x.labelled, 0);
    const refRows = R.rows.filter((x) => x.reference && x.reference.after.se !== null && x.reference.before.se !== null);
    const meanRef = (f: (x: RecordRow) => number) => (refRows.length ? refRows.reduce((a, x) => a + f(x), 0) / refRows.length : NaN);
    const refSe = [meanRef((x) => x.reference!.before.se!), meanRef((x) => x.reference!.after.se!)];
    const refPpv = [meanRef((x) => x.reference!.before.ppv ?? 0), meanRef((x) => x.reference!.after.ppv ?? 0)];
    const jobs = R.rows.map((x) => x.jobMs).sort((a, b) => a - b);
    console.log(
      `\n${s}: gross V Se ${gb.se?.toFixed(4)} → ${ga.se?.toFixed(4)}, +P ${gb.ppv?.toFixed(4)} → ${ga.ppv?.toFixed(4)} (FN ${gb.fn} → ${ga.fn}, FP ${gb.fp} → ${ga.fp}); beats labelled ${labelled} (${(labelled / R.rows.length).toFixed(1)} per record); ` +
        `job median ${(jobs[Math.floor(jobs.length / 2)]! / 1000).toFixed(2)} s, max ${(jobs[jobs.length - 1]! / 1000).toFixed(2)} s; records worse by > 1 point: ${worse.length ? worse.join(' ') : 'none'}; shipped reference set over the ${refRows.length} records with a job, mean V Se ${refSe[0]!.toFixed(3)} → ${refSe[1]!.toFixed(3)}, +P ${refPpv[0]!.toFixed(3)} → ${refPpv[1]!.toFixed(3)}`
    );
    summary[s] = {
      gross: { before: { se: gb.se, ppv: gb.ppv, tp: gb.tp, fn: gb.fn, fp: gb.fp }, after: { se: ga.se, ppv: ga.ppv, tp: ga.tp, fn: ga.fn, fp: ga.fp } },
      records: R.rows,
      labelled,
      worse,
    };
  }
  if (jsonOut) {
    const main = (summary.review ?? summary[strategies[0]!]) as { gross: unknown; records: unknown };
    const doc = {
      gross: main.gross,
      records: main.records,
      protocol: {
        data: folds
          ? 'the training records (MIT-BIH DS1, svdb), each with the cross-validation fold model that never saw it'
          : 'MIT-BIH DS2 (de Chazal 2004), reference beat positions (atr)',
        learnSec: LEARN_SEC,
        scoredFromSec: LEARN_SEC,
        evaluator: 'EC57 bxb (src/main/evaluation)',
        implicitConfirmations: implicit,
        model: folds ? { crossValidation: cvDir, folds: folds.length } : { id: shipped.entry.id, version: shipped.entry.version, threshold: thr0 },
      },
      strategies: summary,
      activeLearning: summary.uncertainty ? { budget, ...(summary.uncertainty as object) } : undefined,
    };
    writeFileSync(jsonOut, JSON.stringify(doc, null, 2) + '\n');
    console.log(`wrote ${jsonOut}`);
  }
  for (const c of contexts.values()) rmSync(c.reg.dir, { recursive: true, force: true });
}

await main();
