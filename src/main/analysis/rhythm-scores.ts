// The rhythm model's class probabilities over a lead's 10-s windows: computed on the analysis
// worker, or on its helper (parallel.ts) while the beat branch runs; the same call either way.
import type { ModelUse } from '../../shared/analysis';
import { DEFAULT_RHYTHM_BATCH, openModel, runRhythmModel, type CancelToken, type CudaProbe, type ProviderPreference, type ResolvedModel } from '../inference';
import { rhythmWindowStream, RHYTHM_WINDOW } from '../rhythm/windows';
import { modelUse } from './plan';
import type { LeadInput } from '../dsp/lead';

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
  /** Called after each group of windows is cut, and after each batch is scored (laps). */
  onWindows?: () => void;
  onScored?: () => void;
}

/**
 * Opens the rhythm model, cuts the lead's windows group by group and scores them a batch at a time
 * (the same batches as all the windows at once: the same scores), so only a group and a batch of
 * windows are in memory, not the whole record's (43 MB for 24 hours at a 10-s stride).
 */
export async function scoreRhythm(model: ResolvedModel, signal: LeadInput, fs: number, strideSec: number, o: RhythmScoreOptions): Promise<RhythmScores> {
  const m = await openModel(model, { provider: o.provider, threads: o.threads, probe: o.probe });
  try {
    const rw = rhythmWindowStream(signal, fs, strideSec);
    const batch = o.batch ?? DEFAULT_RHYTHM_BATCH;
    const buf = new Float32Array(batch * RHYTHM_WINDOW);
    const k = m.entry.classes.length || 4; // runRhythmModel checks each batch's output against it
    const probs = new Float32Array(rw.n * k);
    let filled = 0;
    let scored = 0;
    const flush = async () => {
      probs.set(await runRhythmModel(m, buf, filled, RHYTHM_WINDOW, { batch, cancel: o.cancel }), scored * k);
      scored += filled;
      filled = 0;
      o.onScored?.();
      o.onProgress?.(scored / rw.n);
    };
    for (const g of rw.groups()) {
      o.onWindows?.();
      for (let w = 0; w < g.count; w++) {
        buf.set(g.x.subarray(w * RHYTHM_WINDOW, (w + 1) * RHYTHM_WINDOW), filled++ * RHYTHM_WINDOW);
        if (filled === batch) await flush();
      }
    }
    if (filled > 0) await flush();
    const classes = m.entry.classes.length ? m.entry.classes : ['other', 'AF', 'VT', 'noise'];
    return { probs, classes, startSample: rw.startSample, use: modelUse('rhythm', m) };
  } finally {
    await m.session.release().catch(() => undefined);
  }
}
