// The rhythm model's class probabilities over a lead's 10-s windows: computed on the analysis
// worker, or on its helper (parallel.ts) while the beat branch runs; the same call either way.
import type { ModelUse } from '../../shared/analysis';
import { DEFAULT_RHYTHM_BATCH, openModel, runRhythmModel, type CancelToken, type CudaProbe, type ProviderPreference, type ResolvedModel } from '../inference';
import { rhythmWindows, RHYTHM_WINDOW } from '../rhythm/windows';
import { modelUse } from './plan';

export interface RhythmScores {
  /** windows × classes. */
  probs: Float32Array;
  classes: string[];
  /** Each window's first sample at the record's rate. */
  startSample: Int32Array;
  use: ModelUse;
}

export interface RhythmScoreOptions {
  provider: ProviderPreference;
  threads?: number;
  batch?: number;
  probe?: () => CudaProbe;
  cancel?: CancelToken;
  onProgress?: (fraction: number) => void;
  /** Called once the windows are cut, before the model runs (laps). */
  onWindows?: () => void;
}

/** Opens the rhythm model, cuts the lead's windows and scores them. */
export async function scoreRhythm(model: ResolvedModel, signal: Float32Array, fs: number, strideSec: number, o: RhythmScoreOptions): Promise<RhythmScores> {
  const m = await openModel(model, { provider: o.provider, threads: o.threads, probe: o.probe });
  try {
    const rw = rhythmWindows(signal, fs, strideSec);
    o.onWindows?.();
    const probs = await runRhythmModel(m, rw.x, rw.startSample.length, RHYTHM_WINDOW, {
      batch: o.batch ?? DEFAULT_RHYTHM_BATCH,
      cancel: o.cancel,
      onProgress: o.onProgress,
    });
    const classes = m.entry.classes.length ? m.entry.classes : ['other', 'AF', 'VT', 'noise'];
    return { probs, classes, startSample: rw.startSample, use: modelUse('rhythm', m) };
  } finally {
    await m.session.release().catch(() => undefined);
  }
}
