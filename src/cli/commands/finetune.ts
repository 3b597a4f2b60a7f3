// heartbeat-sensei finetune: the app's fine-tune job, headless. Reviewed beats come from review
// exports (.json, the app's export format) or WFDB annotation files of reviewed beats (every beat
// annotation counts as a label), each paired with its record; the new version goes into the
// registry folder (--out) inactive unless --activate (a version the verdict does not recommend only
// with --force, as with --activate-id). Also lists, activates, rolls back and deletes versions.
// Ctrl-C cancels without leaving a model file behind.
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { CliCommand } from '../index';
import { parseArgs, numberFlag } from '../args';
import { CliError } from '../errors';
import { progressBar } from '../progress';
import { AAMI_CLASSES } from '../../shared/analysis';
import { ReviewExport } from '../../shared/review';
import { scoredClasses, type BeforeAfter, type ModelVersion } from '../../shared/finetune';
import { finetuneVerdict, heldOutBasis, referenceAtThresholdSummary, unreviewedSummary } from '../../shared/finetune-verdict';
import { CancelledError, defaultModelsDir } from '../../main/inference';
import {
  defaultRegistryDir,
  FinetuneError,
  finetuneInWorker,
  fromAnnotationFile,
  fromReview,
  isFinetuneErrorCode,
  ModelRegistry,
  type ReviewedBeats,
} from '../../main/finetune';

const usage =
  'finetune --from FILE... --records REC... [--out DIR] [--models DIR] [--parent ID] [--reviewer NAME] [--seed N] [--adapt embedding|head] [--activate [--force]] [--json]\n' +
  '       finetune [--out DIR] --list | --activate-id ID [--force] | --rollback | --delete ID';

const recName = (p: string) => basename(p.endsWith('.hea') ? p.slice(0, -4) : p);

async function sourceOf(file: string, records: string[]): Promise<ReviewedBeats> {
  const pick = (name: string) => {
    const hit = records.filter((r) => recName(r) === name);
    if (hit.length === 1) return hit[0]!;
    if (records.length === 1) return records[0]!;
    throw new CliError(`${file}: no single --records entry named "${name}" (given: ${records.map(recName).join(', ') || 'none'})`);
  };
  if (extname(file).toLowerCase() === '.json') {
    let doc: unknown;
    try {
      doc = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new CliError(`${file}: not a readable JSON review export (${(e as Error).message})`);
    }
    const r = ReviewExport.safeParse(doc);
    if (!r.success) throw new CliError(`${file}: not a heartbeat-sensei review export (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message})`);
    return fromReview(pick(r.data.record.name), r.data);
  }
  const name = basename(file, extname(file));
  return fromAnnotationFile(pick(name), file, name).catch((e: unknown) => {
    throw e instanceof FinetuneError ? new CliError(e.message) : e;
  });
}

const count = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
const pct = (x: number | null | undefined) => (x === null || x === undefined ? '   —  ' : `${(100 * x).toFixed(1).padStart(5)}%`);

/** A threshold as the UI shows it (float32 thresholds print as 0.11999999731779099 otherwise), with the version's when it moved. */
export function thresholdText(before: number, after: number): string {
  const t = (x: number) => String(Number(x.toFixed(3)));
  return t(before) === t(after) ? t(before) : `${t(before)} → ${t(after)}`;
}

function metricsTable(title: string, m: BeforeAfter | null): string[] {
  if (!m) return [`${title}: none`];
  const out = [
    `${title} (n = ${m.before.n}, threshold ${thresholdText(m.before.threshold, m.after.threshold)}):`,
    '  class  precision before → after   recall before → after    F1 before → after',
  ];
  for (const c of scoredClasses(m)) {
    const b = m.before.perClass[c]!;
    const a = m.after.perClass[c]!;
    out.push(`  ${c.padEnd(5)}  ${pct(b.precision)} → ${pct(a.precision)}        ${pct(b.recall)} → ${pct(a.recall)}      ${pct(b.f1)} → ${pct(a.f1)}`);
  }
  return out;
}

