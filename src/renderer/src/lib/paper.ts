// ECG paper geometry: speed (mm/s) and gain (mm/mV) to pixels, and which grid lines to draw
// (1 mm and 5 mm, i.e. 40/200 ms and 0.1/0.5 mV at 25 mm/s and 10 mm/mV).

/** CSS pixels per millimetre (96 dpi), the scale a browser uses for `mm`. */
export const PX_PER_MM = 96 / 25.4;
export const SPEEDS = [6.25, 12.5, 25, 50, 100] as const;
export const GAINS = [2.5, 5, 10, 20, 40] as const;

export function pxPerSecond(speedMmPerSec: number): number {
  return speedMmPerSec * PX_PER_MM;
}

export function pxPerMillivolt(gainMmPerMv: number): number {
  return gainMmPerMv * PX_PER_MM;
}

export function speedOf(pxPerSec: number): number {
  return pxPerSec / PX_PER_MM;
}

export interface GridLines {
  /** Line positions in px from the left, minor (1 mm) and major (5 mm). */
  minorX: number[];
  majorX: number[];
  minorY: number[];
  majorY: number[];
}

/**
 * Grid lines for a view starting at `startSec` (seconds at x = 0), of `width` × `height` px,
 * with the 0 mV line at `zeroY` repeated per lead. Paper millimetres follow the displayed speed
 * and gain; minor lines are left out when they would be closer than `minGapPx` or the speed is
 * under 10 mm/s, and the grid altogether under 2 mm/s (an overview, not paper).
 */
export function gridLines(startSec: number, pxPerSec: number, width: number, height: number, pxPerMv: number, gainMmPerMv: number, minGapPx = 3): GridLines {
  // 1 mm of paper on the time axis, in seconds, at the displayed speed (always 1 mm = PX_PER_MM px).
  const mmSec = PX_PER_MM / pxPerSec;
  const out: GridLines = { minorX: [], majorX: [], minorY: [], majorY: [] };
  const pxPerMm = pxPerMv / gainMmPerMv;
  if (pxPerMm * 5 < minGapPx) return out;
  // Below 10 mm/s the 1 mm lines only blur the trace; below 2 mm/s the paper has no meaning.
  const speed = pxPerSec / PX_PER_MM;
  if (speed < 2) return out;
  const drawMinor = pxPerMm >= minGapPx && speed >= 10;
  const first = Math.floor(startSec / mmSec);
  const last = Math.ceil((startSec + width / pxPerSec) / mmSec);
  if (last - first > 20_000) return out;
  for (let k = first; k <= last; k++) {
    const x = (k * mmSec - startSec) * pxPerSec;
    if (k % 5 === 0) out.majorX.push(x);
    else if (drawMinor) out.minorX.push(x);
  }
  for (let k = 0; k * pxPerMm <= height; k++) {
    const y = k * pxPerMm;
    if (k % 5 === 0) out.majorY.push(y);
    else if (drawMinor) out.minorY.push(y);
  }
  return out;
}
