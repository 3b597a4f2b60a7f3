// The rhythm episodes: the rhythm model over 10-s windows (its AF confirmed by the RR rule), or
// the RR rule's AF when no model runs. The VT and noise episodes are added later (assemble.ts).
import type { Analysis, Episode, ModelUse } from '../../shared/analysis';
import { DEFAULT_RHYTHM_BATCH, effectivePreference, openModel, runRhythmModel } from '../inference';
import { detectAfByRr } from '../rules';
import { rhythmWindows, RHYTHM_WINDOW, RHYTHM_WINDOW_SEC, type RhythmWindows } from '../rhythm/windows';
import type { BackgroundJob } from './parallel';
import { modelUse, reasonOf, rulesUse, type AnalysisPlan } from './plan';
import { confirmAfByRr, episodeTypeOf, modelEpisodeOptions, rhythmEpisodes } from './rhythm';
import type { AnalysisRun } from './settings';

export interface FoundRhythm {
  episodes: Episode[];
  use: ModelUse;
  /** The rhythm model's probabilities per window (null when the rules answered). */
  probs: { probs: Float32Array; classes: string[] } | null;
  rhythmVt?: Analysis['rhythmVt'];
}

export interface RhythmInput {
  /** The first analysed lead, at fs. */
  signal: Float32Array;
  sample: Int32Array;
  /** 1 for a beat whose most likely class is V (left out of the RR rule). */
  ventricular: Uint8Array;
  /** 1 for an RR interval over readable signal (the others are left out of the RR rule). */
  readable: Uint8Array;
  /** The rhythm windows computed on a helper worker, when one was started. */
  windowsJob: BackgroundJob<RhythmWindows> | null;
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
  const { settings, hooks } = run;
  const { fs, nFrames } = plan;
  const m = await openModel(task.model, { provider: effectivePreference(settings.provider), threads: settings.threads, probe: hooks.probe });
  try {
    const rw = input.windowsJob ? await input.windowsJob.result() : rhythmWindows(input.signal, fs, plan.rhythmStrideSec);
    run.laps.lap('rhythmWindowsMs');
    const nw = rw.startSample.length;
    const rp = await runRhythmModel(m, rw.x, nw, RHYTHM_WINDOW, {
      batch: settings.rhythmBatch ?? DEFAULT_RHYTHM_BATCH,
      cancel: hooks.cancel,
      onProgress: (f) => run.prog.report('rhythm model', f),
    });
    const classes = m.entry.classes.length ? m.entry.classes : ['other', 'AF', 'VT', 'noise'];
    const windowSamples = Math.round(RHYTHM_WINDOW_SEC * fs);
    const vtClass = classes.findIndex((c) => episodeTypeOf(c) === 'VT');
    const rhythmVt =
      vtClass >= 0
        ? { startSample: Int32Array.from(rw.startSample), pVt: Float32Array.from({ length: nw }, (_, w) => rp[w * classes.length + vtClass]!), windowSamples }
        : undefined;
    hooks.onRhythm?.({ probs: rp, classes, startSample: rw.startSample, windowSamples, windowSec: RHYTHM_WINDOW_SEC, nFrames, fs, rrAf: rrAf() });
    const episodes = confirmAfByRr(
      rhythmEpisodes(rp, classes, rw.startSample, windowSamples, nFrames, RHYTHM_WINDOW_SEC, modelEpisodeOptions(run.p)),
      rrAf(),
      run.p.afConfirmOverlap
    );
    run.laps.lap('rhythmModelMs');
    return { episodes, use: modelUse('rhythm', m), probs: { probs: rp, classes }, ...(rhythmVt ? { rhythmVt } : {}) };
  } finally {
    await m.session.release().catch(() => undefined);
  }
}
