// Short stretches of signal around beats for the morphology groups (SnippetCache, lib/snippet-cache.ts)
// and their drawing: beats superimposed on a small canvas.
import { fitCanvas } from './canvas';

export { SnippetCache, centredSnippet } from './snippet-cache';

/**
 * Draws beats superimposed on a w × h canvas in `colour`, each centred on its own median so
 * baseline wander does not smear the template; one scale for all so their sizes compare.
 */
export function drawSnippets(canvas: HTMLCanvasElement, set: readonly Float32Array[], colour: string, w: number, h: number, alpha = 0.45): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  fitCanvas(canvas, ctx, w, h);
  const centred = set.map((tr) => {
    const finite = Float32Array.from(tr.filter(Number.isFinite)).sort();
    const med = finite[finite.length >> 1] ?? 0;
    return tr.map((v) => v - med);
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const tr of centred)
    for (const v of tr) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!(hi > lo)) return;
  ctx.strokeStyle = colour;
  ctx.globalAlpha = alpha;
  for (const tr of centred) {
    ctx.beginPath();
    // a line through the frames the record has (none past its ends)
    let pen = false;
    tr.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        pen = false;
        return;
      }
      const x = (i / Math.max(1, tr.length - 1)) * w;
      const y = h - 4 - ((v - lo) / (hi - lo)) * (h - 8);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    });
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}
