// The analysis of one record: beats (reference or detector) → beat windows + RR → beat model (or
// the V rule) → rhythm model over 10-s windows (or the RR rule) → pauses and VT runs → summary.
// Pure Node (no Electron); runs inside the analysis worker, or directly in tests and benches.
import { AAMI_CLASSES, V_INDEX, type Analysis, type Episode, type ModelUse } from '../../shared/analysis';
import { BEAT_FS, BEAT_LEADS, BEAT_WINDOW, N_RR, R_INDEX, applySupraventricularRule, extractBeatWindows, singleLeadInputOf, singleLeadModelInput, supraventricularRuleOf, type SupraventricularRule } from '../beats';
import { beatConfidence } from './confidence';
import { rhythmWindows, RHYTHM_WINDOW, RHYTHM_WINDOW_SEC } from '../rhythm/windows';
import { openAvailable } from '../review/available';
import { checkAnalysable } from '../wfdb/plausible';
import {
  DEFAULT_BEAT_BATCH,
  DEFAULT_RHYTHM_BATCH,
  ModelError,
  defaultModelsDir,
  effectivePreference,
  loadCatalog,
  openModel,
  runBeatModel,
  runRhythmModel,
  sha256File,
  throwIfCancelled,
  type CancelToken,
  type CudaProbe,
  type LoadedModel,
  type ProviderPreference,
  type ResolvedModel,
  type Task,
} from '../inference';
import { classifyByRules, confirmModelVt, detectAfByRr, detectPauses, explainBeat, measureBeats, rrSeconds, ruleParams, wideBeats, type RuleParams } from '../rules';
import { cacheKey, defaultCacheDir, readCache, writeCache } from './cache';
import { ProgressTracker, type ProgressListener } from './progress';
import { beatPositions, hasReference, recordContentHash, recordName, type BeatSource } from './record';
import { relabel } from './relabel';
import { rhythmWindowsInBackground, type BackgroundJob } from './parallel';
import { confirmAfByRr, episodeTypeOf, modelEpisodeOptions, rhythmEpisodes } from './rhythm';
import { isStrip, STRIP_WINDOW_STRIDE_SEC, stripEpisodes, stripEvidence } from './strip';
import { qualityOfLeads, unreadableEpisodes } from '../quality';
import type { StripEvidence } from '../../shared/analysis';

/** Rule explanations are kept for beats with at least this P(V) (all rule-flagged beats at thresholds ≥ 0.25). */
export const NOTE_MIN_PV = 0.25;

/**
 * Shortest record whose rhythm windows go to a helper worker: starting one from the TypeScript
 * sources costs about 0.8 s CPU here (tsx; the Electron bundle compiles nothing), far more than the
 * windows of a 30-minute record take (0.06 s), but hidden behind the beat branch from a few hours on.
 */
export const PARALLEL_MIN_SEC = 3 * 3600;

/** Version of the rule-based fallback, recorded in ModelUse and the cache key. */
export const RULES_VERSION = '1';

export interface AnalyzeSettings {
  beats?: BeatSource;
  /** PVC operating threshold; default: the beat model's defaultThreshold, 0.5 for the rules. */
  threshold?: number;
  provider?: ProviderPreference;
  /** Use the rule-based fallback for both tasks even when models exist. */
  useRules?: boolean;
  rules?: Partial<RuleParams>;
  modelsDir?: string;
  registryDir?: string;
  /** Cache folder; null disables the cache. Default HEARTBEAT_CACHE_DIR or ~/.cache/heartbeat-sensei. */
  cacheDir?: string | null;
  beatBatch?: number;
  rhythmBatch?: number;
  threads?: number;
  /** Signal numbers to analyse (e.g. [0]: that lead alone, the single-lead path); default the first two. */
  leads?: number[];
  /** Rhythm windows on a helper worker, concurrently with the beat branch (default: records of PARALLEL_MIN_SEC or longer). */
  parallel?: boolean;
}

