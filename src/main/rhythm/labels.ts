// Rhythm labels for the rhythm model: classes, the mapping from WFDB rhythm annotations, and the
// label of a window from the rhythm intervals that cover it.

export const RHYTHM_CLASSES = ['other', 'AF', 'VT', 'noise'] as const;
export type RhythmClass = (typeof RHYTHM_CLASSES)[number];
export const RHYTHM_OTHER = 0;
export const RHYTHM_AF = 1;
export const RHYTHM_VT = 2;
export const RHYTHM_NOISE = 3;
/** Label of a window that no class covers for at least half of its length (such windows are skipped). */
export const RHYTHM_SKIP = 255;

/**
 * Class of a WFDB rhythm annotation's aux string ("(AFIB", "(VT", ...): AF for "(AFIB"; VT for
 * ventricular tachycardia, flutter and fibrillation ("(VT", "(VFL", "(VF", "(VFIB"); noise for
 * "(NOISE"; other for every other rhythm (sinus, AFL, SVTA, bigeminy, paced, ...).
 */
export function rhythmClassOfAux(aux: string): number {
  const r = aux.replace(/\0/g, '').trim().toUpperCase();
  if (r === '(AFIB') return RHYTHM_AF;
  if (r === '(VT' || r === '(VFL' || r === '(VF' || r === '(VFIB') return RHYTHM_VT;
  if (r === '(NOISE') return RHYTHM_NOISE;
  return RHYTHM_OTHER;
}

/** Class of a PhysioNet/CinC 2017 REFERENCE.csv label: N→other, A→AF, O→other, ~→noise. */
export function rhythmClassOfCinc(label: string): number {
  switch (label.trim()) {
    case 'N':
    case 'O':
      return RHYTHM_OTHER;
    case 'A':
      return RHYTHM_AF;
    case '~':
      return RHYTHM_NOISE;
    default:
      throw new RangeError(`unknown CinC 2017 label "${label}"`);
  }
}

/** One annotation as far as rhythm is concerned (mnemonic as WFDB prints it: '+', '[', ']', 'N', ...). */
export interface RhythmMark {
  sample: number;
  mnemonic: string;
  aux: string;
}

/** A piecewise-constant labelling of a record: class[k] holds on [start[k], start[k+1]) (the last to the end). */
export interface RhythmIntervals {
  start: Int32Array;
  cls: Uint8Array;
}

/**
 * Rhythm intervals of a record from its annotations (sorted by sample):
 * - '+' rhythm-change annotations set the rhythm from their sample on (class by aux);
 * - '[' ... ']' (ventricular flutter/fibrillation onset/offset, cudb) make VT override the rhythm
 *   in between ('[' without ']' runs to the end of the record);
 * - before the first rhythm annotation, and in records without any, the rhythm is 'other'.
 */
export function rhythmIntervals(marks: readonly RhythmMark[]): RhythmIntervals {
  const starts: number[] = [0];
  const classes: number[] = [RHYTHM_OTHER];
  let base = RHYTHM_OTHER;
  let inVf = false;
  const push = (sample: number) => {
    const c = inVf ? RHYTHM_VT : base;
    const last = starts.length - 1;
    if (classes[last] === c) return;
    if (starts[last] === sample) {
      classes[last] = c;
      if (last > 0 && classes[last - 1] === c) {
        starts.pop();
        classes.pop();
      }
      return;
    }
    starts.push(sample);
    classes.push(c);
  };
  for (const m of marks) {
    if (m.mnemonic === '+' && m.aux.replace(/\0/g, '').trim().startsWith('(')) base = rhythmClassOfAux(m.aux);
    else if (m.mnemonic === '[') inVf = true;
    else if (m.mnemonic === ']') inVf = false;
    else continue;
    push(Math.max(0, m.sample));
  }
  return { start: Int32Array.from(starts), cls: Uint8Array.from(classes) };
}

/** Intervals of a record with a single label throughout (CinC 2017). */
export function constantIntervals(cls: number): RhythmIntervals {
  return { start: Int32Array.of(0), cls: Uint8Array.of(cls) };
}

/** Severity order for ties at exactly 50 %: VT, then AF, then noise, then other. */
const PRIORITY = [0, 2, 3, 1]; // indexed by class: other 0, AF 2, VT 3, noise 1

/**
 * Label of each window [startSample[i], startSample[i] + length) at the record's rate: the class
 * covering at least `minFraction` (default 0.5) of it; RHYTHM_SKIP when none does. A tie at
 * exactly 50 % goes to the more severe class (VT > AF > noise > other). Windows must be sorted by start.
 * The part of a window past `nFrames` (padding of a short record) counts for the last class.
 */
export function labelWindows(iv: RhythmIntervals, startSample: Int32Array, length: number, minFraction = 0.5): Uint8Array {
  const out = new Uint8Array(startSample.length);
  const cover = new Float64Array(RHYTHM_CLASSES.length);
  const m = iv.start.length;
  let k = 0;
  for (let w = 0; w < startSample.length; w++) {
    const a = startSample[w]!;
    const b = a + length;
    while (k + 1 < m && iv.start[k + 1]! <= a) k++;
    cover.fill(0);
    for (let j = k; j < m && iv.start[j]! < b; j++) {
      const s = Math.max(a, iv.start[j]!);
      const e = j + 1 < m ? Math.min(b, iv.start[j + 1]!) : b;
      if (e > s) cover[iv.cls[j]!]! += e - s;
    }
    let best = RHYTHM_SKIP;
    for (let c = 0; c < cover.length; c++) {
      if (cover[c]! < minFraction * length) continue;
      if (best === RHYTHM_SKIP || cover[c]! > cover[best]! || (cover[c] === cover[best] && PRIORITY[c]! > PRIORITY[best]!)) best = c;
    }
    out[w] = best;
  }
  return out;
}

/** True for a rhythm aux string of ventricular flutter or fibrillation ("(VFL", "(VF", "(VFIB"), not VT. */
export function isVfAux(aux: string): boolean {
  const r = aux.replace(/\0/g, '').trim().toUpperCase();
  return r === '(VFL' || r === '(VF' || r === '(VFIB';
}

/**
 * Flutter/fibrillation apart from VT (the rhythm model's VT class unites them): intervals of class
 * 1 where the reference says ventricular flutter or fibrillation ('+' "(VFL", "(VF", "(VFIB", or
 * cudb's '[' ... ']'), 0 elsewhere; labelWindows gives each window's majority.
 */
export function vfIntervals(marks: readonly RhythmMark[]): RhythmIntervals {
  const starts: number[] = [0];
  const classes: number[] = [0];
  let rhythmVf = false;
  let bracket = false;
  for (const m of marks) {
    if (m.mnemonic === '+' && m.aux.replace(/\0/g, '').trim().startsWith('(')) rhythmVf = isVfAux(m.aux);
    else if (m.mnemonic === '[') bracket = true;
    else if (m.mnemonic === ']') bracket = false;
    else continue;
    const c = rhythmVf || bracket ? 1 : 0;
    const at = Math.max(0, m.sample);
    if (classes[classes.length - 1] === c) continue;
    if (starts[starts.length - 1] === at) classes[classes.length - 1] = c;
    else {
      starts.push(at);
      classes.push(c);
    }
  }
  return { start: Int32Array.from(starts), cls: Uint8Array.from(classes) };
}
