// Full-disclosure pages: a minute a line, pages clamped to the record, a click's second.
import { describe, expect, it } from 'vitest';
import { baseline, disclosurePage, pageOfSec, secAt } from '../../src/renderer/src/lib/disclosure';

describe('full disclosure layout', () => {
  it('cuts a 24-h record into pages of minute lines, the last page short', () => {
    const day = 24 * 3600;
    const first = disclosurePage(0, day, 60, 30);
    expect(first.pages).toBe(48);
    expect(first.lines).toEqual(Array.from({ length: 30 }, (_, k) => k * 60));
    const last = disclosurePage(99, day + 90, 60, 30);
    expect(last.page).toBe(48);
    expect(last.lines).toEqual([day, day + 60]);
    expect(disclosurePage(-3, 600, 60, 30)).toEqual({ page: 0, pages: 1, lines: Array.from({ length: 10 }, (_, k) => k * 60) });
  });

  it('finds the page of a second and the second under a point', () => {
    expect(pageOfSec(0, 60, 30)).toBe(0);
    expect(pageOfSec(1799.9, 60, 30)).toBe(0);
    expect(pageOfSec(1800, 60, 30)).toBe(1);
    const p = disclosurePage(1, 7200, 60, 30);
    const o = { left: 60, width: 600, lineH: 20, lineSec: 60, top: 4 };
    expect(secAt(p, 60, 4, o)).toBe(1800);
    expect(secAt(p, 360, 4 + 2 * 20 + 5, o)).toBe(1800 + 120 + 30);
    expect(secAt(p, 30, 10, o)).toBeNull();
    expect(secAt(p, 100, 4 + 30 * 20 + 1, o)).toBeNull();
  });

  it('takes the median column mid-point as a line baseline, ignoring empty columns', () => {
    const min = Float32Array.from([0, 1, NaN, 2, 10]);
    const max = Float32Array.from([2, 1, NaN, 2, 12]);
    expect(baseline(min, max, 0, 5)).toBe(2);
    expect(baseline(min, max, 2, 3)).toBe(0);
  });
});
