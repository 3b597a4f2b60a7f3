// Morphology groups, the way Holter scanners review templates: beats clustered by the beat
// model's embedding (k-means, k-means++ seeding with a fixed seed so groups are stable between
// sessions; fitted on a sample, then every beat assigned to its nearest centroid). The reviewer
// pages through a group's members, splits a mixed group in two and merges groups that are one.

import { mulberry32 } from '../../../shared/prng';

/** Groups the reviewer may reach by splitting (group numbers are stored in a Uint8Array). */
export const MAX_GROUPS = 64;

export interface Groups {
  k: number;
  /** Group of each beat (index into the embedding rows); as clustered, group 0 is the largest. */
  group: Uint8Array;
  /** Beats per group. */
  size: Int32Array;
}

function dist2(x: Float32Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  const a = i * d;
  const b = j * d;
  for (let t = 0; t < d; t++) {
    const v = x[a + t]! - c[b + t]!;
    s += v * v;
  }
  return s;
}

/** Clusters n rows of dimension d into at most k groups. */
export function kmeansGroups(x: Float32Array, n: number, d: number, k: number, opts: { sample?: number; iterations?: number; seed?: number } = {}): Groups {
  const kk = Math.max(1, Math.min(k, n));
  const rand = mulberry32(opts.seed ?? 1);
  const sampleN = Math.min(n, opts.sample ?? 4000);
  const rows = new Int32Array(sampleN);
  for (let i = 0; i < sampleN; i++) rows[i] = sampleN === n ? i : Math.floor((i * n) / sampleN);
  const c = new Float64Array(kk * d);
  // k-means++ seeding on the sample.
  const first = rows[Math.floor(rand() * sampleN)]!;
  for (let t = 0; t < d; t++) c[t] = x[first * d + t]!;
  const best = new Float64Array(sampleN).fill(Infinity);
  for (let j = 1; j < kk; j++) {
    let total = 0;
    for (let s = 0; s < sampleN; s++) {
      best[s] = Math.min(best[s]!, dist2(x, rows[s]!, c, j - 1, d));
      total += best[s]!;
    }
    let r = rand() * total;
    let pick = sampleN - 1;
    for (let s = 0; s < sampleN; s++) {
      r -= best[s]!;
      if (r <= 0) {
        pick = s;
        break;
      }
    }
    for (let t = 0; t < d; t++) c[j * d + t] = x[rows[pick]! * d + t]!;
  }
  const assign = new Uint8Array(sampleN);
  for (let it = 0; it < (opts.iterations ?? 15); it++) {
    let moved = 0;
    for (let s = 0; s < sampleN; s++) {
      let bj = 0;
      let bd = Infinity;
      for (let j = 0; j < kk; j++) {
        const dd = dist2(x, rows[s]!, c, j, d);
        if (dd < bd) {
          bd = dd;
          bj = j;
        }
      }
      if (assign[s] !== bj || it === 0) moved++;
      assign[s] = bj;
    }
    const sum = new Float64Array(kk * d);
    const cnt = new Int32Array(kk);
    for (let s = 0; s < sampleN; s++) {
      const j = assign[s]!;
      cnt[j]!++;
      for (let t = 0; t < d; t++) sum[j * d + t]! += x[rows[s]! * d + t]!;
    }
    for (let j = 0; j < kk; j++) if (cnt[j]) for (let t = 0; t < d; t++) c[j * d + t] = sum[j * d + t]! / cnt[j]!;
    if (!moved) break;
  }
  // Assign every beat, then renumber groups by size.
  const raw = new Uint8Array(n);
  const size = new Int32Array(kk);
  for (let i = 0; i < n; i++) {
    let bj = 0;
    let bd = Infinity;
    for (let j = 0; j < kk; j++) {
      const dd = dist2(x, i, c, j, d);
      if (dd < bd) {
        bd = dd;
        bj = j;
      }
    }
    raw[i] = bj;
    size[bj]!++;
  }
  const order = Array.from({ length: kk }, (_, j) => j).sort((a, b) => size[b]! - size[a]! || a - b);
  const rank = new Uint8Array(kk);
  order.forEach((j, r) => (rank[j] = r));
  const group = raw.map((g) => rank[g]!);
  return { k: kk, group, size: Int32Array.from(order, (j) => size[j]!) };
}

/** Up to `count` members of group g, spread evenly over the record. */
export function groupExamples(groups: Groups, g: number, count: number): number[] {
  const members: number[] = [];
  for (let i = 0; i < groups.group.length; i++) if (groups.group[i] === g) members.push(i);
  if (members.length <= count) return members;
  return Array.from({ length: count }, (_, j) => members[Math.floor(((j + 0.5) * members.length) / count)]!);
}

/** Rows (beat-table indexes, in time order) of group g. */
export function groupMembers(groups: Groups, g: number): Int32Array {
  const out = new Int32Array(groups.size[g] ?? 0);
  let n = 0;
  for (let i = 0; i < groups.group.length; i++) if (groups.group[i] === g) out[n++] = i;
  return out;
}

/** One page of a group's members: `page` is clamped to the pages there are. */
export function memberPage(members: ArrayLike<number>, page: number, perPage: number): { rows: number[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(members.length / perPage));
  const p = Math.max(0, Math.min(pages - 1, Math.floor(page)));
  const rows: number[] = [];
  for (let i = p * perPage; i < Math.min(members.length, (p + 1) * perPage); i++) rows.push(members[i]!);
  return { rows, page: p, pages };
}

/**
 * Splits group g in two by k-means on its members' embedding rows: the larger part keeps number
 * g, the smaller becomes g + 1 and later groups move up one. Null when the group cannot be split
 * (fewer than two members, members all alike, or MAX_GROUPS reached).
 */
export function splitGroup(groups: Groups, g: number, x: Float32Array, d: number): Groups | null {
  if (groups.k >= MAX_GROUPS) return null;
  const rows = groupMembers(groups, g);
  if (rows.length < 2) return null;
  const sub = new Float32Array(rows.length * d);
  rows.forEach((r, j) => sub.set(x.subarray(r * d, (r + 1) * d), j * d));
  const parts = kmeansGroups(sub, rows.length, d, 2);
  if (parts.k < 2 || parts.size[1]! === 0) return null;
  const group = groups.group.map((v) => (v > g ? v + 1 : v));
  rows.forEach((r, j) => (group[r] = g + parts.group[j]!));
  const size = new Int32Array(groups.k + 1);
  size.set(groups.size.subarray(0, g), 0);
  size[g] = parts.size[0]!;
  size[g + 1] = parts.size[1]!;
  size.set(groups.size.subarray(g + 1), g + 2);
  return { k: groups.k + 1, group, size };
}

/** Moves every member of group `from` into group `into` and removes `from` (later groups move down one). */
export function mergeGroups(groups: Groups, from: number, into: number): Groups {
  if (from === into || from < 0 || into < 0 || from >= groups.k || into >= groups.k) return groups;
  const target = into > from ? into - 1 : into;
  const group = groups.group.map((v) => (v === from ? target : v > from ? v - 1 : v));
  const size = new Int32Array(groups.k - 1);
  for (let j = 0, o = 0; j < groups.k; j++) if (j !== from) size[o++] = groups.size[j]!;
  size[target]! += groups.size[from]!;
  return { k: groups.k - 1, group, size };
}
