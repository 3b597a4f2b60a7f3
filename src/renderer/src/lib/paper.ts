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

/** The standard speed that `speed` is (within 0.5 %, i.e. float noise of a zoom), or null. */
export function standardSpeed(speed: number): number | null {
  return SPEEDS.find((s) => Math.abs(speed / s - 1) < 0.005) ?? null;
}

/**
 * The next speed one zoom step in (`dir` 1) or out (-1): the ladder 25 × 2^k, which holds every
 * standard speed (6.25 … 100), so the +/− keys land on paper speeds; from a speed off the ladder
 * (after a wheel zoom) the step goes to the nearest ladder speed in that direction.
 */
export function stepSpeed(speed: number, dir: 1 | -1): number {
  const k = Math.log2(speed / 25);
  const eps = 0.007; // ≈ 0.5 %: a speed that is already on the ladder counts as on it
  return 25 * 2 ** (dir > 0 ? Math.floor(k + eps) + 1 : Math.ceil(k - eps) - 1);
}

/**
 * The speed read-out: a standard speed exactly ("25 mm/s"); a free (wheel) zoom honestly but
 * rounded, marked ≈ when the rounding hides more than float noise ("≈ 57 mm/s", "≈ 3.1 mm/s",
 * but "400 mm/s"); under 2 mm/s, where the trace is an overview and no longer paper (the grid is
 * gone), the time the screen spans ("10 min / screen").
 */
export function formatSpeed(speed: number, spanSec: number): string {
  const std = standardSpeed(speed);
  if (std !== null) return `${std} mm/s`;
  if (speed < 2) return `${formatSpan(spanSec)} / screen`;
  const shown = speed >= 10 ? Math.round(speed) : Math.round(speed * 10) / 10;
  return `${Math.abs(shown / speed - 1) < 0.005 ? '' : '≈ '}${speed >= 10 ? shown : shown.toFixed(1)} mm/s`;
}

/** A screen's time span to two significant figures: "45 s", "8.5 min", "2.4 h". */
export function formatSpan(sec: number): string {
  const [v, unit] = sec < 90 ? [sec, 's'] : sec < 5400 ? [sec / 60, 'min'] : [sec / 3600, 'h'];
  return `${v >= 10 ? Math.round(v) : (Math.round(v * 10) / 10).toString()} ${unit}`;
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
