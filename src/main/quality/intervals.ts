// Which RR intervals rest on readable signal: an interval that spans part of an unreadable
// stretch may hide missed or extra beats, so the RR rules (AF irregularity, pauses) never use it.

type Span = { onsetSample: number; offsetSample: number };

/**
 * readable[k] = 1 when the interval (sample[k−1], sample[k]) overlaps none of the unreadable
 * `spans` (any order); readable[0] = 0 (no interval ends at the first beat). `sample` ascending.
 */
export function readableIntervals(sample: Int32Array, spans: readonly Span[]): Uint8Array {
  const n = sample.length;
  const readable = new Uint8Array(n);
  const sorted = [...spans].sort((x, y) => x.onsetSample - y.onsetSample);
  let j = 0;
  for (let k = 1; k < n; k++) {
    const a = sample[k - 1]!;
    const b = sample[k]!;
    // spans ending at or before this interval's start end before every later interval's start too
    while (j < sorted.length && sorted[j]!.offsetSample <= a) j++;
    let clear = true;
    for (let i = j; i < sorted.length && sorted[i]!.onsetSample < b; i++) {
      if (sorted[i]!.offsetSample > a) {
        clear = false;
        break;
      }
    }
    readable[k] = clear ? 1 : 0;
  }
  return readable;
}

/**
 * inside[k] = 1 when beat k lies in one of the unreadable `spans` (onset ≤ sample < offset; any
 * order): a beat there may be an artefact read as one, so no ectopy figure counts its label.
 * `sample` ascending.
 */
export function beatsInside(sample: Int32Array, spans: readonly Span[]): Uint8Array {
  const inside = new Uint8Array(sample.length);
  const sorted = [...spans].sort((x, y) => x.onsetSample - y.onsetSample);
  let j = 0;
  for (let k = 0; k < sample.length; k++) {
    const s = sample[k]!;
    // spans ending at or before this beat end before every later beat too
    while (j < sorted.length && sorted[j]!.offsetSample <= s) j++;
    for (let i = j; i < sorted.length && sorted[i]!.onsetSample <= s; i++) {
      if (sorted[i]!.offsetSample > s) {
        inside[k] = 1;
        break;
      }
    }
  }
  return inside;
}

// the renderer's review reads it too (src/shared)
export { isModelNoise } from '../../shared/analysis';
