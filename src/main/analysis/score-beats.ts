// Each beat's class probabilities: the beat model when it is planned and runs, else the V rule
// (with an explanation for each beat it could flag at a usable threshold).
import { AAMI_CLASSES, V_INDEX, type ModelUse } from '../../shared/analysis';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, singleLeadInputOf, singleLeadModelInput, supraventricularRuleOf, type SupraventricularRule } from '../beats';
import { applyConsensus, consensusRuleOf, morphologyFeatures } from '../beats/consensus';
import { DEFAULT_BEAT_BATCH, ModelError, effectivePreference, openModel, runBeatModel, throwIfCancelled } from '../inference';
import { classifyByRules, explainBeat } from '../rules';
import { beatConfidence } from './confidence';
import type { FoundBeats } from './find-beats';
import { modelUse, reasonOf, rulesUse, type TaskPlan } from './plan';
import type { AnalysisRun } from './settings';

/** Rule explanations are kept for beats with at least this P(V) (all rule-flagged beats at thresholds ≥ 0.25). */
export const NOTE_MIN_PV = 0.25;

export interface BeatScores {
  /** n × AAMI_CLASSES probabilities. */
  probs: Float32Array;
  use: ModelUse;
  embedding?: Float32Array;
  embeddingDim: number;
  /** The model's supraventricular rule (applied once AF episodes are known). */
  svRule: SupraventricularRule | null;
  /** [beat, explanation] of the rule's V candidates (rules only). */
  beatNotes?: [number, string][];
}

export async function scoreBeats(plan: TaskPlan, beats: FoundBeats, run: AnalysisRun): Promise<BeatScores> {
  let reason = 'reason' in plan ? plan.reason : '';
  let scores: BeatScores | null = null;
  if ('model' in plan) {
    try {
      scores = await scoreByModel(plan, beats, run);
    } catch (e) {
      if ((e as { code?: string }).code === 'CANCELLED') throw e;
      reason = reasonOf(e);
    }
  }
  scores ??= scoreByRules(beats, reason, run);
  run.prog.report('beat model', 1);
  throwIfCancelled(run.hooks.cancel);
  return scores;
}

async function scoreByModel(plan: Extract<TaskPlan, { model: unknown }>, beats: FoundBeats, run: AnalysisRun): Promise<BeatScores> {
  const { settings, hooks } = run;
  const m = await openModel(plan.model, { provider: effectivePreference(settings.provider), threads: settings.threads, probe: hooks.probe });
  try {
    if (m.entry.classes.length && m.entry.classes.join() !== AAMI_CLASSES.join())
      throw new ModelError('INCOMPATIBLE', m.entry.file, `classes [${m.entry.classes.join(', ')}], expected [${AAMI_CLASSES.join(', ')}]`);
    run.laps.lap('beatLoadMs');
    const bw = beats.windows;
    const singleLeadInput = bw.singleLead ? singleLeadInputOf(m.entry) : undefined;
    const input = singleLeadInput ? singleLeadModelInput(bw, singleLeadInput) : bw;
    const out = await runBeatModel(m, input, beats.sample.length, [BEAT_LEADS, BEAT_WINDOW], N_RR, {
      batch: settings.beatBatch ?? DEFAULT_BEAT_BATCH,
      cancel: hooks.cancel,
      onProgress: (f) => run.prog.report('beat model', f),
    });
    const confidence = beatConfidence(out.probs, AAMI_CLASSES.length, m.entry.ambiguity); // of the model's own output
    const consensus = consensusRuleOf(m.entry);
    if (consensus) applyConsensus(out.probs, AAMI_CLASSES.length, V_INDEX, morphologyFeatures(bw.windows, beats.sample.length, consensus), bw.valid, consensus);
    const use = { ...modelUse('beat', m), ...(singleLeadInput ? { singleLeadInput } : {}), ...(confidence ? { confidence } : {}) };
    run.laps.lap('beatModelMs');
    return { probs: out.probs, use, embedding: out.embedding, embeddingDim: out.embeddingDim, svRule: supraventricularRuleOf(m.entry) };
  } finally {
    await m.session.release().catch(() => undefined);
  }
}

function scoreByRules(beats: FoundBeats, reason: string, run: AnalysisRun): BeatScores {
  const K = AAMI_CLASSES.length;
  const f = beats.features;
  const probs = classifyByRules(f, beats.windows.valid, run.p);
  const beatNotes: [number, string][] = [];
  // Explanations for the beats the rule could flag at a usable threshold (P(V) ≥ NOTE_MIN_PV).
  for (let k = 0; k < beats.sample.length; k++) if (probs[k * K + V_INDEX]! >= NOTE_MIN_PV) beatNotes.push([k, explainBeat(f, k, run.p)]);
  run.laps.lap('beatRulesMs');
  return { probs, use: rulesUse('beat', reason), embeddingDim: 0, svRule: null, beatNotes };
}

/** Threshold-independent V decision per beat (argmax of its probabilities): the AF rule's exclusions. */
export function ventricularByArgmax(probs: Float32Array, n: number): Uint8Array {
  const K = AAMI_CLASSES.length;
  const ventricular = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    let best = 0;
    for (let c = 1; c < K; c++) if (probs[k * K + c]! > probs[k * K + best]!) best = c;
    ventricular[k] = best === V_INDEX ? 1 : 0;
  }
  return ventricular;
}
