// Each beat's class probabilities: the beat model when it is planned and runs, else the V rule
// (with an explanation for each beat it could flag at a usable threshold).
import { AAMI_CLASSES, V_INDEX, type ModelUse } from '../../shared/analysis';
import {
  BEAT_LEADS,
  BEAT_WINDOW,
  N_RR,
  singleLeadInputOf,
  singleLeadPolarityOf,
  modelInputFor,
  supraventricularRuleOf,
  groupTemplates,
  type BeatGroup,
  type BeatWindowStream,
  type SingleLeadInput,
  type SupraventricularRule,
} from '../beats';
import { applyConsensus, consensusRuleOf, featureLength, morphologyFeatures } from '../beats/consensus';
import { BeatModelRunner, DEFAULT_BEAT_BATCH, effectivePreference, openModel, throwIfCancelled } from '../inference';
import { classifyByRules, explainBeat } from '../rules';
import { beatConfidence } from './confidence';
import type { FoundBeats } from './find-beats';
import { checkFitsTask, modelUse, reasonOf, rulesUse, type TaskPlan } from './plan';
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

/**
 * The beat model opened for an analysis and fed the beat windows group by group as they are cut
 * (find-beats.ts), so a record's windows never sit in memory at once; the V rule when no model is
 * planned, it fails to open, or it fails on a group.
 */
export interface BeatScorer {
  /** Scores one group of windows (nothing to do for the rule). */
  score(g: BeatGroup, s: BeatWindowStream): Promise<void>;
  /** Every beat's scores once all groups are in. */
  finish(beats: FoundBeats): Promise<BeatScores>;
  /** Releases the model (idempotent). */
  release(): Promise<void>;
}

export async function openBeatScorer(plan: TaskPlan, run: AnalysisRun): Promise<BeatScorer> {
  let reason = 'reason' in plan ? plan.reason : '';
  if ('model' in plan) {
    try {
      return await openModelScorer(plan, run);
    } catch (e) {
      if ((e as { code?: string }).code === 'CANCELLED') throw e;
      reason = reasonOf(e);
    }
  }
  return ruleScorer(reason, run);
}

function ruleScorer(reason: string, run: AnalysisRun): BeatScorer {
  return {
    score: () => Promise.resolve(),
    finish: (beats) => Promise.resolve(finished(scoreByRules(beats, reason, run), run)),
    release: () => Promise.resolve(),
  };
}

function finished(scores: BeatScores, run: AnalysisRun): BeatScores {
  run.prog.report('beat model', 1);
  throwIfCancelled(run.hooks.cancel);
  return scores;
}

/** The beat model's session, refused unless it fits the beat preprocessing and classes (checkFitsTask); `release` closes it once. */
async function openBeatModel(plan: Extract<TaskPlan, { model: unknown }>, run: AnalysisRun) {
  const { settings, hooks } = run;
  const m = await openModel(plan.model, { provider: effectivePreference(settings.provider), threads: settings.threads, probe: hooks.probe });
  let open = true;
  const release = async () => {
    if (open) await m.session.release().catch(() => undefined);
    open = false;
  };
  try {
    checkFitsTask('beat', m);
  } catch (e) {
    await release();
    throw e;
  }
  return { m, release };
}

/** One group's model input: its windows, its rows of the stream's RR features and template blocks. */
function groupInput(g: BeatGroup, s: BeatWindowStream) {
  return {
    windows: g.windows,
    rr: s.rr.subarray(g.from * N_RR, (g.from + g.count) * N_RR),
    // g.from is a multiple of the template block, so these rows are the group's own blocks
    templates: groupTemplates(s.templates, g.from, g.count),
  };
}

async function openModelScorer(plan: Extract<TaskPlan, { model: unknown }>, run: AnalysisRun): Promise<BeatScorer> {
  const { settings, hooks } = run;
  const { m, release } = await openBeatModel(plan, run);
  run.laps.lap('beatLoadMs');
  const consensus = consensusRuleOf(m.entry);
  let runner: BeatModelRunner | null = null;
  // the consensus compares beats by a few samples of their windows: kept for every beat (~40 floats each)
  let shapes: Float32Array | null = null;
  let singleLeadInput: SingleLeadInput | undefined;
  const polarity = singleLeadPolarityOf(m.entry);
  let failure = ''; // why the model stopped (the rule then scores every beat)
  const start = (n: number, singleLead: boolean): BeatModelRunner => {
    singleLeadInput = singleLead ? singleLeadInputOf(m.entry) : undefined;
    if (consensus) shapes = new Float32Array(n * featureLength(consensus));
    return new BeatModelRunner(m, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, {
      batch: settings.beatBatch ?? DEFAULT_BEAT_BATCH,
      cancel: hooks.cancel,
      onProgress: (f) => run.prog.report('beat model', f),
    });
  };

  return {
    async score(g, s) {
      if (failure) return;
      try {
        runner ??= start(s.n, s.singleLead);
        const group = groupInput(g, s);
        const flags = s.flags.subarray(g.from, g.from + g.count);
        await runner.add(modelInputFor(group, g.count, flags, s.singleLead, singleLeadInputOf(m.entry), polarity), g.count);
        if (consensus && shapes) shapes.set(morphologyFeatures(g.windows, g.count, consensus), g.from * featureLength(consensus));
      } catch (e) {
        if ((e as { code?: string }).code === 'CANCELLED') throw e;
        failure = reasonOf(e);
        await release();
      }
      run.laps.lap('beatModelMs');
    },
    async finish(beats) {
      let scores: BeatScores | null = null;
      try {
        if (!failure) {
          runner ??= start(beats.sample.length, false); // a record without beats
          const out = runner.finish();
          const confidence = beatConfidence(out.probs, AAMI_CLASSES.length, m.entry.ambiguity); // of the model's own output
          if (consensus && shapes) applyConsensus(out.probs, AAMI_CLASSES.length, V_INDEX, shapes, beats.valid, consensus);
          const use = {
            ...modelUse('beat', m),
            ...(singleLeadInput ? { singleLeadInput } : {}),
            ...(singleLeadInput && polarity !== 'as-recorded' ? { singleLeadPolarity: polarity } : {}),
            ...(confidence ? { confidence } : {}),
          };
          run.laps.lap('beatModelMs');
          scores = { probs: out.probs, use, embedding: out.embedding, embeddingDim: out.embeddingDim, svRule: supraventricularRuleOf(m.entry) };
        }
      } catch (e) {
        failure = reasonOf(e);
      } finally {
        await release();
      }
      return finished(scores ?? scoreByRules(beats, failure, run), run);
    },
    release,
  };
}

function scoreByRules(beats: FoundBeats, reason: string, run: AnalysisRun): BeatScores {
  const K = AAMI_CLASSES.length;
  const f = beats.features;
  const probs = classifyByRules(f, beats.valid, run.p);
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
