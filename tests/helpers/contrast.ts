// WCAG 2 text contrast from computed CSS colours: the e2e accessibility test reads each text's
// colour and the backgrounds painted under it from the page, and these pure functions judge them.

/** Red, green, blue (0–255) and alpha (0–1). */
export type Rgba = [number, number, number, number];

/** A computed CSS colour (`rgb(…)`, `rgba(…)`, `#rrggbb`, `transparent`) as RGBA; null for anything else. */
export function parseColour(css: string): Rgba | null {
  const s = css.trim().toLowerCase();
  if (s === 'transparent') return [0, 0, 0, 0];
  const hex = /^#([0-9a-f]{6})([0-9a-f]{2})?$/.exec(s);
  if (hex) {
    const n = parseInt(hex[1]!, 16);
    return [n >> 16, (n >> 8) & 255, n & 255, hex[2] ? parseInt(hex[2], 16) / 255 : 1];
  }
  const m = /^rgba?\(([^)]+)\)$/.exec(s);
  if (!m) return null;
  const parts = m[1]!
    .split(/[\s,/]+/)
    .filter(Boolean)
    .map(Number);
  if (parts.length < 3 || parts.some((p) => !Number.isFinite(p))) return null;
  return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
}

/** `top` painted over an opaque `bottom` (source-over). */
export function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [top[0] * a + bottom[0] * (1 - a), top[1] * a + bottom[1] * (1 - a), top[2] * a + bottom[2] * (1 - a), 1];
}

/** Relative luminance (WCAG 2). */
export function luminance([r, g, b]: Rgba): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Contrast ratio of two opaque colours, 1–21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** The ratio AA asks of text this size: 3 for large text (≥ 24 px, or ≥ 18.66 px bold), else 4.5. */
export function requiredRatio(fontPx: number, weight: number): number {
  return fontPx >= 24 || (fontPx >= 18.66 && weight >= 700) ? 3 : 4.5;
}

/**
 * The contrast of a text colour over the layers painted under it, topmost first (the text's own
 * element, then what lies below; the page's background last). Layers are composed bottom-up over
 * `page`; `opacity` is the text's own opacity (its ancestors' multiplied).
 */
export function textContrast(text: string, layers: readonly string[], page: string, opacity = 1): number {
  let bg = parseColour(page) ?? [0, 0, 0, 1];
  for (const l of [...layers].reverse()) {
    const c = parseColour(l);
    if (c && c[3] > 0) bg = over(c, bg);
  }
  const fg = parseColour(text);
  if (!fg) return NaN;
  return contrastRatio(over([fg[0], fg[1], fg[2], fg[3] * opacity], bg), bg);
}
