// A real record rewritten as other records store their signals (another lead order, a blood
// pressure beside the ECG, a lead off, microvolts): format 16, with the source's reference beats.
import { join } from 'node:path';
import { openRecord, readAnnotations, writeAnnotations, writePhysicalRecord } from '../../src/main/wfdb';

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
  await writePhysicalRecord(
    dir,
    name,
    rec.fs,
    layout.map((l) => ({ values: l.from(leads), gain: l.gain ?? sourceGain, description: l.description, units: l.units }))
  );
  await writeAnnotations(join(dir, `${name}.atr`), await readAnnotations(src, 'atr'));
  return join(dir, name);
}
