// The beats of an analysis: their positions (reference annotations or the QRS detector), then
// one pass over their windows (src/main/beats/stream.ts): each group's QRS width and shape against
// the dominant beat (the V rule's input and the VT evidence) measured, and the group handed to the
// beat scorer (score-beats.ts) before the next one is cut, so the windows are never all in memory.
// With a helper worker (a long record), it conditions leads' chunks ahead of the cut, taking turns with its other tasks.
import { BEAT_FS, BEAT_LEADS, BEAT_WINDOW, R_INDEX, beatWindowStream } from '../beats';
import { checkpoint, throwIfCancelled } from '../inference';
import { measureShapes, rrSeconds, wideBeats, withRhythmMeasures, type VFeatures } from '../rules';
import { beatPositions, type BeatPositions, type Detection } from './record';
import type { BeatScorer } from './score-beats';
import type { AnalysisRun } from './settings';
import type { AnalysisPlan } from './plan';
import type { LeadInput } from '../dsp/lead';
import type { BeatWindowStream } from '../beats/stream';
import type { AnalysisHelper } from './parallel';
import { chunkRing, RingSource } from './conditioned-chunks';

export interface FoundBeats extends BeatPositions {
  /** 1 when the beat's whole window lies inside the record. */
  valid: Uint8Array;
  /** QRS width and shape per beat. */
  features: VFeatures;
  /** 1 for a wide beat unlike the dominant one. */
  wide: Uint8Array;
}

// each group's shapes are measured on their own: BEAT_GROUP is a whole number of SHAPE_BLOCKs
// (tests/unit/beat-stream.test.ts), so its blocks are the whole record's
const LAYOUT = { leads: BEAT_LEADS, length: BEAT_WINDOW, rIndex: R_INDEX, fs: BEAT_FS };

/** The leads' chunks conditioned by the helper between turns of its other tasks (conditioned-chunks.ts). */
function shareConditioning(helper: AnalysisHelper, stream: BeatWindowStream, signals: readonly LeadInput[], fs: number): RingSource | undefined {
  if (stream.chunks.filter((c) => c.a !== c.z).length < 2) return undefined;
  const leads = signals.slice(0, stream.singleLead ? 1 : BEAT_LEADS); // the leads the stream cuts
  const ring = chunkRing(stream.chunks, leads.length);
  void helper.condition(leads, fs, ring).catch(() => 0); // refused or failed: this thread conditions every chunk
  return new RingSource(ring);
}

export async function findBeats(
  recordPath: string,
  signals: readonly LeadInput[],
  plan: Pick<AnalysisPlan, 'fs' | 'nFrames' | 'samplesPerFrame'>,
  run: AnalysisRun,
  scorer: BeatScorer,
  detection: Detection | null = null,
  helper: AnalysisHelper | null = null
): Promise<FoundBeats> {
  run.prog.report('beats', 0);
  const { fs } = plan;
  const beats = await beatPositions(recordPath, run.settings.beats ?? 'auto', signals, fs, plan.nFrames, plan.samplesPerFrame, detection, run.hooks.cancel);
  run.laps.lap('beatsMs');
  throwIfCancelled(run.hooks.cancel);

  run.prog.report('windows', 0);
  const n = beats.sample.length;
  const stream = beatWindowStream(signals, fs, beats.sample);
  const qrsMs = new Float32Array(n);
  const morphCorr = new Float32Array(n);
  const source = helper ? shareConditioning(helper, stream, signals, fs) : undefined;
  try {
    for (const g of stream.groups(source)) {
      const shapes = measureShapes(g.windows, stream.valid.subarray(g.from, g.from + g.count), LAYOUT);
      qrsMs.set(shapes.qrsMs, g.from);
      morphCorr.set(shapes.morphCorr, g.from);
      run.prog.report('windows', (g.from + g.count) / n);
      run.laps.lap('windowsMs');
      await scorer.score(g, stream);
      await checkpoint(run.hooks.cancel);
    }
  } finally {
    source?.stop();
  }
  const features = withRhythmMeasures({ qrsMs, morphCorr }, rrSeconds(beats.sample, fs));
  const wide = wideBeats(features, run.p);
  run.laps.lap('windowsMs');
  throwIfCancelled(run.hooks.cancel);
  return { ...beats, valid: stream.valid, features, wide };
}
