// The plan of an analysis, made before any signal is read: which beats (reference or detector),
// which model or rule for each task, the record's content hash and the cache key they give.
import { AAMI_CLASSES, type Analysis, type BeatSource, type ModelUse } from '../../shared/analysis';
import { checkAnalysable } from '../wfdb/plausible';
import { annotationPath, type WfdbRecord } from '../wfdb';
import { ModelError, defaultModelsDir, loadCatalog, requireRowShape, sha256File, type LoadedModel, type ResolvedModel, type Task } from '../inference';
import type { RuleParams } from '../rules';
import { cacheKey, defaultCacheDir } from './cache';
import { CONSENSUS_VERSION } from '../beats/consensus';
import { defaultThresholdOf, singleLeadPolarityOf } from '../beats/single-lead';
import { fileStamps, hashFiles, hasReference, recordFiles } from './record';
import type { AnalyzeSettings } from './settings';
import { isStrip, STRIP_WINDOW_STRIDE_SEC } from './strip';
import { RHYTHM_WINDOW, RHYTHM_WINDOW_SEC } from '../rhythm/windows';
import { BEAT_LEADS, BEAT_WINDOW, N_RR } from '../beats/constants';
import { analysedLeads, leadsAtOneRate, signalName } from './leads';
import { unitsPerMillivolt } from '../../shared/ecg-leads';

/** Version of the rule-based fallback, recorded in ModelUse and the cache key. */
export const RULES_VERSION = '1';

/** The PVC threshold of the V rule's P(V) (a logistic centred on its evidence points), as the model's defaultThreshold is the model's. */
export const RULES_THRESHOLD = 0.5;

/** A task's model (checked against the manifest's hash), or why the rules answer it. */
/** `note`: why the model is not the one asked for (the active fine-tuned version's file missing or changed: the shipped model instead). */
export type TaskPlan = { task: Task; model: ResolvedModel; sha256: string; note?: string } | { task: Task; reason: string };

export interface AnalysisPlan {
  /** The leads' rate, Hz: the frame rate × samplesPerFrame. Beat positions and episodes count its samples. */
  fs: number;
  /** Samples per lead at fs (the record's frames × samplesPerFrame). */
  nFrames: number;
  /** Samples per frame of the analysed leads: 1, or more on a multi-frequency record (its ECG stored faster than its frame rate). */
  samplesPerFrame: number;
  /** The record's frame rate, Hz. */
  frameFs: number;
  durationSec: number;
  /** A strip (CinC-length record): overlapping rhythm windows and strip evidence. */
  strip: boolean;
  rhythmStrideSec: number;
  source: BeatSource;
  beat: TaskPlan;
  rhythm: TaskPlan;
  /** The beat model's default threshold for the leads analysed (0.5 for the rules): the threshold the cache holds. */
  defaultThreshold: number;
  /** The signal numbers analysed (analysedLeads: the ones asked for, else the record's ECG leads). */
  leads: number[];
  /** Their descriptions (or "signal i"). */
  leadNames: string[];
  /** Signals in the record. */
  nSignals: number;
  /** Each analysed lead's units per millivolt (1000 for µV): the leads are read in mV. */
  unitsPerMv: number[];
  /** Leads planned but left out once read (a lead flat for most of the record), and why. */
  leftOut: NonNullable<Analysis['leadsLeftOut']>;
  /** One lead analysed (a record with one ECG signal, or one lead asked for): the model's single-lead input and threshold. */
  singleLead: boolean;
  /** What the reader said of the record as it opened it (a recording cut short, a signal file longer than the header). */
  warnings: string[];
  /** null: the cache is off. */
  cacheDir: string | null;
  /** The files the analysis reads (header, signals, the .atr when its beats are the reference's). */
  files: string[];
  /** Their sizes and modification times when planned (fileStamps): a result is cached only if they are the same after. */
  stamps: string;
  /** SHA-256 of the .atr when the beats are the reference's and the cache is on: the content hash covers the signals alone, the key needs the beats too. */
  referenceHash: string | null;
}

export async function planTask(task: Task, settings: AnalyzeSettings): Promise<TaskPlan> {
  if (settings.useRules) return { task, reason: 'rule-based fallback requested' };
  const modelsDir = settings.modelsDir ?? defaultModelsDir();
  const cat = await loadCatalog(modelsDir, settings.registryDir);
  const model = cat.models[task];
  if (!model) return { task, reason: cat.problems[task] ?? `no ${task} model` };
  const planned = await checkedModel(task, model);
  if ('model' in planned || !settings.registryDir) return planned;
  // the active version is a fine-tuned one whose file is gone or changed: the shipped model
  // serves (the rules are far weaker), and the analysis says so
  const shipped = (await loadCatalog(modelsDir)).models[task];
  if (!shipped || shipped.path === model.path) return planned;
  const fallback = await checkedModel(task, shipped);
  if (!('model' in fallback)) return planned;
  return {
    ...fallback,
    note: `the active version ${model.entry.id} could not be used (${planned.reason}); the shipped ${shipped.entry.id} ${shipped.entry.version} analysed instead`,
  };
}

