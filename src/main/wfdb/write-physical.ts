// Signals in physical units (mV) written as a format-16 record: what a script or a test does to
// store a real record changed (a lead off, another rate, another lead order) for the analysis to read.
import { INVALID } from './formats';
import { writeRecord } from './writer';

export interface PhysicalSignal {
  /** Values in `units`; NaN is stored as the invalid sample. */
  values: Float32Array;
  /** ADC units per unit. */
  gain: number;
  description: string;
  /** Default mV. */
  units?: string;
}

/** Writes `dir/name.hea` and `.dat` (format 16, baseline 0) holding `signals` at `fs`. */
export async function writePhysicalRecord(dir: string, name: string, fs: number, signals: readonly PhysicalSignal[]): Promise<void> {
  await writeRecord(dir, name, {
    fs,
    // 32-bit on the way, so that a value format 16 cannot hold is refused by writeRecord (naming the
    // file and sample) rather than wrapped; one that rounds onto the invalid code is out of range too
    signals: signals.map((s) =>
      Int32Array.from(s.values, (v) => {
        if (Number.isNaN(v)) return INVALID;
        const r = Math.round(v * s.gain);
        return r === INVALID ? INVALID - 1 : r;
      })
    ),
    specs: signals.map((s) => ({
      format: 16 as const,
      adcGain: s.gain,
      baseline: 0,
      units: s.units ?? 'mV',
      adcResolution: 16,
      adcZero: 0,
      description: s.description,
    })),
  });
}
