// Pauses: an RR interval longer than the limit (default 2.0 s, the usual Holter reporting limit).
// An interval over unreadable signal is no pause: the beats noise hides are not missing.
import type { BeatSource, Episode } from '../../shared/analysis';
import { logistic, type RuleParams } from './params';

/**
 * One PAUSE episode per RR interval longer than `pauseSec`, from the beat before to the beat
 * after. Confidence rises with how far the limit is exceeded and is lower when the beats come
 * from the detector (a missed beat also looks like a pause). With `readable` (quality's
 * readableIntervals), intervals with readable[k] = 0 are skipped.
 */
export function detectPauses(sample: Int32Array, fs: number, source: BeatSource, p: RuleParams, readable?: Uint8Array): Episode[] {
  const out: Episode[] = [];
  for (let k = 1; k < sample.length; k++) {
    if (readable && !readable[k]) continue;
    const rr = (sample[k]! - sample[k - 1]!) / fs;
    if (rr <= p.pauseSec) continue;
    const base = source === 'reference' ? 2 : 1;
    out.push({
      type: 'PAUSE',
      onsetSample: sample[k - 1]!,
      offsetSample: sample[k]!,
      confidence: logistic(base + 4 * (rr / p.pauseSec - 1)),
      explanation:
        `RR ${rr.toFixed(2)} s (> ${p.pauseSec.toFixed(1)} s) between beats ${k - 1} and ${k}` +
        (source === 'detector' ? ' (detected beats: check for a missed beat)' : ''),
      source: 'rules',
    });
  }
  return out;
}
