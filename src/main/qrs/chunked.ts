// Detection over long records in bounded memory: the record is cut into chunks (default 30 min)
// read with 10 s of overlap on each side (a tail under a quarter chunk joins the last chunk);
// each chunk keeps the beats that fall in its own span,
// and a beat found by both neighbours at the seam (within the refractory period) is kept once.
// The chunks are independent until that last join, so two threads may detect them (analysis/helper.ts).
import { QrsError } from './errors';
import { detectQrs, DEFAULT_QRS_OPTIONS, type QrsOptions } from './detector';
import { asLead, type LeadInput } from '../dsp/lead';

/** Reads frames [from, to) as one Float32Array per lead. */
export type FrameReader = (from: number, to: number) => Promise<Float32Array[]> | Float32Array[];

export interface ChunkOptions {
  chunkSeconds?: number;
  overlapSeconds?: number;
  /** called after each chunk with the fraction of the record done */
  onProgress?: (fraction: number) => void;
}

/** A chunk: it keeps the beats in [from, to) of those detected over the frames [a, b). */
export interface QrsChunk {
  from: number;
  to: number;
  a: number;
  b: number;
}

/** The chunks of a record of nFrames frames, in order. */
export function qrsChunks(nFrames: number, fs: number, chunk: ChunkOptions = {}): QrsChunk[] {
  const chunkLen = Math.round((chunk.chunkSeconds ?? 1800) * fs);
  const overlap = Math.round((chunk.overlapSeconds ?? 10) * fs);
  if (!(chunkLen > 0) || !(overlap >= 0)) throw new QrsError('chunk and overlap lengths must be positive');
  const out: QrsChunk[] = [];
  for (let from = 0, to: number; from < nFrames; from = to) {
    to = Math.min(nFrames, from + chunkLen);
    if (nFrames - to < chunkLen / 4) to = nFrames; // no short tail chunk (e.g. a 30:06 record)
    out.push({ from, to, a: Math.max(0, from - overlap), b: Math.min(nFrames, to + overlap) });
  }
  return out;
}

/** The beats of one chunk: sample indices of the record inside [from, to). */
export function chunkBeats(frames: Float32Array[], c: QrsChunk, fs: number, opts: Partial<QrsOptions> = {}): Int32Array {
  const beats = detectQrs(frames, fs, opts);
  const out: number[] = [];
  for (const s of beats) {
    const t = s + c.a;
    if (t >= c.from && t < c.to) out.push(t);
  }
  return Int32Array.from(out);
}

/** The chunks' beats (in chunk order) as one increasing list: a beat within the refractory period of the one before is a seam duplicate. */
export function joinChunkBeats(parts: readonly Int32Array[], fs: number, opts: Partial<QrsOptions> = {}): Int32Array {
  const refractory = Math.round((opts.refractoryS ?? DEFAULT_QRS_OPTIONS.refractoryS) * fs);
  const out: number[] = [];
  for (const part of parts)
    for (const t of part) {
      if (out.length > 0 && t - out[out.length - 1]! < refractory) continue;
      out.push(t);
    }
  return Int32Array.from(out);
}

export async function detectQrsInChunks(
  read: FrameReader,
  nFrames: number,
  fs: number,
  opts: Partial<QrsOptions> = {},
  chunk: ChunkOptions = {}
): Promise<Int32Array> {
  const parts: Int32Array[] = [];
  for (const c of qrsChunks(nFrames, fs, chunk)) {
    parts.push(chunkBeats(await read(c.a, c.b), c, fs, opts));
    chunk.onProgress?.(c.to / nFrames);
  }
  return joinChunkBeats(parts, fs, opts);
}

/**
 * Detects the chunks this thread claims from a counter shared with other threads (each claim takes
 * the next unclaimed chunk), until none is left: [chunk index, its beats] per chunk detected here,
 * each as it is done (a caller may let its event loop turn between chunks). signals: the whole leads
 * (each chunk's span is read from them).
 */
export function* detectClaimedChunks(
  signals: readonly LeadInput[],
  fs: number,
  chunks: readonly QrsChunk[],
  next: Int32Array,
  opts: Partial<QrsOptions> = {}
): Generator<[number, Int32Array], void, undefined> {
  const leads = signals.map(asLead);
  const into = leads.map(() => new Float32Array(0)); // each lead's chunks converted into one array, reused
  for (let i: number; (i = Atomics.add(next, 0, 1)) < chunks.length;) {
    const c = chunks[i]!;
    const frames = leads.map((s, l) => {
      if (into[l]!.length < c.b - c.a) into[l] = new Float32Array(c.b - c.a);
      return s.span(c.a, c.b, into[l]);
    });
    yield [i, chunkBeats(frames, c, fs, opts)];
  }
}
