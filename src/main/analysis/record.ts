// The record side of an analysis: its signals, its content hash and its beat positions
// (reference annotations or the QRS detector).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { annotationPath, codeOf, headerPath, isQrs, readAnnotations, type WfdbRecord } from '../wfdb';
import { checkBeatRate, maxReferenceBeats } from '../wfdb/plausible';
import { QrsError, chunkBeats, detectClaimedChunks, joinChunkBeats, qrsChunks, type QrsChunk } from '../qrs';
import type { BeatChoice, BeatSource } from '../../shared/analysis';
import { asLead, type Lead, type LeadInput } from '../dsp/lead';
import { checkpoint, type CancelToken } from '../inference/cancel';

/** SHA-256 over the header and every signal file it names (in order, each once). */
export async function recordContentHash(rec: WfdbRecord, recordPath: string): Promise<string> {
  return hashFiles(recordFiles(rec, recordPath));
}

/** The header and every signal file it names that exists (in order, each once). */
export function recordFiles(rec: WfdbRecord, recordPath: string): string[] {
  const hea = headerPath(recordPath);
  const files = [hea];
  for (const s of rec.header.signals) {
    const f = join(dirname(hea), s.fileName);
    if (s.fileName && s.fileName !== '~' && !files.includes(f) && existsSync(f)) files.push(f);
  }
  return files;
}

/** Each file's size and modification time, for telling whether a file changed while it was read. */
export async function fileStamps(files: readonly string[]): Promise<string> {
  const st = await Promise.all(files.map((f) => stat(f).catch(() => null)));
  return JSON.stringify(st.map((s) => (s ? [s.size, s.mtimeMs] : null)));
}

/** SHA-256 over each file's base name and contents, in order. */
export async function hashFiles(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    h.update(`${basename(f)}\0`);
    for await (const chunk of createReadStream(f)) h.update(chunk as Buffer);
  }
  return h.digest('hex');
}

/** Whether a reference beat annotation file (.atr) sits beside the record. */
export function hasReference(recordPath: string): boolean {
  // a regular file: a FIFO or a device named like one is none (reading it would block, or never end)
  return statSync(annotationPath(recordPath, 'atr'), { throwIfNoEntry: false })?.isFile() ?? false;
}

const NON_CONDUCTED_P = codeOf('x');

/**
 * Sample indices of the reference beats, strictly increasing: the .atr's QRS annotations (WFDB
 * isqrs) except "x", a non-conducted P wave that isqrs counts but that has no QRS complex. At
 * `samplesPerFrame` samples a frame (a multi-frequency record's leads); `nFrames` counts those samples.
 */
export async function referenceBeats(recordPath: string, nFrames: number, samplesPerFrame = 1): Promise<Int32Array> {
  const anns = await readAnnotations(recordPath, 'atr', samplesPerFrame);
  const out: number[] = [];
  let last = -1;
  for (const a of anns) {
    if (!isQrs(a.code) || a.code === NON_CONDUCTED_P || a.sample <= last || a.sample >= nFrames) continue;
    out.push(a.sample);
    last = a.sample;
  }
  return Int32Array.from(out);
}

export interface BeatPositions {
  sample: Int32Array;
  source: BeatSource;
}

/** Detection under way: the chunks left to claim are detected on this thread by finish() (a checkpoint for `cancel` after each). */
export interface Detection {
  finish(cancel?: CancelToken): Promise<Int32Array>;
}

/** Whoever detects a share of the chunks on another thread (the analysis helper). */
export interface ChunkHelper {
  detect(signals: readonly Lead[], fs: number, chunks: QrsChunk[], next: Int32Array): Promise<[number, Int32Array][]>;
}

/**
 * QRS detection over the first two leads in 30-min chunks (one for a record up to 37.5 min), so
 * the detector's working set stays that of a 30-min record however long the record is. With a
 * helper, both threads claim chunks from a shared counter; the result is the same beats either way.
 */
export function startDetection(signals: readonly LeadInput[], fs: number, helper: ChunkHelper | null = null): Detection {
  const leads = signals.slice(0, 2).map(asLead);
  if (leads.length === 0) throw new QrsError('no signal to detect beats in');
  const chunks = qrsChunks(leads[0]!.length, fs);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const theirs = helper && chunks.length > 1 ? helper.detect(leads, fs, chunks, next) : null;
  return {
    async finish(cancel) {
      const parts: Int32Array[] = [];
      for (const [i, beats] of detectClaimedChunks(leads, fs, chunks, next)) {
        parts[i] = beats;
        await checkpoint(cancel);
      }
      for (const [i, beats] of theirs ? await theirs.catch(() => []) : []) parts[i] = beats;
      // chunks the helper claimed but never answered (it failed): detected here
      chunks.forEach(
        (c, i) =>
          (parts[i] ??= chunkBeats(
            leads.map((s) => s.span(c.a, c.b)),
            c,
            fs
          ))
      );
      return joinChunkBeats(parts, fs);
    },
  };
}

/**
 * The beats to analyse: the reference annotations, or the detector's (`detection`, started earlier, or
 * started now). `fs` and `nFrames` are the leads' rate and length, `samplesPerFrame` their samples a frame.
 */
export async function beatPositions(
  recordPath: string,
  want: BeatChoice,
  signals: readonly LeadInput[],
  fs: number,
  nFrames: number,
  samplesPerFrame = 1,
  detection: Detection | null = null,
  cancel?: CancelToken
): Promise<BeatPositions> {
  const useRef = want === 'reference' || (want === 'auto' && hasReference(recordPath));
  if (useRef) {
    const sample = await referenceBeats(recordPath, nFrames, samplesPerFrame);
    // 'auto' trusts an .atr only when it holds beats (rhythm-only reference files, vfdb's, have none)
    // that a heart could make; asked for, beats no heart makes are an error naming the file
    const plausible = sample.length <= maxReferenceBeats(nFrames / fs);
    if (want === 'reference') {
      checkBeatRate(sample.length, nFrames / fs, annotationPath(recordPath, 'atr'));
      return { sample, source: 'reference' };
    }
    if (sample.length > 0 && plausible) return { sample, source: 'reference' };
  }
  const sample = await (detection ?? startDetection(signals, fs)).finish(cancel);
  return { sample, source: 'detector' };
}

/** The record's name for outputs: the header file's base name without .hea. */
export function recordName(recordPath: string): string {
  return basename(headerPath(recordPath)).replace(/\.hea$/, '');
}