export interface AnalyzeHooks {
  cancel?: CancelToken;
  onProgress?: ProgressListener;
  /** Injected CUDA probe (tests). */
  probe?: () => CudaProbe;
  /** The rhythm model's raw output and the RR rule's AF, before episodes are cut (tuning: scripts/tune-episodes.ts). */
  onRhythm?: (r: RhythmRaw) => void;
}

export interface RhythmRaw {
  probs: Float32Array;
  classes: string[];
  startSample: Int32Array;
  windowSamples: number;
  windowSec: number;
  nFrames: number;
  fs: number;
  /** AF episodes of the RR rule (ventricular beats excluded). */
  rrAf: Episode[];
}

type Plan = { task: Task; model: ResolvedModel; sha256: string } | { task: Task; reason: string };

async function planTask(task: Task, settings: AnalyzeSettings): Promise<Plan> {
  if (settings.useRules) return { task, reason: 'rule-based fallback requested' };
  const cat = await loadCatalog(settings.modelsDir ?? defaultModelsDir(), settings.registryDir);
  const model = cat.models[task];
  if (!model) return { task, reason: cat.problems[task] ?? `no ${task} model` };
  try {
    const sha = await sha256File(model.path);
    if (sha !== model.entry.sha256.toLowerCase()) return { task, reason: `${model.path}: sha256 does not match the manifest (corrupt or replaced file)` };
    return { task, model, sha256: sha };
  } catch (e) {
    return { task, reason: `${model.path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'model file not found' : (e as Error).message}` };
  }
}

function rulesUse(task: Task, reason: string): ModelUse {
  return { task, id: 'rules', version: RULES_VERSION, provider: 'rules', note: reason };
}

function modelUse(task: Task, m: LoadedModel): ModelUse {
  const u: ModelUse = { task, id: m.entry.id, version: m.entry.version, provider: m.provider };
  const recs = (m.entry as { finetune?: { records?: { name?: unknown; hash?: unknown }[] } }).finetune?.records;
  const tunedOn = recs?.filter((r) => typeof r.name === 'string').map((r) => ({ name: r.name as string, ...(typeof r.hash === 'string' ? { hash: r.hash } : {}) }));
  return { ...u, ...(m.note ? { note: m.note } : {}), ...(tunedOn?.length ? { tunedOn } : {}) };
}

function reasonOf(e: unknown): string {
  return e instanceof ModelError ? e.message : `model failed: ${(e as Error).message}`;
}

/** The signals to analyse: `leads` (signal numbers) or the first two. */
function pickLeads(all: Float32Array[], leads: number[] | undefined, recordPath: string): Float32Array[] {
  if (!leads) return all.slice(0, 2);
  if (leads.length < 1 || leads.length > 2) throw new RangeError(`${recordPath}: give one or two signal numbers to analyse, got ${leads.length}`);
  for (const i of leads) if (!Number.isInteger(i) || i < 0 || i >= all.length) throw new RangeError(`${recordPath}: no signal ${i} (the record has ${all.length})`);
  return leads.map((i) => all[i]!);
}

