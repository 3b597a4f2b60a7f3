// A record's signals read part by part into arrays the caller holds (e.g. in shared memory, filled
// by two threads at once): only a part's raw samples are in memory at a time, never the whole
// record's beside its physical values.
import { WfdbError } from './errors';
import type { WfdbRecord } from './record';
import { physicalInto } from './samples';

/** Frames [from, to) of a read. */
export interface FrameSpan {
  from: number;
  to: number;
}

/** [0, nFrames) cut into spans of at most `frames` frames. */
export function frameSpans(nFrames: number, frames: number): FrameSpan[] {
  if (!(frames >= 1)) throw new RangeError(`a read span must hold at least one frame, got ${frames}`);
  const out: FrameSpan[] = [];
  for (let from = 0; from < nFrames; from += frames) out.push({ from, to: Math.min(nFrames, from + frames) });
  return out;
}

/** The arrays for signals `which` over the whole record (samplesPerFrame × nFrames each). */
export function allocSignals(rec: WfdbRecord, which: readonly number[], shared: boolean): Float32Array[] {
  return which.map((i) => {
    const n = rec.nFrames * rec.header.signals[i]!.samplesPerFrame;
    return shared ? new Float32Array(new SharedArrayBuffer(n * 4)) : new Float32Array(n);
  });
}

/** Frames [from, to) of signals `which` in physical units (as readPhysical), written into out[j] at their place in the record. */
export async function readPhysicalInto(rec: WfdbRecord, which: readonly number[], out: readonly Float32Array[], span: FrameSpan): Promise<void> {
  const raw = await rec.readRaw(span.from, span.to);
  which.forEach((i, j) => {
    const spec = rec.header.signals[i]!;
    const at = span.from * spec.samplesPerFrame;
    if (at + raw[i]!.length > out[j]!.length) throw new WfdbError('BAD_RANGE', rec.name, `signal ${i} does not fit its array`);
    physicalInto(raw[i]!, spec, out[j]!, at);
  });
}
