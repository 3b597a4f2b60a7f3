// The overview strip (minimap) of the whole record: envelope of one lead, PVC density per pixel
// and rhythm bands. Pure geometry + drawing on a small context interface.
import type { Ctx } from './draw';
import { LABEL_ORDER, STATUS, type ReviewBeats } from './beats';

const V_CODE = LABEL_ORDER.indexOf('V');

/** V-labelled beats per pixel column over the whole record. */
export function pvcDensity(b: ReviewBeats, threshold: number, nFrames: number, width: number): Uint16Array {
  const out = new Uint16Array(width);
  if (!nFrames) return out;
  const codes = b.labelCodes(threshold);
  const status = b.statusCodes();
  for (let i = 0; i < b.count; i++) {
    if (codes[i] !== V_CODE || status[i] === STATUS.deleted) continue;
    const c = Math.min(width - 1, Math.floor((b.sample[i]! / nFrames) * width));
    out[c]!++;
  }
  return out;
}

/** An episode's band on the strip, px: [x0, x1) (drawn at least 2 px wide), its name (episodeName) and that cut short (EPISODE_SHORT_NAMES). */
export interface Band {
  x0: number;
  x1: number;
  name: string;
  short: string;
}

/** Where a band's name is written: on it (dark on the band's colour) or beside it in the band row (light on the strip). */
export interface BandLabel {
  text: string;
  x: number;
  on: boolean;
}

/**
 * Room between a band and a name beside it, px; at least twice that from the name to any other band,
 * so a name between two bands reads as the nearer's; the spare a name on a band needs.
 */
const GAP = 2;
const APART = 2 * GAP;
const SPARE = 4;

/**
 * What each band of the strip says (WCAG 1.4.1: a short VT run and a pause are bands of a pixel or
 * two whose colour alone told them apart): its name on it where it fits; else the same word beside
 * it in the band row, to its right, else its left, where that clears the strip's ends, every band and
 * every name placed before; else, the same ways, its short name (P for a pause); else null (a crowd
 * of short bands: the band's tooltip names it, and a name beside a neighbour of its type stands for
 * the crowd).
 */
export function bandLabels(bands: readonly Band[], measure: (text: string) => number, width: number): (BandLabel | null)[] {
  // the row's pixels taken by a band or a name: linear in the bands (a noisy 24-hour record has thousands)
  const taken = new Uint8Array(Math.max(0, Math.ceil(width)));
  const take = (a: number, z: number) => taken.fill(1, Math.max(0, Math.floor(a)), Math.max(0, Math.ceil(z)));
  const clear = (a: number, z: number) => a >= 0 && z <= width && taken.subarray(Math.floor(a), Math.ceil(z)).every((t) => !t);
  for (const b of bands) take(b.x0, b.x1);
  const label = (b: Band, text: string): BandLabel | null => {
    const w = measure(text);
    if (w + SPARE <= b.x1 - b.x0) return { text, x: b.x0 + SPARE / 2, on: true };
    for (const [a, free0, free1] of [
      [b.x1 + GAP, b.x1 + GAP, b.x1 + GAP + w + APART],
      [b.x0 - GAP - w, b.x0 - GAP - w - APART, b.x0 - GAP],
    ] as const) {
      if (!clear(free0, free1)) continue;
      take(a - GAP, a + w + GAP);
      return { text, x: a, on: false };
    }
    return null;
  };
  return bands.map((b) => label(b, b.name) ?? (b.short !== b.name ? label(b, b.short) : null));
}

/** The band under pixel x (the nearest within `slop` px, so a band a pixel wide can be pointed at), or -1. */
export function bandAt(bands: readonly Band[], x: number, slop = 3): number {
  let best = -1;
  let dist = slop;
  bands.forEach((b, i) => {
    const d = x < b.x0 ? b.x0 - x : x >= b.x1 ? x - b.x1 : 0;
    if (d <= dist && (best < 0 || d < dist || b.x1 - b.x0 < bands[best]!.x1 - bands[best]!.x0)) {
      best = i;
      dist = d;
    }
  });
  return best;
}

export function drawDensity(ctx: Ctx, density: Uint16Array, bottom: number, maxH: number): void {
  let peak = 0;
  for (const d of density) if (d > peak) peak = d;
  if (!peak) return;
  ctx.fillStyle = '#ff5252';
  for (let c = 0; c < density.length; c++) {
    const d = density[c]!;
    if (!d) continue;
    const h = Math.max(2, (Math.sqrt(d) / Math.sqrt(peak)) * maxH);
    ctx.fillRect(c, bottom - h, 1, h);
  }
}
