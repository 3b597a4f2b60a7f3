// The rhythm episodes: the rhythm model over 10-s windows (its AF confirmed by the RR rule), or
// the RR rule's AF when no model runs. The VT and noise episodes are added later (assemble.ts).
import type { Analysis, Episode, ModelUse } from '../../shared/analysis';
import { effectivePreference } from '../inference';
import { flatWindows, withoutRhythm } from '../quality';
import { detectAfByRr } from '../rules';
import { RHYTHM_WINDOW_SEC } from '../rhythm/windows';
import { reasonOf, rulesUse, type AnalysisPlan } from './plan';
import { confirmAfByRr, episodeTypeOf, modelEpisodeOptions, rhythmEpisodes } from './rhythm';
import { scoreRhythm, type RhythmScores } from './rhythm-scores';
import type { AnalysisRun } from './settings';
import type { LeadInput } from '../dsp/lead';

export interface FoundRhythm {
  episodes: Episode[];
  use: ModelUse;
  /** The rhythm model's probabilities per window (null when the rules answered). */
  probs: { probs: Float32Array; classes: string[] } | null;
  rhythmVt?: Analysis['rhythmVt'];
}

export interface RhythmInput {
  /** The first analysed lead, at fs. */
  signal: LeadInput;
  sample: Int32Array;
  /** 1 for a beat whose most likely class is V (left out of the RR rule). */
  ventricular: Uint8Array;
  /** 1 for an RR interval over readable signal (the others are left out of the RR rule). */
  readable: Uint8Array;
  /** The rhythm model's scores from the helper worker, when it was given them (a failure: scored here). */
  scoresJob: Promise<RhythmScores> | null;
  /** Per-second signal-quality flags of `signal` (its flat seconds give the model's windows over them no rhythm). */
  quality: Uint8Array;
}

export async function findRhythm(plan: AnalysisPlan, input: RhythmInput, run: AnalysisRun): Promise<FoundRhythm> {
  run.prog.report('rhythm model', 0);
  // The RR rule's AF: confirms the model's AF episodes, or is the rhythm answer when no model runs.
  let rrAfMemo: Episode[] | undefined;
  const rrAf = (): Episode[] => (rrAfMemo ??= detectAfByRr(input.sample, plan.fs, input.ventricular, run.p, input.readable));
  let reason = 'reason' in plan.rhythm ? plan.rhythm.reason : '';
  let found: FoundRhythm | null = null;
  if ('model' in plan.rhythm) {
    try {
      found = await rhythmByModel(plan, plan.rhythm, input, rrAf, run);
    } catch (e) {
      if ((e as { code?: string }).code === 'CANCELLED') throw e;
      reason = reasonOf(e);
    }
  }
  run.prog.report('rules', 0);
  return found ?? { episodes: rrAf(), use: rulesUse('rhythm', reason), probs: null };
}

async function rhythmByModel(
  plan: AnalysisPlan,
  task: Extract<AnalysisPlan['rhythm'], { model: unknown }>,
  input: RhythmInput,
  rrAf: () => Episode[],
  run: AnalysisRun
): Promise<FoundRhythm> {
  const { fs, nFrames } = plan;
  const scores = (input.scoresJob && (await input.scoresJob.catch(() => null))) || (await scoreHere(plan, task, input.signal, run));
  const { classes, startSample } = scores;
  const nw = startSample.length;
  const windowSamples = Math.round(RHYTHM_WINDOW_SEC * fs);
  // a flat line is no rhythm (not VT, as the model reads it): the stretch is unreadable instead
  const rp = withoutRhythm(scores.probs, classes, flatWindows(input.quality, startSample, windowSamples, fs), (c) => episodeTypeOf(c) !== null);
  const vtClass = classes.findIndex((c) => episodeTypeOf(c) === 'VT');
  const rhythmVt =
    vtClass >= 0
      ? { startSample: Int32Array.from(startSample), pVt: Float32Array.from({ length: nw }, (_, w) => rp[w * classes.length + vtClass]!), windowSamples }
      : undefined;
  run.hooks.onRhythm?.({ probs: rp, classes, startSample, windowSamples, windowSec: RHYTHM_WINDOW_SEC, nFrames, fs, rrAf: rrAf() });
  const episodes = confirmAfByRr(
    rhythmEpisodes(rp, classes, startSample, windowSamples, nFrames, RHYTHM_WINDOW_SEC, modelEpisodeOptions(run.p)),
    rrAf(),
    run.p.afConfirmOverlap
  );
  run.laps.lap('rhythmModelMs');
  return { episodes, use: scores.use, probs: { probs: rp, classes }, ...(rhythmVt ? { rhythmVt } : {}) };
}

/** The rhythm model's scores computed on this thread. */
function scoreHere(plan: AnalysisPlan, task: Extract<AnalysisPlan['rhythm'], { model: unknown }>, signal: LeadInput, run: AnalysisRun): Promise<RhythmScores> {
  const { settings, hooks } = run;
  return scoreRhythm(task.model, signal, plan.fs, plan.rhythmStrideSec, {
    provider: effectivePreference(settings.provider),
    threads: settings.threads,
    batch: settings.rhythmBatch,
    probe: hooks.probe,
    cancel: hooks.cancel,
    onProgress: (f) => run.prog.report('rhythm model', f),
    onWindows: () => run.laps.lap('rhythmWindowsMs'),
    onScored: () => run.laps.lap('rhythmModelMs'),
  });
}
