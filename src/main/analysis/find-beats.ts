// The beats of an analysis: their positions (reference annotations or the QRS detector), then
// their windows and RR features (the beat model's input) and their QRS width and shape against
// the dominant beat (the V rule's input and the VT evidence).
import { BEAT_FS, BEAT_LEADS, BEAT_WINDOW, R_INDEX, extractBeatWindows, type BeatWindows } from '../beats';
import { throwIfCancelled } from '../inference';
import { measureBeats, rrSeconds, wideBeats, type VFeatures } from '../rules';
import { beatPositions, type BeatPositions } from './record';
import type { AnalysisRun } from './settings';

export interface FoundBeats extends BeatPositions {
  windows: BeatWindows;
  /** QRS width and shape per beat. */
  features: VFeatures;
  /** 1 for a wide beat unlike the dominant one. */
  wide: Uint8Array;
}

export async function findBeats(recordPath: string, signals: Float32Array[], fs: number, nFrames: number, run: AnalysisRun): Promise<FoundBeats> {
  run.prog.report('beats', 0);
  const beats = await beatPositions(recordPath, run.settings.beats ?? 'auto', signals, fs, nFrames);
  run.laps.lap('beatsMs');
  throwIfCancelled(run.hooks.cancel);

  run.prog.report('windows', 0);
  const windows = extractBeatWindows(signals, fs, beats.sample);
  const features = measureBeats(windows.windows, windows.valid, rrSeconds(beats.sample, fs), {
    leads: BEAT_LEADS,
    length: BEAT_WINDOW,
    rIndex: R_INDEX,
    fs: BEAT_FS,
  });
  const wide = wideBeats(features, run.p);
  run.laps.lap('windowsMs');
  throwIfCancelled(run.hooks.cancel);
  return { ...beats, windows, features, wide };
}