/** The model planned once its file is there and is the one its manifest names (sha256), else why not. */
async function checkedModel(task: Task, model: ResolvedModel): Promise<TaskPlan> {
  try {
    const sha = await sha256File(model.path);
    if (sha !== model.entry.sha256.toLowerCase()) return { task, reason: `${model.path}: sha256 does not match the manifest (corrupt or replaced file)` };
    return { task, model, sha256: sha };
  } catch (e) {
    return { task, reason: `${model.path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'model file not found' : (e as Error).message}` };
  }
}

/** The analysis with the plan's notes on the models it used (added after caching: the cache key is the model's, not the plan's story). */
export function withPlanNotes(a: Analysis, plan: Pick<AnalysisPlan, 'beat' | 'rhythm'>): Analysis {
  const notes = [plan.beat, plan.rhythm].filter((t): t is Extract<TaskPlan, { model: ResolvedModel }> => 'model' in t && !!t.note);
  if (!notes.length) return a;
  return {
    ...a,
    models: a.models.map((u) => {
      const t = notes.find((n) => n.task === u.task && n.model.entry.id === u.id);
      return t ? { ...u, note: u.note ? `${t.note}; ${u.note}` : t.note! } : u;
    }),
  };
}

/** Checks the record can be analysed and plans its analysis: beat source, a model or the rules per task. */
export async function planAnalysis(rec: WfdbRecord, recordPath: string, settings: AnalyzeSettings): Promise<AnalysisPlan> {
  // the leads first: a multi-frequency record is analysed at its leads' rate, not its frame rate
  const planned = leadsAtOneRate(rec.header.signals, analysedLeads(rec.header.signals, settings.leads, recordPath), rec.fs);
  const { leads, samplesPerFrame } = planned;
  const fs = rec.fs * samplesPerFrame;
  const nFrames = rec.nFrames * samplesPerFrame;
  checkAnalysable(fs, `${recordPath.endsWith('.hea') ? recordPath : `${recordPath}.hea`}`, nFrames);
  const durationSec = nFrames / fs;
  // a strip gets overlapping windows (the training stride): more of them for its one rhythm call
  const strip = isStrip(durationSec);
  const source = settings.beats === 'reference' || settings.beats === 'detector' ? settings.beats : hasReference(recordPath) ? 'reference' : 'detector';
  const [beat, rhythm] = await Promise.all([planTask('beat', settings), planTask('rhythm', settings)]);
  const singleLead = leads.length < 2;
  const cacheDir = settings.cacheDir === null ? null : (settings.cacheDir ?? defaultCacheDir());
  const atr = source === 'reference' && hasReference(recordPath) ? annotationPath(recordPath, 'atr') : null;
  const files = [...recordFiles(rec, recordPath), ...(atr ? [atr] : [])];
  return {
    fs,
    nFrames,
    samplesPerFrame,
    frameFs: rec.fs,
    durationSec,
    strip,
    rhythmStrideSec: strip ? STRIP_WINDOW_STRIDE_SEC : RHYTHM_WINDOW_SEC,
    source,
    beat,
    rhythm,
    defaultThreshold: 'model' in beat ? defaultThresholdOf(beat.model.entry, singleLead) : RULES_THRESHOLD,
    leads,
    leadNames: leads.map((i) => signalName(rec.header.signals, i)),
    nSignals: rec.header.signals.length,
    unitsPerMv: leads.map((i) => unitsPerMillivolt(rec.header.signals[i]!.units)),
    leftOut: planned.leftOut,
    singleLead,
    warnings: [...rec.warnings],
    cacheDir,
    files,
    stamps: cacheDir ? await fileStamps(files) : '',
    referenceHash: cacheDir && atr ? await hashFiles([atr]) : null,
  };
}

/** The plan without analysed lead k (index into plan.leads): the other read alone, the single-lead path and threshold. */
export function withoutLead(plan: AnalysisPlan, k: number, reason: string): AnalysisPlan {
  const keep = <T>(xs: readonly T[]) => xs.filter((_, j) => j !== k);
  const leads = keep(plan.leads);
  const singleLead = leads.length < 2;
  return {
    ...plan,
    leads,
    leadNames: keep(plan.leadNames),
    unitsPerMv: keep(plan.unitsPerMv),
    singleLead,
    defaultThreshold: 'model' in plan.beat ? defaultThresholdOf(plan.beat.model.entry, singleLead) : plan.defaultThreshold,
    leftOut: [...plan.leftOut, { signal: plan.leads[k]!, name: plan.leadNames[k]!, reason }],
  };
}

/** The analysed leads as the Analysis names them. */
export function leadsOfPlan(plan: Pick<AnalysisPlan, 'leads' | 'leadNames'>): NonNullable<Analysis['leads']> {
  return plan.leads.map((signal, k) => ({ signal, name: plan.leadNames[k]! }));
}

