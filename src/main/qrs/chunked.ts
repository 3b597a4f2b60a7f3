// Detection over long records in bounded memory: the record is cut into chunks (default 30 min)
// read with 10 s of overlap on each side (a tail under a quarter chunk joins the last chunk);
// each chunk keeps the beats that fall in its own span,
// and a beat found by both neighbours at the seam (within the refractory period) is kept once.
import { QrsError } from './errors';
import { detectQrs, DEFAULT_QRS_OPTIONS, type QrsOptions } from './detector';

/** Reads frames [from, to) as one Float32Array per lead. */
export type FrameReader = (from: number, to: number) => Promise<Float32Array[]> | Float32Array[];

export interface ChunkOptions {
  chunkSeconds?: number;
  overlapSeconds?: number;
  /** called after each chunk with the fraction of the record done */
  onProgress?: (fraction: number) => void;
}

export async function detectQrsInChunks(
  read: FrameReader,
  nFrames: number,
  fs: number,
  opts: Partial<QrsOptions> = {},
  chunk: ChunkOptions = {}
): Promise<Int32Array> {
  const chunkLen = Math.round((chunk.chunkSeconds ?? 1800) * fs);
  const overlap = Math.round((chunk.overlapSeconds ?? 10) * fs);
  if (!(chunkLen > 0) || !(overlap >= 0)) throw new QrsError('chunk and overlap lengths must be positive');
  const refractory = Math.round((opts.refractoryS ?? DEFAULT_QRS_OPTIONS.refractoryS) * fs);
  const out: number[] = [];
  for (let from = 0, to: number; from < nFrames; from = to) {
    to = Math.min(nFrames, from + chunkLen);
    if (nFrames - to < chunkLen / 4) to = nFrames; // no short tail chunk (e.g. a 30:06 record)
    const a = Math.max(0, from - overlap);
    const b = Math.min(nFrames, to + overlap);
    const beats = detectQrs(await read(a, b), fs, opts);
    for (const s of beats) {
      const t = s + a;
      if (t < from || t >= to) continue;
      if (out.length > 0 && t - out[out.length - 1]! < refractory) continue;
      out.push(t);
    }
    chunk.onProgress?.(to / nFrames);
  }
  return Int32Array.from(out);
}
