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

/** The name written on an episode's band when it fits (`measure`: its width in pixels, 4 px spare), else null. */
export function bandLabel(name: string, bandPx: number, measure: (text: string) => number): string | null {
  return measure(name) + 4 <= bandPx ? name : null;
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
