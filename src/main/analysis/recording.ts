// The recording-level call (seed 003's classify_and_detect → event type, confidence, event index,
// explanation): one label for the whole recording, read from the same episodes, summary and strip
// evidence as everything else, never a separate pipeline. On a strip (≤ STRIP_MAX_SEC) it is the
// rhythm answer; on a longer record it names the most significant finding, in this order:
// VF > sustained VT (≥ 30 s) > AF > nonsustained VT > PAUSE, then NOISE (most of the record
// unreadable) > OTHER > NORMAL. A run of a few ventricular beats in a day of AF is a finding of the
// AF record, not what the record is.
import type { AnalysisSummary, Episode, Recording, StripEvidence } from '../../shared/analysis';
import { coveredSec } from './summary';
import { stripAfProbability } from './strip';

/** A record whose episodes of noise cover at least this share is called NOISE (nothing else readable). */
export const NOISE_RECORD_SHARE = 0.5;
/** OTHER: no AF, VT, VF or pause, but at least this share of ventricular beats ... */
export const OTHER_PVC_BURDEN = 0.1;
/** ... or a mean rate outside this range, bpm (sinus bradycardia / tachycardia and the like). */
export const NORMAL_HR_BPM = [50, 100] as const;

export interface RecordingInput {
  durationSec: number;
  fs: number;
  episodes: readonly Episode[];
  summary: AnalysisSummary;
  strip?: StripEvidence;
}

/** VT shorter than this is nonsustained, seconds (the clinical definition). */
export const SUSTAINED_VT_SEC = 30;

const RANK: Record<string, number> = { VF: 0, VT: 1, AF: 2, NSVT: 2.5, PAUSE: 3 };

/** A VT episode's run length: its longest run when it was joined from salvos, else its length, seconds. */
function vtRunSec(e: Episode, fs: number): number {
  return e.longestRunSec ?? (e.offsetSample - e.onsetSample) / fs;
}

/** The most significant episode: the highest-ranked type, then the most confident, then the earliest. */
function significant(episodes: readonly Episode[], fs: number): { e: Episode; label: 'VF' | 'VT' | 'AF' | 'PAUSE' } | null {
  let best: { e: Episode; label: 'VF' | 'VT' | 'AF' | 'PAUSE' } | null = null;
  let bestRank = Infinity;
  for (const e of episodes) {
    if (e.type === 'NOISE') continue;
    const label = e.type === 'VT' && e.rhythm === 'VF' ? 'VF' : e.type;
    const rank = RANK[label === 'VT' && vtRunSec(e, fs) < SUSTAINED_VT_SEC ? 'NSVT' : label]!;
    if (!best || rank < bestRank || (rank === bestRank && e.confidence > best.e.confidence)) {
      best = { e, label };
      bestRank = rank;
    }
  }
  return best;
}

function secText(sec: number): string {
  return sec < 90 ? `${sec.toFixed(0)} s` : `${(sec / 60).toFixed(1)} min`;
}

export function recordingCall(a: RecordingInput): Recording {
  const top = significant(a.episodes, a.fs);
  if (top) {
    const e = top.e;
    const sec = (e.offsetSample - e.onsetSample) / a.fs;
    const nonsustained = top.label === 'VT' && vtRunSec(e, a.fs) < SUSTAINED_VT_SEC;
    const what =
      top.label === 'AF' && a.summary.afBurden > 0
        ? `AF burden ${(100 * a.summary.afBurden).toFixed(0)} %`
        : nonsustained && e.longestRunSec !== undefined
          ? `${top.label} over ${secText(sec)}, runs of up to ${secText(e.longestRunSec)} (nonsustained)`
          : `${top.label} ${secText(sec)}${nonsustained ? ' (nonsustained)' : ''}`;
    return {
      label: top.label,
      confidence: e.confidence,
      sample: e.onsetSample,
      explanation: `${what}: ${e.explanation}`,
      episodeType: e.type,
      ...(nonsustained ? { nonsustained } : {}),
    };
  }
  const noiseSec = coveredSec(a.episodes, 'NOISE', a.fs);
  if (a.durationSec > 0 && noiseSec >= NOISE_RECORD_SHARE * a.durationSec) {
    let conf = 0;
    for (const e of a.episodes) if (e.type === 'NOISE') conf = Math.max(conf, e.confidence);
    return {
      label: 'NOISE',
      confidence: conf,
      sample: 0,
      explanation: `unreadable: noise over ${secText(noiseSec)} of ${secText(a.durationSec)}`,
      episodeType: 'NOISE',
    };
  }
  const s = a.summary;
  const afP = a.strip ? stripAfProbability(a.strip) : 0;
  // no finding: how sure that it is not AF (the strip's model P(AF)), else the rules' own certainty
  const notAf = a.strip && a.strip.windows > 0 ? 1 - afP : 0.5;
  if (s.pvcBurden >= OTHER_PVC_BURDEN || (s.beats > 1 && (s.meanHr < NORMAL_HR_BPM[0] || s.meanHr > NORMAL_HR_BPM[1]))) {
    const why =
      s.pvcBurden >= OTHER_PVC_BURDEN
        ? `${(100 * s.pvcBurden).toFixed(0)} % ventricular beats (≥ ${100 * OTHER_PVC_BURDEN} %)`
        : `mean rate ${s.meanHr.toFixed(0)} bpm (outside ${NORMAL_HR_BPM[0]}–${NORMAL_HR_BPM[1]})`;
    return { label: 'OTHER', confidence: notAf, sample: 0, explanation: `no AF, VT, VF or pause; ${why}` };
  }
  return {
    label: 'NORMAL',
    confidence: notAf,
    sample: 0,
    explanation: `no AF, VT, VF or pause; mean rate ${s.meanHr.toFixed(0)} bpm, ${s.pvcCount} ventricular beat${s.pvcCount === 1 ? '' : 's'}`,
  };
}
