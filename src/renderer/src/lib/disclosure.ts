// Full disclosure: the whole record as pages of lines (one minute a line), the way Holter
// scanners show it. Pure layout arithmetic for the view (FullDisclosure.svelte) and its tests.

export interface DisclosurePage {
  /** Page index (0-based) and how many there are. */
  page: number;
  pages: number;
  /** Start of each line on this page, in seconds. */
  lines: number[];
}

/** The page holding second `sec`, lines of `lineSec` seconds, `perPage` lines a page. */
export function pageOfSec(sec: number, lineSec: number, perPage: number): number {
  return Math.max(0, Math.floor(Math.max(0, sec) / (lineSec * perPage)));
}

/** Page `page` (clamped to the record) of a record `durationSec` long. */
export function disclosurePage(page: number, durationSec: number, lineSec: number, perPage: number): DisclosurePage {
  const pages = Math.max(1, Math.ceil(durationSec / (lineSec * perPage)));
  const p = Math.max(0, Math.min(pages - 1, Math.floor(page)));
  const lines: number[] = [];
  for (let k = 0; k < perPage; k++) {
    const t = (p * perPage + k) * lineSec;
    if (t >= durationSec) break;
    lines.push(t);
  }
  return { page: p, pages, lines };
}

/** The second under a point of the page: line `y / lineH`, `x` across the plot width; null off the lines. */
export function secAt(p: DisclosurePage, x: number, y: number, o: { left: number; width: number; lineH: number; lineSec: number; top: number }): number | null {
  const k = Math.floor((y - o.top) / o.lineH);
  const start = p.lines[k];
  if (start === undefined || x < o.left || x > o.left + o.width) return null;
  return start + ((x - o.left) / o.width) * o.lineSec;
}

/** Median of the finite column mid-points: the line's baseline, so each line sits centred in its row. */
export function baseline(min: Float32Array, max: Float32Array, from: number, to: number): number {
  const mids: number[] = [];
  for (let c = from; c < to; c++) {
    const m = (min[c]! + max[c]!) / 2;
    if (Number.isFinite(m)) mids.push(m);
  }
  if (!mids.length) return 0;
  mids.sort((a, b) => a - b);
  return mids[mids.length >> 1]!;
}
