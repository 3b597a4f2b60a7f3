// A synthesized record, altered by the test where it likes (a flat line, noise), written as a WFDB
// record in its own format and gain: what the analysis then opens like any other record.
import { join } from 'node:path';
import { signalSpecs, type SynthResult } from '../../src/main/synth';
import { writeRecord } from '../../src/main/wfdb';

/** Writes `r`'s signals as `dir/name` (header + signal file, no annotations); returns the record's path. */
export async function writeSynthesized(dir: string, name: string, r: SynthResult): Promise<string> {
  await writeRecord(dir, name, {
    fs: r.fs,
    signals: r.signals,
    specs: signalSpecs(r),
  });
  return join(dir, name);
}
