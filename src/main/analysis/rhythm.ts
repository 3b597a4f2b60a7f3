// Rhythm episodes from the rhythm model's per-window probabilities: consecutive windows whose
// most probable class is AF, VT or noise are merged into one episode.
import type { Episode, EpisodeType } from '../../shared/analysis';

/** Episode type of a rhythm class name (manifest `classes`), or null for "other". */
export function episodeTypeOf(cls: string): EpisodeType | null {
  const c = cls.toLowerCase();
  if (c === 'af' || c === 'afib') return 'AF';
  if (c === 'vt' || c.startsWith('vf') || c === 'ventricular') return 'VT';
  if (c === 'noise' || c === '~') return 'NOISE';
  return null;
}

/**
 * probs: n × K (class order `classes`), startSample: window starts at the record's rate,
 * windowSamples: window length at that rate, nFrames: record length.
 */
export function rhythmEpisodes(probs: Float32Array, classes: readonly string[], startSample: Int32Array, windowSamples: number, nFrames: number, windowSec: number): Episode[] {
  const K = classes.length;
  const n = startSample.length;
  const types = classes.map(episodeTypeOf);
  const arg = new Int32Array(n);
  for (let w = 0; w < n; w++) {
    let best = 0;
    for (let k = 1; k < K; k++) if (probs[w * K + k]! > probs[w * K + best]!) best = k;
    arg[w] = best;
  }
  const out: Episode[] = [];
  for (let w = 0; w < n; w++) {
    const type = types[arg[w]!];
    if (!type) continue;
    let e = w;
    while (e + 1 < n && arg[e + 1] === arg[w]) e++;
    let p = 0;
    for (let j = w; j <= e; j++) p += probs[j * K + arg[w]!]!;
    p /= e - w + 1;
    out.push({
      type,
      onsetSample: startSample[w]!,
      offsetSample: Math.min(nFrames, startSample[e]! + windowSamples),
      confidence: Math.min(1, Math.max(0, p)),
      explanation: `rhythm model: ${classes[arg[w]!]} most probable in ${e - w + 1} consecutive ${windowSec}-s window${e > w ? 's' : ''} (mean probability ${p.toFixed(2)})`,
      source: 'model',
    });
    w = e;
  }
  return out;
}
