// Canvas plumbing shared by the panels that draw on a <canvas>: sizing for the device pixel ratio,
// and coalescing redraw requests into one animation frame.

/** Background of the side panels' canvases (overview, tachogram, Poincaré, morphology). */
export const PANEL_BACKGROUND = '#0d1116';

/**
 * Gives the canvas a backing store of w × h CSS pixels at the device pixel ratio, maps drawing to
 * CSS pixels and fills the background; every draw starts from the context's defaults. The backing
 * store is reallocated only when its size changes: setting a canvas's width or height, even to the
 * same value, allocates a new one and hands the compositor a new buffer (the tachogram redraws on
 * every navigation key).
 */
export function fitCanvas(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, w: number, h: number, background = PANEL_BACKGROUND): void {
  const dpr = window.devicePixelRatio || 1;
  const pw = Math.round(w * dpr);
  const ph = Math.round(h * dpr);
  if (canvas.width !== pw || canvas.height !== ph) {
    canvas.width = pw;
    canvas.height = ph;
  } else ctx.reset();
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, w, h);
}

/** Calls draw at the next animation frame, once however often schedule() is called before it. */
export function frameCoalescer(draw: () => void): { schedule: () => void; cancel: () => void } {
  let frame = 0;
  return {
    schedule() {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        draw();
      });
    },
    cancel() {
      if (frame) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
