// The Holter summary of an analysis, from the labels at the current threshold and the episodes.
import { V_INDEX, noRateIn, perReadableHour, type AnalysisSummary, type Episode } from '../../shared/analysis';
import { countEctopy, ventricularRuns, runRateBpm, type RuleParams } from '../rules';
import { beatsInside, isModelNoise, readableIntervals } from '../quality';

/** The label a beat in unreadable time counts as: no class, so no ectopy figure counts it and runs break at it. */
const UNREADABLE_LABEL = 255;

/**
 * The labels the ectopy figures count: a beat inside a NOISE episode (unreadable signal) is left
 * out, as a Holter scanner leaves artefact out of its counts (its V calls there are mostly artefact
 * read as beats). The heart rate leaves the same time out.
 */
export function readableLabels(sample: Int32Array, label: Uint8Array, episodes: readonly Episode[]): Uint8Array {
  const inside = beatsInside(
    sample,
    episodes.filter((e) => e.type === 'NOISE')
  );
  return label.map((l, k) => (inside[k] ? UNREADABLE_LABEL : l));
}

/**
 * Which RR intervals may be pauses (pauseReadable[k]: the interval into beat k): on the signal
 * quality's readable signal, where the rhythm model's noise class alone hides none (it reads
 * asystole's bare baseline as noise), and outside the rhythm model's VT/VF episodes (fibrillation has
 * no QRS to find). The pause episodes and the summary's longest pause both read it.
 */
export function pauseIntervals(sample: Int32Array, episodes: readonly Episode[]): Uint8Array {
  const hiding = episodes.filter((e) => (e.type === 'NOISE' && !isModelNoise(e)) || (e.type === 'VT' && e.source === 'model'));
  return readableIntervals(sample, hiding);
}

/** Seconds covered by the union of the episodes of one type. */
export function coveredSec(episodes: readonly Episode[], type: Episode['type'], fs: number): number {
  const iv = episodes
    .filter((e) => e.type === type)
    .map((e) => [e.onsetSample, e.offsetSample] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let cs = -1;
  let ce = -1;
  for (const [s, e] of iv) {
    if (s > ce) {
      total += ce - cs;
      cs = s;
      ce = e;
    } else ce = Math.max(ce, e);
  }
  total += ce - cs;
  return total / fs;
}

/**
 * Heart rate: mean = beats per minute over the span of the beats; min and max = the lowest and
 * highest 1-minute mean rates, of whole minutes: at least 5 intervals covering at least 30 s (not
 * the record's last few seconds, nor a minute mostly unreadable; the review's trend,
 * renderer/src/lib/hr-trend.ts, judges a minute the same way). With no whole minute (a strip, a
 * record mostly unreadable) min and max are 0, none, as the review and the report show "—": the
 * mean of an irregular strip is no minimum or maximum.
 * `readable[k]` = 0 leaves the interval into beat k out (unreadable signal).
 */
export function heartRates(sample: Int32Array, fs: number, readable?: Uint8Array): { mean: number; min: number; max: number } {
  const n = sample.length;
  if (n < 2) return { mean: 0, min: 0, max: 0 };
  let span = 0;
  let count = 0;
  for (let k = 1; k < n; k++) {
    if (readable && !readable[k]) continue;
    span += (sample[k]! - sample[k - 1]!) / fs;
    count++;
  }
  if (count === 0) return { mean: 0, min: 0, max: 0 };
  const mean = (60 * count) / span;
  let min = Infinity;
  let max = -Infinity;
  const minute = 60 * fs;
  let k = 1;
  while (k < n) {
    const m = Math.floor(sample[k]! / minute);
    let sum = 0;
    let c = 0;
    while (k < n && Math.floor(sample[k]! / minute) === m) {
      if (!readable || readable[k]) {
        sum += sample[k]! - sample[k - 1]!;
        c++;
      }
      k++;
    }
    if (c >= 5 && sum / fs >= 30) {
      const hr = (60 * fs * c) / sum;
      min = Math.min(min, hr);
      max = Math.max(max, hr);
    }
  }
  return Number.isFinite(min) ? { mean, min, max } : { mean, min: 0, max: 0 };
}

export function summarize(
  sample: Int32Array,
  label: Uint8Array,
  episodes: readonly Episode[],
  fs: number,
  durationSec: number,
  p: RuleParams
): AnalysisSummary {
  const n = sample.length;
  // ectopy over readable signal only: counts, burden (of the beats there) and rate per analysed hour
  const counted = readableLabels(sample, label, episodes);
  let pvc = 0;
  let readableBeats = 0;
  for (let k = 0; k < n; k++) {
    if (counted[k] === V_INDEX) pvc++;
    if (counted[k] !== UNREADABLE_LABEL) readableBeats++;
  }
  const unreadableSec = coveredSec(episodes, 'NOISE', fs);
  const analysedSec = Math.max(0, durationSec - unreadableSec);
  const ect = countEctopy(counted, p);
  let longestVt = 0;
  for (const r of ventricularRuns(counted)) {
    const len = r.last - r.first + 1;
    if (len >= p.vtMinBeats && runRateBpm(sample, fs, r) > p.vtMinRateBpm) longestVt = Math.max(longestVt, len);
  }
  // intervals over unreadable signal (NOISE episodes) or fibrillation / flutter (no QRS: a 14-s
  // "interval" across mitdb 207's flutter read as a minimum rate of 31 bpm) count for no rate; the
  // longest pause is read as the pause episodes are (pauseIntervals)
  const readable = readableIntervals(sample, episodes.filter(noRateIn));
  const pauseReadable = pauseIntervals(sample, episodes);
  let longestPause = 0;
  for (let k = 1; k < n; k++) if (pauseReadable[k]) longestPause = Math.max(longestPause, (sample[k]! - sample[k - 1]!) / fs);
  const hr = heartRates(sample, fs, readable);
  return {
    beats: n,
    pvcCount: pvc,
    pvcBurden: readableBeats ? pvc / readableBeats : 0,
    // none from under RATE_MIN_READABLE_SEC of readable signal: 0, as minHr / maxHr with no whole minute
    pvcPerHour: perReadableHour(pvc, analysedSec) ?? 0,
    couplets: ect.couplets,
    triplets: ect.triplets,
    bigeminyEpisodes: ect.bigeminyEpisodes,
    longestVtRunBeats: longestVt,
    afBurden: durationSec > 0 ? Math.min(1, coveredSec(episodes, 'AF', fs) / durationSec) : 0,
    longestPauseSec: longestPause,
    meanHr: hr.mean,
    minHr: hr.min,
    maxHr: hr.max,
    unreadableSec,
  };
}
