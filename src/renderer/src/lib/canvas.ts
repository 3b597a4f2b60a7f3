// Canvas plumbing shared by the panels that draw on a <canvas>: sizing for the device pixel ratio,
// and coalescing redraw requests into one animation frame.

/** Background of the side panels' canvases (overview, tachogram, Poincaré, morphology). */
export const PANEL_BACKGROUND = '#0d1116';

/**
 * Gives the canvas a backing store of w × h CSS pixels at the device pixel ratio, maps drawing to
 * CSS pixels and fills the background. Setting the size always clears the canvas and resets the
 * context's state, so every draw starts from the defaults. (The ECG trace, redrawn at frame rate,
 * resizes only when its size changes instead.)
 */
export function fitCanvas(canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D, w: number, h: number, background = PANEL_BACKGROUND): void {
  const dpr = window.devicePixelRatio || 1;
  canvas.width = Math.round(w * dpr);
  canvas.height = Math.round(h * dpr);
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
