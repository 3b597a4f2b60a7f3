// A record's signals read part by part into arrays the caller holds (e.g. in shared memory, filled
// by two threads at once): the samples as stored (16-bit where the format fits), read in parts of
// a bounded size.
import { WfdbError } from './errors';
import type { WfdbRecord } from './record';
import type { StoredSamples } from './stored-lead';

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

/** The arrays for signals `which` over the whole record, with their gain and baseline. */
export function allocStoredLeads(rec: WfdbRecord, which: readonly number[], shared: boolean): StoredSamples[] {
  return which.map((i) => {
    const spec = rec.header.signals[i]!;
    const n = rec.nFrames * spec.samplesPerFrame;
    const bytes = rec.wide[i] ? 4 : 2;
    const buf = shared ? new SharedArrayBuffer(n * bytes) : new ArrayBuffer(n * bytes);
    return { samples: bytes === 4 ? new Int32Array(buf) : new Int16Array(buf), adcGain: spec.adcGain, baseline: spec.baseline };
  });
}

/** Frames [from, to) of signals `which` as stored, written into out[j] at their place in the record. */
export async function readStoredInto(rec: WfdbRecord, which: readonly number[], out: readonly StoredSamples[], span: FrameSpan): Promise<void> {
  const raw = await rec.readRaw(span.from, span.to);
  which.forEach((i, j) => {
    const spec = rec.header.signals[i]!;
    const at = span.from * spec.samplesPerFrame;
    const dst = out[j]!.samples;
    if (at + raw[i]!.length > dst.length || raw[i]! instanceof Int16Array !== dst instanceof Int16Array)
      throw new WfdbError('BAD_RANGE', rec.name, `signal ${i} does not fit its array`);
    dst.set(raw[i]!, at);
  });
}