/** The cache key of a planned analysis of the record whose content hash is recordHash. */
export function analysisCacheKey(plan: AnalysisPlan, recordHash: string, p: RuleParams): string {
  return cacheKey({
    recordHash,
    models: [plan.beat, plan.rhythm].map((x) =>
      'model' in x
        ? {
            task: x.task,
            id: x.model.entry.id,
            version: x.model.entry.version,
            sha256: x.sha256,
            supraventricular: x.model.entry.supraventricular ?? null,
            consensus: x.model.entry.consensus ? { ...x.model.entry.consensus, code: CONSENSUS_VERSION } : null,
            // a manifest option that turns the model's input changes its outputs without a new file;
            // only when set, so analyses cached as recorded keep their keys
            ...(singleLeadPolarityOf(x.model.entry) !== 'as-recorded' ? { singleLeadPolarity: singleLeadPolarityOf(x.model.entry) } : {}),
          }
        : { task: x.task, rules: RULES_VERSION }
    ),
    // the threshold the cached result was made at: a manifest may move it without a new model file
    settings: {
      source: plan.source,
      ...(plan.referenceHash ? { reference: plan.referenceHash } : {}),
      rules: p,
      threshold: plan.defaultThreshold,
      ...(firstSignals(plan) ? {} : { leads: plan.leads }),
      // leads in other voltage units are read in mV (results differ from reading them as mV)
      ...(plan.unitsPerMv.every((k) => k === 1) ? {} : { unitsPerMv: plan.unitsPerMv }),
    },
  });
}

/** The analysed leads are the record's first signals (at most two): keyed only otherwise, so the common case has one key whether asked for or not. */
function firstSignals(plan: AnalysisPlan): boolean {
  return plan.leads.length === Math.min(2, plan.nSignals) && plan.leads.every((s, i) => s === i);
}

/**
 * The default threshold for the beat scores as they came out: the plan's, unless the planned beat
 * model failed to open or run and the V rule scored the beats (its P(V) is on another scale).
 */
export function scoredDefaultThreshold(plan: Pick<AnalysisPlan, 'defaultThreshold'>, beatUse: Pick<ModelUse, 'provider'>): number {
  return beatUse.provider === 'rules' ? RULES_THRESHOLD : plan.defaultThreshold;
}

/**
 * Each task ran the way the plan (and so the cache key) says: a planned model that failed and left
 * the task to the rules did not, and its result is not the key's (the failure, e.g. a manifest
 * naming other inputs than the model's, can be mended without the key changing).
 */
export function ranAsPlanned(plan: Pick<AnalysisPlan, 'beat' | 'rhythm'>, uses: readonly Pick<ModelUse, 'task' | 'provider'>[]): boolean {
  return [plan.beat, plan.rhythm].every((t) => {
    const use = uses.find((u) => u.task === t.task);
    return !!use && 'model' in t === (use.provider !== 'rules');
  });
}

export function rulesUse(task: Task, reason: string): ModelUse {
  return { task, id: 'rules', version: RULES_VERSION, provider: 'rules', note: reason };
}

export function modelUse(task: Task, m: LoadedModel): ModelUse {
  const u: ModelUse = { task, id: m.entry.id, version: m.entry.version, provider: m.provider };
  const recs = (m.entry as { finetune?: { records?: { name?: unknown; hash?: unknown }[] } }).finetune?.records;
  const tunedOn = recs
    ?.filter((r) => typeof r.name === 'string')
    .map((r) => ({ name: r.name as string, ...(typeof r.hash === 'string' ? { hash: r.hash } : {}) }));
  return { ...u, ...(m.note ? { note: m.note } : {}), ...(tunedOn?.length ? { tunedOn } : {}) };
}

/**
 * An opened model takes what the preprocessing makes for its task (window and RR sizes, the rhythm
 * window) and, a beat model, gives the AAMI classes in order: else ModelError INCOMPATIBLE, found
 * when the model is opened rather than on its first batch.
 */
export function checkFitsTask(task: Task, m: LoadedModel): void {
  if (task === 'rhythm') {
    requireRowShape(m, 'ecg', 3, [1, RHYTHM_WINDOW]);
    return;
  }
  requireRowShape(m, 'window', 3, [BEAT_LEADS, BEAT_WINDOW]);
  requireRowShape(m, 'rr', 2, [N_RR]);
  if (m.entry.inputs.some((i) => i.name === 'template')) requireRowShape(m, 'template', 3, [BEAT_LEADS, BEAT_WINDOW]);
  if (m.entry.classes.length && m.entry.classes.join() !== AAMI_CLASSES.join())
    throw new ModelError('INCOMPATIBLE', m.entry.file, `classes [${m.entry.classes.join(', ')}], expected [${AAMI_CLASSES.join(', ')}]`);
}

/** Why a model could not be used, for its ModelUse note. */
export function reasonOf(e: unknown): string {
  return e instanceof ModelError ? e.message : `model failed: ${(e as Error).message}`;
}
