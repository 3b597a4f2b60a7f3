// Scatter points straight into a canvas's pixels: the Poincaré plot of a 24-hour Holter has
// 100 000 points, and one fillRect per point (with its fillStyle) cost ~130 ms per redraw.

/** '#rrggbb' as a pixel of a little-endian RGBA Uint32Array view (0xAABBGGRR), opaque. */
export function rgba(hex: string): number {
  const v = parseInt(hex.slice(1, 7), 16);
  return ((0xff << 24) | ((v & 0xff) << 16) | (v & 0xff00) | ((v >> 16) & 0xff)) >>> 0;
}

/** squareCorners() of a point that is not there. */
export const NO_POINT = -2147483648;

/**
 * Device-pixel top-left corners of `size`-pixel squares centred on the points (x_k, y_k) in
 * CSS pixels at `dpr`, rounded: computed once per point set, painted on every redraw.
 */
export function squareCorners(xs: Float32Array, ys: Float32Array, dpr: number, size: number): Int32Array {
  const out = new Int32Array(xs.length * 2);
  const h = size / 2;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    const y = ys[k]!;
    // NaN (no point) as the Int32 minimum: paintSquare clips it away
    out[2 * k] = Number.isFinite(x) && Number.isFinite(y) ? Math.round(x * dpr - h) : NO_POINT;
    out[2 * k + 1] = Number.isFinite(x) && Number.isFinite(y) ? Math.round(y * dpr - h) : NO_POINT;
  }
  return out;
}

/** Fills the size × size square whose top-left corner is (x, y) (device pixels, clipped). */
export function paintSquare(buf: Uint32Array, width: number, height: number, x: number, y: number, size: number, colour: number): void {
  const rx = Math.round(x);
  const ry = Math.round(y);
  const x0 = Math.max(0, rx);
  const y0 = Math.max(0, ry);
  const x1 = Math.min(width, rx + size);
  const y1 = Math.min(height, ry + size);
  // plain stores: fill() per 2-pixel row cost more than the pixels
  for (let r = y0; r < y1; r++) for (let i = r * width + x0, e = r * width + x1; i < e; i++) buf[i] = colour;
}
