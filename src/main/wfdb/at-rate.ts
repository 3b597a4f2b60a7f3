// A record's signals read at a multiple of its frame rate: a multi-frequency record (MIMIC: ECG at 4
// samples per 125 Hz frame beside ABP at 1) is analysed and shown at its ECG's own rate, every signal
// then one value per sample of that rate, as rdsamp -H lays them out.
import type { PhysicalOptions, WfdbRecord } from './record';

/**
 * Samples [from, to) at `samplesPerFrame` samples a frame (rate fs × samplesPerFrame) of every signal
 * in physical units: a signal holding that many samples a frame as stored, a slower one's samples
 * repeated, a faster one's first of each of its samples in that time (rdsamp -H's choice).
 */
export async function readPhysicalAt(rec: WfdbRecord, samplesPerFrame: number, from: number, to: number, opts?: PhysicalOptions): Promise<Float32Array[]> {
  const k = samplesPerFrame;
  const f0 = Math.floor(from / k);
  const f1 = Math.ceil(to / k);
  const data = await rec.readPhysical(f0, f1, opts);
  return data.map((d, i) => {
    const spf = rec.header.signals[i]!.samplesPerFrame;
    if (spf === k) return f0 * k === from && f1 * k === to ? d : d.slice(from - f0 * k, to - f0 * k);
    const out = new Float32Array(to - from);
    for (let g = from; g < to; g++) out[g - from] = d[Math.floor((g * spf) / k) - f0 * spf]!;
    return out;
  });
}