function listLine(v: ModelVersion): string {
  const f = v.finetune;
  const extra = f
    ? `  parent ${f.parent.id}, ${f.createdAt.slice(0, 19)}Z, ${f.reviewer}, ${f.corrections.total} beats from ${f.records.map((r) => r.name).join(' ')}`
    : '  (shipped)';
  return `${v.active ? '*' : ' '} ${v.id.padEnd(20)} ${v.version.padEnd(16)}${extra}`;
}

const command: CliCommand = {
  summary:
    "Fine-tunes the beat model's embedding layer and head on reviewed beats (the app's job, headless) and manages the model registry. " +
    '--from takes review exports (.json) or WFDB annotation files of reviewed beats, each matched to a --records path by record name. ' +
    '--out is the registry folder (default HEARTBEAT_REGISTRY_DIR or ~/.heartbeat-sensei/models). ' +
    '--activate activates the new version unless its verdict is "not recommended" (then exit 1, the version kept inactive); --force activates it anyway. ' +
    '--activate-id applies the same rule to the version it names.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      from: { type: 'list' },
      records: { type: 'list' },
      out: { type: 'string' },
      models: { type: 'string' },
      parent: { type: 'string' },
      reviewer: { type: 'string' },
      seed: { type: 'string' },
      adapt: { type: 'string' },
      activate: { type: 'boolean' },
      force: { type: 'boolean' },
      'activate-id': { type: 'string' },
      rollback: { type: 'boolean' },
      delete: { type: 'string' },
      list: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const registryDir = (p.flags.out as string | undefined) ?? defaultRegistryDir();
    const modelsDir = (p.flags.models as string | undefined) ?? defaultModelsDir();
    const reg = new ModelRegistry(registryDir, modelsDir);
    // checked before any training: the registry would refuse it only when the version is written
    if (sameFolder(registryDir, modelsDir))
      throw new CliError(`--out ${registryDir} is the shipped models' folder: fine-tuned versions need a registry folder of their own`);
    if (p.flags.force && !p.flags.activate && !p.flags['activate-id'])
      throw new CliError('--force only goes with --activate or --activate-id (it activates a version the verdict does not recommend)');
    if (p.flags.list) {
      for (const v of await reg.list()) console.log(listLine(v));
      return 0;
    }
    if (p.flags['activate-id']) {
      const id = p.flags['activate-id'] as string;
      // the verdict of the version's own result card, as the app's Accept judges it (an unknown id: activate says so)
      const f = (await reg.list()).find((v) => v.id === id)?.finetune;
      const verdict = f ? finetuneVerdict(f) : null;
      if (verdict?.level === 'refuse' && !p.flags.force) {
        console.error(
          `heartbeat-sensei finetune: ${id} not activated: it is not recommended (${verdict.reasons.join('; ')}); activate it anyway with --activate-id ${id} --force`
        );
        return 1;
      }
      if (verdict?.level === 'warn') console.error(`heartbeat-sensei finetune: ${id}: check before activating: ${verdict.reasons.join('; ')}`);
      for (const v of await reg.activate(id)) console.log(listLine(v));
      return 0;
    }
    if (p.flags.rollback) {
      console.log(`active: ${await reg.rollback()}`);
      return 0;
    }
    if (p.flags.delete) {
      for (const v of await reg.delete(p.flags.delete as string)) console.log(listLine(v));
      return 0;
    }
    const from = [...((p.flags.from as string[] | undefined) ?? []), ...p.positionals];
    const records = (p.flags.records as string[] | undefined)?.flatMap((r) => r.split(',')).filter(Boolean) ?? [];
    if (!from.length) throw new CliError('--from FILE is required (a review export .json or a WFDB annotation file)');
    const adapt = p.flags.adapt as string | undefined;
    if (adapt !== undefined && adapt !== 'embedding' && adapt !== 'head') throw new CliError(`--adapt must be embedding or head, not "${adapt}"`);
    const sources: ReviewedBeats[] = [];
    for (const f of from) sources.push(await sourceOf(f, records));

    const bar = progressBar('finetune');
    // the job runs in the fine-tune worker, as the app's does: its training loop is synchronous, so a
    // Ctrl-C handled on this thread reaches it through the worker's shared cancel flag at the next epoch
    const run = finetuneInWorker(
      sources,
      {
        registryDir,
        modelsDir,
        reviewer: (p.flags.reviewer as string | undefined) ?? process.env.USER ?? 'unknown',
        ...(p.flags.parent ? { parent: p.flags.parent as string } : {}),
        ...(p.flags.seed !== undefined ? { seed: numberFlag(p, 'seed')! } : {}),
        ...(adapt ? { adapt } : {}),
      },
      (x) => bar.update(x.fraction, x.stage + (x.epoch ? ` epoch ${x.epoch} loss ${x.loss?.toFixed(4)}` : ''))
    );
    let cancelled = false;
    const onInt = () => {
      cancelled = true;
      run.cancel();
      process.stderr.write('\ncancelling…\n');
    };
    process.once('SIGINT', onInt);
    try {
      const r = await run.promise;
      // written before the Ctrl-C reached the worker: removed, as the app removes a cancelled job's
      if (cancelled) {
        await reg.removeUnregistered(r.path);
        throw new CancelledError('fine-tuning cancelled');
      }
      try {
        await reg.add(r.entry);
      } catch (e) {
        await reg.removeUnregistered(r.path).catch(() => undefined);
        throw e;
      }
      bar.done();
      const f = r.entry.finetune;
      const verdict = finetuneVerdict(f);
      // the app's Accept needs an explicit override for such a version; --force is the CLI's
      const refused = !!p.flags.activate && verdict.level === 'refuse' && !p.flags.force;
      const activate = !!p.flags.activate && !refused;
      if (activate) await reg.activate(r.entry.id);
      if (p.flags.json)
        console.log(JSON.stringify({ id: r.entry.id, version: r.entry.version, file: r.path, active: activate, verdict, finetune: f }, null, 2));
      else {
        console.log(
          `${r.entry.id} (${r.entry.version}) from ${f.parent.id}: ${r.path}${activate ? ' [active]' : ' (inactive: activate with --activate-id ' + r.entry.id + ')'}`
        );
        console.log(
          `corrections ${f.corrections.total} (${AAMI_CLASSES.map((c) => `${c} ${f.corrections.byClass[c]}`).join(', ')}), held out ${count(f.corrections.heldOut)} (choosing the best epoch and the threshold)${f.corrections.reported ? `, kept apart ${count(f.corrections.reported)} (checking)` : ''}, replay ${f.replay}`
        );
        console.log(
          `epochs ${f.training.epochs}, best ${f.training.bestEpoch}${f.training.stoppedEarly ? ' (early stop)' : ''}, ${(f.training.jobMs / 1000).toFixed(2)} s`
        );
        for (const l of [
          ...metricsTable(`held-out corrections, ${heldOutBasis(f)}`, f.metrics.heldOut),
          ...metricsTable("reference set (other patients, at the parent's threshold)", f.metrics.reference),
        ])
          console.log(l);
        const atOwn = referenceAtThresholdSummary(f);
        if (atOwn) console.log(atOwn);
        if (f.training.thresholdNote) console.log(`PVC threshold: ${f.training.thresholdNote}`);
        if (f.metrics.unreviewed) console.log(unreviewedSummary(f.metrics.unreviewed));
        if (verdict.level !== 'ok') console.log(`${verdict.level === 'refuse' ? 'not recommended' : 'check before activating'}: ${verdict.reasons.join('; ')}`);
      }
      if (refused) {
        console.error(
          `heartbeat-sensei finetune: ${r.entry.id} not activated: it is not recommended (${verdict.reasons.join('; ')}); ` +
            `activate it anyway with --activate --force, or later with --activate-id ${r.entry.id} --force`
        );
        return 1;
      }
      return 0;
    } catch (e) {
      bar.done();
      if ((e as { code?: string }).code === 'CANCELLED') {
        console.error('heartbeat-sensei finetune: cancelled; no model written');
        return 130;
      }
      if (e instanceof FinetuneError || isFinetuneErrorCode((e as { code?: unknown }).code)) throw new CliError((e as Error).message);
      throw e;
    } finally {
      process.off('SIGINT', onInt);
    }
  },
};

export default command;

/** Whether two paths name one folder (through links, when they exist). */
function sameFolder(a: string, b: string): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return resolve(p);
    }
  };
  return real(a) === real(b);
}
