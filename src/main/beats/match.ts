// Labels for detected beats: each detection takes the label of the nearest reference beat within
// a tolerance (150 ms, the EC57 match window), one to one.

/**
 * For each detection (sorted sample indices), the index of its matched reference beat (sorted),
 * or -1. A detection matches the nearest reference beat within `tol` samples; when several
 * detections claim the same reference beat only the closest keeps it (the others, e.g. double
 * detections of one QRS, stay unmatched).
 */
export function matchNearest(detections: Int32Array, reference: Int32Array, tol: number): Int32Array {
  const out = new Int32Array(detections.length).fill(-1);
  const owner = new Int32Array(reference.length).fill(-1);
  let j = 0;
  for (let i = 0; i < detections.length; i++) {
    const d = detections[i]!;
    while (j + 1 < reference.length && reference[j + 1]! <= d) j++;
    // candidates: reference[j] (≤ d, or the first) and reference[j + 1] (> d)
    let best = -1;
    let bestDist = Infinity;
    for (let k = j; k <= j + 1 && k < reference.length; k++) {
      const dist = Math.abs(reference[k]! - d);
      if (dist <= tol && dist < bestDist) {
        best = k;
        bestDist = dist;
      }
    }
    if (best < 0) continue;
    const prev = owner[best]!;
    if (prev >= 0) {
      if (Math.abs(reference[best]! - detections[prev]!) <= bestDist) continue;
      out[prev] = -1;
    }
    owner[best] = i;
    out[i] = best;
  }
  return out;
}
