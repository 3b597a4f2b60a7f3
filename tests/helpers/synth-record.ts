// A synthesized record, altered by the test where it likes (a flat line, noise), written as a WFDB
// record in its own format and gain: what the analysis then opens like any other record.
import { join } from 'node:path';
import { signalSpecs, type SynthResult } from '../../src/main/synth';
import { writeAnnotations, writeRecord } from '../../src/main/wfdb';

/** Writes `r`'s signals as `dir/name` (header + signal file, no annotations); returns the record's path. */
export async function writeSynthesized(dir: string, name: string, r: SynthResult): Promise<string> {
  await writeRecord(dir, name, {
    fs: r.fs,
    signals: r.signals,
    specs: signalSpecs(r),
  });
  return join(dir, name);
}

/** A signal of a rewritten synthesized record: lead k of `r` (flat: the lead off), or an arterial pressure in mmHg. */
export type SynthSignal = { lead: number; flat?: boolean } | 'ABP';

/** Writes `r` as `dir/name` with the signals of `layout` (format 16) and `r`'s reference beats; returns the record's path. */
export async function writeSynthSignals(dir: string, name: string, r: SynthResult, layout: readonly SynthSignal[]): Promise<string> {
  const specs = signalSpecs(r);
  await writeRecord(dir, name, {
    fs: r.fs,
    signals: layout.map((s) =>
      s === 'ABP'
        ? Int16Array.from(r.signals[0]!, (_, i) => Math.round(100 * (90 + 30 * Math.sin(i / 60))))
        : s.flat
          ? new Int16Array(r.signals[s.lead]!.length)
          : r.signals[s.lead]!
    ),
    specs: layout.map((s) =>
      s === 'ABP' ? { ...specs[0]!, format: 16, adcGain: 100, baseline: 0, adcZero: 0, units: 'mmHg', description: 'ABP' } : { ...specs[s.lead]!, format: 16 }
    ),
  });
  await writeAnnotations(join(dir, `${name}.atr`), r.annotations);
  return join(dir, name);
}