/** Analyses one record. Throws CancelledError when cancelled, WfdbError etc. on a bad record. */
export async function analyzeRecord(recordPath: string, settings: AnalyzeSettings = {}, hooks: AnalyzeHooks = {}): Promise<Analysis> {
  const p = ruleParams(settings.rules);
  const cancel = hooks.cancel;
  const prog = new ProgressTracker(hooks.onProgress);
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = (timings[name] ?? 0) + (now - t);
    t = now;
  };
  const t0 = t;

  prog.report('open', 0);
  // a recording cut short is analysed over what it holds (the review UI opens it the same way)
  const rec = await openAvailable(recordPath);
  const sessions: LoadedModel[] = [];
  let rhythmJob: BackgroundJob<ReturnType<typeof rhythmWindows>> | null = null;
  try {
    checkAnalysable(rec.fs, `${recordPath.endsWith('.hea') ? recordPath : `${recordPath}.hea`}`);
    const fs = rec.fs;
    const nFrames = rec.nFrames;
    const durationSec = nFrames / fs;
    // a strip gets overlapping windows (the training stride): more of them for its one rhythm call
    const strip = isStrip(durationSec);
    const rhythmStrideSec = strip ? STRIP_WINDOW_STRIDE_SEC : RHYTHM_WINDOW_SEC;
    const source = settings.beats === 'reference' || settings.beats === 'detector' ? settings.beats : hasReference(recordPath) ? 'reference' : 'detector';
    const [beatPlan, rhythmPlan] = await Promise.all([planTask('beat', settings), planTask('rhythm', settings)]);
    lap('openMs');
    prog.report('hash', 0);
    const recordHash = await recordContentHash(rec, recordPath);
    lap('hashMs');
    throwIfCancelled(cancel);

    const cacheDir = settings.cacheDir === null ? null : (settings.cacheDir ?? defaultCacheDir());
    const key = cacheKey({
      recordHash,
      models: [beatPlan, rhythmPlan].map((x) => ('model' in x ? { task: x.task, id: x.model.entry.id, version: x.model.entry.version, sha256: x.sha256, supraventricular: x.model.entry.supraventricular ?? null } : { task: x.task, rules: RULES_VERSION })),
      settings: { source, rules: p, ...(settings.leads ? { leads: settings.leads } : {}) },
    });
    const defaultThreshold = 'model' in beatPlan ? (beatPlan.model.entry.defaultThreshold ?? 0.5) : 0.5;
    if (cacheDir) {
      const hit = await readCache(cacheDir, key);
      if (hit) {
        lap('cacheMs');
        const out = relabel(hit, settings.threshold ?? hit.threshold, p);
        return { ...out, fromCache: true, timingsMs: { ...hit.timingsMs, cacheReadMs: performance.now() - t0 } };
      }
    }

    prog.report('read', 0);
    const all = await rec.readPhysical(0, nFrames);
    const signals = pickLeads(all, settings.leads, recordPath);
    const leadNames = (settings.leads ?? [0, 1]).map((i) => rec.header.signals[i]?.description || `signal ${i}`);
    all.length = 0;
    lap('readMs');
    throwIfCancelled(cancel);
    // the rhythm model's windows on the other core while beats are detected, cut and classified
    if ('model' in rhythmPlan && (settings.parallel ?? durationSec >= PARALLEL_MIN_SEC)) rhythmJob = rhythmWindowsInBackground(signals[0]!, fs, rhythmStrideSec);

    prog.report('beats', 0);
    const beats = await beatPositions(recordPath, settings.beats ?? 'auto', signals, fs, nFrames);
    const sample = beats.sample;
    const n = sample.length;
    lap('beatsMs');
    throwIfCancelled(cancel);

    prog.report('windows', 0);
    const bw = extractBeatWindows(signals, fs, sample);
    // QRS width and shape against the dominant beat: the V rule's input and the VT evidence
    const vf = measureBeats(bw.windows, bw.valid, rrSeconds(sample, fs), { leads: BEAT_LEADS, length: BEAT_WINDOW, rIndex: R_INDEX, fs: BEAT_FS });
    const wide = wideBeats(vf, p);
    lap('windowsMs');
    throwIfCancelled(cancel);

    const models: ModelUse[] = [];
    const K = AAMI_CLASSES.length;
    let probs: Float32Array | undefined;
    let embedding: Float32Array | undefined;
    let embeddingDim = 0;
    let beatReason = 'reason' in beatPlan ? beatPlan.reason : '';
    let svRule: SupraventricularRule | null = null;
    if ('model' in beatPlan) {
      try {
        const m = await openModel(beatPlan.model, { provider: effectivePreference(settings.provider), threads: settings.threads, probe: hooks.probe });
        sessions.push(m);
        if (m.entry.classes.length && m.entry.classes.join() !== AAMI_CLASSES.join()) throw new ModelError('INCOMPATIBLE', m.entry.file, `classes [${m.entry.classes.join(', ')}], expected [${AAMI_CLASSES.join(', ')}]`);
        lap('beatLoadMs');
        const singleLeadInput = bw.singleLead ? singleLeadInputOf(m.entry) : undefined;
        const input = singleLeadInput ? singleLeadModelInput(bw, singleLeadInput) : bw;
        const out = await runBeatModel(m, input, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, {
          batch: settings.beatBatch ?? DEFAULT_BEAT_BATCH,
          cancel,
          onProgress: (f) => prog.report('beat model', f),
        });
        probs = out.probs;
        svRule = supraventricularRuleOf(m.entry);
        embedding = out.embedding;
        embeddingDim = out.embeddingDim;
        const confidence = beatConfidence(out.probs, K, m.entry.ambiguity);
        models.push({ ...modelUse('beat', m), ...(singleLeadInput ? { singleLeadInput } : {}), ...(confidence ? { confidence } : {}) });
        lap('beatModelMs');
      } catch (e) {
        if ((e as { code?: string }).code === 'CANCELLED') throw e;
        beatReason = reasonOf(e);
      }
    }
    let beatNotes: [number, string][] | undefined;
    if (!probs) {
      const f = vf;
      probs = classifyByRules(f, bw.valid, p);
      beatNotes = [];
      // Explanations for the beats the rule could flag at a usable threshold (P(V) ≥ NOTE_MIN_PV).
      for (let k = 0; k < n; k++) if (probs[k * K + V_INDEX]! >= NOTE_MIN_PV) beatNotes.push([k, explainBeat(f, k, p)]);
      models.push(rulesUse('beat', beatReason));
      lap('beatRulesMs');
    }
    prog.report('beat model', 1);
    throwIfCancelled(cancel);

    // Threshold-independent V decision (argmax) for the AF rule's exclusions.
    const ventricular = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      let best = 0;
      for (let c = 1; c < K; c++) if (probs[k * K + c]! > probs[k * K + best]!) best = c;
      ventricular[k] = best === V_INDEX ? 1 : 0;
    }

    prog.report('rhythm model', 0);
    let rhythm: Episode[] | undefined;
    // The RR rule's AF: confirms the model's AF episodes, or is the rhythm answer when no model runs.
    let rrAfMemo: Episode[] | undefined;
    const rrAf = (): Episode[] => (rrAfMemo ??= detectAfByRr(sample, fs, ventricular, p));
    let rhythmReason = 'reason' in rhythmPlan ? rhythmPlan.reason : '';
    let rhythmProbs: { probs: Float32Array; classes: string[] } | null = null;
    let rhythmVt: Analysis['rhythmVt'];
    if ('model' in rhythmPlan) {
      try {
        const m = await openModel(rhythmPlan.model, { provider: effectivePreference(settings.provider), threads: settings.threads, probe: hooks.probe });
        sessions.push(m);
        const rw = rhythmJob ? await rhythmJob.result() : rhythmWindows(signals[0]!, fs, rhythmStrideSec);
        lap('rhythmWindowsMs');
        const nw = rw.startSample.length;
        const rp = await runRhythmModel(m, rw.x, nw, RHYTHM_WINDOW, { batch: settings.rhythmBatch ?? DEFAULT_RHYTHM_BATCH, cancel, onProgress: (f) => prog.report('rhythm model', f) });
        const classes = m.entry.classes.length ? m.entry.classes : ['other', 'AF', 'VT', 'noise'];
        const windowSamples = Math.round(RHYTHM_WINDOW_SEC * fs);
        rhythmProbs = { probs: rp, classes };
        const vtClass = classes.findIndex((c) => episodeTypeOf(c) === 'VT');
        if (vtClass >= 0) rhythmVt = { startSample: Int32Array.from(rw.startSample), pVt: Float32Array.from({ length: nw }, (_, w) => rp[w * classes.length + vtClass]!), windowSamples };
        hooks.onRhythm?.({ probs: rp, classes, startSample: rw.startSample, windowSamples, windowSec: RHYTHM_WINDOW_SEC, nFrames, fs, rrAf: rrAf() });
        rhythm = confirmAfByRr(rhythmEpisodes(rp, classes, rw.startSample, windowSamples, nFrames, RHYTHM_WINDOW_SEC, modelEpisodeOptions(p)), rrAf(), p.afConfirmOverlap);
        models.push(modelUse('rhythm', m));
        lap('rhythmModelMs');
      } catch (e) {
        if ((e as { code?: string }).code === 'CANCELLED') throw e;
        rhythmReason = reasonOf(e);
      }
    }
    for (const m of sessions.splice(0)) await m.session.release();
    prog.report('rules', 0);
    if (!rhythm) {
      rhythm = rrAf();
      models.push(rulesUse('rhythm', rhythmReason));
    }
    const stripEv: StripEvidence | undefined = strip ? stripEvidence(rhythmProbs?.probs ?? null, rhythmProbs?.classes ?? [], sample, fs, ventricular, p) : undefined;
    rhythm = confirmModelVt(rhythm, sample, fs, wide, p);
    if (stripEv) rhythm = stripEpisodes(rhythm, stripEv, nFrames, fs, p);
    // unreadable stretches (per-second signal quality of the analysed leads) as NOISE episodes
    rhythm = [...rhythm, ...unreadableEpisodes(qualityOfLeads(signals, leadNames, fs), fs, nFrames)];
    const episodes = [...rhythm, ...detectPauses(sample, fs, beats.source, p)];
    if (svRule) applySupraventricularRule(probs, sample, rhythm.filter((e) => e.type === 'AF'), svRule);

    const rrMs = new Float32Array(n);
    if (n) rrMs[0] = NaN;
    for (let k = 1; k < n; k++) rrMs[k] = ((sample[k]! - sample[k - 1]!) * 1000) / fs;
    const pvcScore = new Float32Array(n);
    for (let k = 0; k < n; k++) pvcScore[k] = probs[k * K + V_INDEX]!;
    lap('rulesMs');

    const base: Analysis = {
      record: recordName(recordPath),
      recordHash,
      fs,
      durationSec,
      threshold: defaultThreshold,
      // Plain ArrayBuffers (never shared): the narrower type the Analysis schema declares.
      beats: { sample: sample as Int32Array<ArrayBuffer>, probs: probs as Float32Array<ArrayBuffer>, pvcScore, label: new Uint8Array(n), rrMs, wide: wide as Uint8Array<ArrayBuffer>, source: beats.source, ...(embedding ? { embedding: embedding as Float32Array<ArrayBuffer>, embeddingDim } : {}) },
      episodes,
      summary: { beats: n, pvcCount: 0, pvcBurden: 0, pvcPerHour: 0, couplets: 0, triplets: 0, bigeminyEpisodes: 0, longestVtRunBeats: 0, afBurden: 0, longestPauseSec: 0, meanHr: 0, minHr: 0, maxHr: 0 },
      models,
      timingsMs: timings,
      ...(beatNotes ? { beatNotes } : {}),
      ...(stripEv ? { strip: stripEv } : {}),
      ...(rhythmVt ? { rhythmVt } : {}),
    };
    const result = relabel(base, settings.threshold ?? defaultThreshold, p);
    lap('summaryMs');
    timings.totalMs = performance.now() - t0;
    if (cacheDir) {
      // The cache holds the result at the model's default threshold; callers re-label from it.
      await writeCache(cacheDir, key, relabel(result, defaultThreshold, p)).catch(() => undefined);
    }
    prog.report('rules', 1);
    return result;
  } finally {
    rhythmJob?.stop();
    for (const m of sessions) await m.session.release().catch(() => undefined);
    await rec.close();
  }
}
