// A real record rewritten as other records store their signals (another lead order, a blood
// pressure beside the ECG, a lead off, microvolts): format 16, with the source's reference beats.
import { join } from 'node:path';
import { openRecord, readAnnotations, writeAnnotations, writeRecord } from '../../src/main/wfdb';

export interface RewrittenSignal {
  description: string;
  /** Default mV. */
  units?: string;
  /** ADC units per unit; default the source's lead 0 gain. */
  gain?: number;
  /** The signal's values in its units, from the source's leads (physical, mV). */
  from: (leads: Float32Array[]) => Float32Array;
}

/** Writes `src` as `dir/name` with the signals of `layout` and the source's .atr; returns the record's path. */
export async function rewriteRecord(src: string, dir: string, name: string, layout: readonly RewrittenSignal[]): Promise<string> {
  const rec = await openRecord(src);
  const leads = await rec.readPhysical(0, rec.nFrames);
  const sourceGain = rec.header.signals[0]!.adcGain || 200;
  await rec.close();
  const gainOf = (l: RewrittenSignal) => l.gain ?? sourceGain;
  await writeRecord(dir, name, {
    fs: rec.fs,
    signals: layout.map((l) => Int16Array.from(l.from(leads), (v) => Math.round(v * gainOf(l)))),
    specs: layout.map((l) => ({
      format: 16 as const,
      adcGain: gainOf(l),
      baseline: 0,
      units: l.units ?? 'mV',
      adcResolution: 16,
      adcZero: 0,
      description: l.description,
    })),
  });
  await writeAnnotations(join(dir, `${name}.atr`), await readAnnotations(src, 'atr'));
  return join(dir, name);
}
