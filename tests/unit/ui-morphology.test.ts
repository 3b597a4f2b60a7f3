// Morphology groups the reviewer edits: paging through a group, splitting a mixed group by its
// embedding, merging groups back.
import { describe, expect, it } from 'vitest';
import { groupMembers, kmeansGroups, memberPage, mergeGroups, splitGroup, MAX_GROUPS, type Groups } from '../../src/renderer/src/lib/morphology';

/** n rows of dimension d: at rows i % 10 === 3 and 6 two ectopic shapes close to each other, far from the rest. */
function threeShapes(n: number, d: number): Float32Array {
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const off = i % 10 === 3 ? 5 : i % 10 === 6 ? 6 : 0;
    for (let t = 0; t < d; t++) x[i * d + t] = off + ((i * 7 + t * 13) % 11) / 100;
  }
  return x;
}

const check = (g: Groups, n: number) => {
  expect(g.size.length).toBe(g.k);
  expect(g.size.reduce((a, b) => a + b, 0)).toBe(n);
  for (let j = 0; j < g.k; j++) expect(groupMembers(g, j).length).toBe(g.size[j]);
};

describe('morphology group editing', () => {
  const n = 300;
  const d = 4;
  const x = threeShapes(n, d);
  // two groups asked for three shapes: one group mixes the two ectopic shapes
  const g = kmeansGroups(x, n, d, 2);

  it('pages through a group in time order, the last page short and pages clamped', () => {
    const m = groupMembers(g, 0);
    expect(Array.from(m)).toEqual([...m].sort((a, b) => a - b));
    const first = memberPage(m, 0, 12);
    expect(first.rows).toEqual(Array.from(m.subarray(0, 12)));
    expect(first.pages).toBe(Math.ceil(m.length / 12));
    const last = memberPage(m, 99, 12);
    expect(last.page).toBe(first.pages - 1);
    expect(last.rows.length).toBe(m.length - 12 * (first.pages - 1));
    expect(memberPage(new Int32Array(0), 0, 12)).toEqual({ rows: [], page: 0, pages: 1 });
  });

  it('splits a mixed group into its two shapes, side by side, later groups moved up', () => {
    check(g, n);
    const mixed = g.size[0] === 240 ? 1 : 0;
    expect(g.size[mixed]).toBe(60);
    const s = splitGroup(g, mixed, x, d)!;
    expect(s.k).toBe(3);
    check(s, n);
    expect(s.size[mixed]).toBe(30);
    expect(s.size[mixed + 1]).toBe(30);
    const a = new Set(Array.from(groupMembers(s, mixed), (i) => i % 10));
    const b = new Set(Array.from(groupMembers(s, mixed + 1), (i) => i % 10));
    expect(a.size).toBe(1);
    expect(b.size).toBe(1);
    expect([...a, ...b].sort()).toEqual([3, 6]);
    // the pure normal group keeps its members under its (possibly moved) number
    const normal = mixed === 0 ? 2 : 0;
    expect(Array.from(groupMembers(s, normal))).toEqual(Array.from(groupMembers(g, mixed === 0 ? 1 : 0)));
  });

  it('merges groups back into one and refuses splits that cannot be made', () => {
    const mixed = g.size[0] === 240 ? 1 : 0;
    const s = splitGroup(g, mixed, x, d)!;
    const m = mergeGroups(s, mixed + 1, mixed);
    expect(Array.from(m.group)).toEqual(Array.from(g.group));
    expect(Array.from(m.size)).toEqual(Array.from(g.size));
    // merging into a later group: the earlier one disappears and the numbers close up
    const m2 = mergeGroups(s, 0, 2);
    expect(m2.k).toBe(2);
    check(m2, n);
    expect(m2.size[1]).toBe(s.size[0]! + s.size[2]!);
    expect(mergeGroups(s, 1, 1)).toBe(s);

    const same = new Float32Array(10 * d).fill(1);
    const one = kmeansGroups(same, 10, d, 1);
    expect(splitGroup(one, 0, same, d)).toBeNull();
    const full: Groups = { k: MAX_GROUPS, group: new Uint8Array(n), size: Int32Array.from({ length: MAX_GROUPS }, (_, j) => (j ? 0 : n)) };
    expect(splitGroup(full, 0, x, d)).toBeNull();
  });
});
