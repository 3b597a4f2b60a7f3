// Flutter/fibrillation apart from VT in the reference (the labels a VF class would train on).
import { describe, expect, it } from 'vitest';
import { isVfAux, labelWindows, vfIntervals } from '../../src/main/rhythm/labels';

const plus = (sample: number, aux: string) => ({ sample, mnemonic: '+', aux });
const mark = (sample: number, mnemonic: string) => ({ sample, mnemonic, aux: '' });

describe('VF/VFL apart from VT', () => {
  it('names flutter and fibrillation, not VT', () => {
    for (const a of ['(VFL', '(VF', '(VFIB\0', ' (vf ']) expect(isVfAux(a)).toBe(true);
    for (const a of ['(VT', '(AFIB', '(N', '(VFX']) expect(isVfAux(a)).toBe(false);
  });

  it("marks '+' (VF/(VFL stretches and cudb's [ ] as VF, VT and the rest not", () => {
    const iv = vfIntervals([plus(0, '(N'), plus(1000, '(VT'), plus(2000, '(VFL'), plus(3000, '(VF'), plus(4000, '(N'), mark(5000, '['), mark(6000, ']')]);
    expect(Array.from(iv.start)).toEqual([0, 2000, 4000, 5000, 6000]);
    expect(Array.from(iv.cls)).toEqual([0, 1, 0, 1, 0]);
    // windows of 1000 samples: the majority decides
    expect(Array.from(labelWindows(iv, Int32Array.of(1000, 1800, 2500, 4600, 5900), 1000))).toEqual([0, 1, 1, 1, 0]);
  });

  it('a [ without ] runs to the end; a record without marks has no VF', () => {
    expect(Array.from(vfIntervals([mark(500, '[')]).cls)).toEqual([0, 1]);
    expect(Array.from(vfIntervals([]).cls)).toEqual([0]);
  });
});
