// MIT-format annotation files (annotation(5)).
//
// The file is a sequence of little-endian 16-bit words: the high 6 bits a code A, the low 10 bits
// a datum I. A = 1..ACMAX is an annotation whose time is I samples after the previous one;
// pseudo-codes carry what does not fit: SKIP (59: the next 4 bytes, high 16-bit word first, are a
// signed 32-bit interval added to the time), NUM (60), SUB (61) and CHN (62) set the num, subtype
// and chan fields of the annotation they follow (num and chan persist), AUX (63) is followed by I
// bytes of auxiliary data padded to an even length. A zero word ends the file.
import { basename, dirname, resolve } from 'node:path';
import { WfdbError } from './errors';
import { readRegularFile } from './read-file';
import { ACMAX, NOTE } from './codes';
import { writeFileAtomic } from './atomic';
import { PLAUSIBLE } from './plausible';
import { readHeader } from './header';

export interface Annotation {
  sample: number;
  code: number;
  /** signed 8-bit, as WFDB's `subtyp` */
  subtype: number;
  /** unsigned 8-bit */
  chan: number;
  /** signed 8-bit */
  num: number;
  /** Auxiliary bytes as a latin1 string (byte for byte; may hold a trailing NUL), or null. */
  aux: string | null;
}

const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;
const DATA = 0x3ff;
const MAX_AUX = 255;

const int8 = (v: number) => (v << 24) >> 24;

/** Decodes an MIT-format annotation file held in `bytes`; `file` names it in errors. */
export function decodeAnnotations(bytes: Uint8Array, file: string): Annotation[] {
  // counted before any is built, so an implausible file costs a scan, not gigabytes of objects
  if (bytes.length / 2 > PLAUSIBLE.maxAnnotations && countAnnotations(bytes) > PLAUSIBLE.maxAnnotations) {
    throw new WfdbError('IMPLAUSIBLE', file, `more than ${PLAUSIBLE.maxAnnotations.toLocaleString('en-US')} annotations is implausible for one record`);
  }
  const out: Annotation[] = [];
  const n = bytes.length;
  let pos = 0;
  let time = 0;
  let chan = 0;
  let num = 0;
  let cur: Annotation | null = null;
  // modifiers that precede the first annotation apply to it
  let pendingSub = 0;
  let pendingAux: string | null = null;
  const bad = (what: string) => new WfdbError('BAD_ANNOTATION', file, `${what} at byte ${pos}`);
  for (;;) {
    if (pos + 2 > n) {
      throw new WfdbError(
        'TRUNCATED',
        file,
        pos === n ? `ends at byte ${n} without the end-of-file marker (file cut short?)` : `ends in the middle of an annotation word at byte ${pos}`
      );
    }
    const word = bytes[pos]! | (bytes[pos + 1]! << 8);
    const at = pos;
    pos += 2;
    if (word === 0) break;
    const a = word >> 10;
    const d = word & DATA;
    if (a <= ACMAX) {
      time += d;
      // the reader's record limit (PLAUSIBLE.maxFrames): times past it belong to no record read here
      if (time < 0 || time > PLAUSIBLE.maxFrames) throw bad(`annotation time ${time} outside [0, 2^31-1]`);
      cur = { sample: time, code: a, subtype: pendingSub, chan, num, aux: pendingAux };
      pendingSub = 0;
      pendingAux = null;
      out.push(cur);
      continue;
    }
    switch (a) {
      case SKIP: {
        // its datum should be 0; WFDB ignores it, and so do we
        if (pos + 4 > n) throw new WfdbError('TRUNCATED', file, `ends inside a SKIP interval at byte ${pos}`);
        const hi = bytes[pos]! | (bytes[pos + 1]! << 8);
        const lo = bytes[pos + 2]! | (bytes[pos + 3]! << 8);
        pos += 4;
        time += (hi << 16) | lo | 0;
        break;
      }
      case NUM:
        num = int8(d);
        if (cur) cur.num = num;
        break;
      case SUB:
        if (cur) cur.subtype = int8(d);
        else pendingSub = int8(d);
        break;
      case CHN:
        chan = d & 0xff;
        if (cur) cur.chan = chan;
        break;
      case AUX: {
        const padded = d + (d & 1);
        if (pos + d > n) throw new WfdbError('TRUNCATED', file, `ends inside ${d} bytes of auxiliary data at byte ${pos}`);
        const aux = d === 0 ? null : latin1(bytes, pos, d);
        pos = Math.min(n, pos + padded);
        if (cur) cur.aux = aux;
        else pendingAux = aux;
        break;
      }
      default:
        throw new WfdbError('BAD_ANNOTATION', file, `unknown code ${a} at byte ${at}`);
    }
  }
  return out;
}

/** The number of annotation words up to the end marker (the decoder's walk without decoding). */
function countAnnotations(bytes: Uint8Array): number {
  let count = 0;
  let pos = 0;
  while (pos + 2 <= bytes.length) {
    const word = bytes[pos]! | (bytes[pos + 1]! << 8);
    pos += 2;
    if (word === 0) break;
    const a = word >> 10;
    const d = word & DATA;
    if (a <= ACMAX) count++;
    else if (a === SKIP) pos += 4;
    else if (a === AUX) pos += d + (d & 1);
  }
  return count;
}

function latin1(bytes: Uint8Array, from: number, len: number): string {
  let s = '';
  for (let i = 0; i < len; i++) s += String.fromCharCode(bytes[from + i]!);
  return s;
}

/** Encodes annotations in the MIT format exactly as WFDB's putann writes them. */
export function encodeAnnotations(anns: readonly Annotation[], file: string): Uint8Array {
  // worst case per annotation: SKIP (6) + word (2) + SUB, CHN, NUM (6) + AUX (2 + 256)
  let size = 2;
  for (const a of anns) size += 16 + (a.aux ? a.aux.length + 3 : 0);
  const buf = new Uint8Array(size);
  let pos = 0;
  const put = (w: number) => {
    buf[pos++] = w & 0xff;
    buf[pos++] = (w >> 8) & 0xff;
  };
  let prev = 0;
  let chan = 0;
  let num = 0;
  anns.forEach((a, i) => {
    const where = `annotation ${i} (sample ${a.sample})`;
    const bad = (what: string) => new WfdbError('BAD_VALUE', file, `${where}: ${what}`);
    if (!Number.isSafeInteger(a.sample) || a.sample < 0 || a.sample > PLAUSIBLE.maxFrames) throw bad('sample must be an integer in [0, 2^31-1]');
    if (!Number.isInteger(a.code) || a.code < 0 || a.code > ACMAX) throw bad(`code ${a.code} is not in [0, ${ACMAX}]`);
    if (!Number.isInteger(a.subtype) || a.subtype < -128 || a.subtype > 127) throw bad(`subtype ${a.subtype} is not in [-128, 127]`);
    if (!Number.isInteger(a.chan) || a.chan < 0 || a.chan > 255) throw bad(`chan ${a.chan} is not in [0, 255]`);
    if (!Number.isInteger(a.num) || a.num < -128 || a.num > 127) throw bad(`num ${a.num} is not in [-128, 127]`);
    if (a.aux !== null && a.aux.length > MAX_AUX) throw bad(`aux is ${a.aux.length} bytes, more than ${MAX_AUX}`);
    let delta = a.sample - prev;
    // a zero word is the end-of-file marker, so a code-0 (NOTQRS) annotation never gets interval 0
    // in its own word: its SKIP stops one sample short (SKIP -1 when the interval is 0)
    if (delta > DATA || delta < 0 || (a.code === 0 && delta === 0)) {
      const skip = a.code === 0 ? delta - 1 : delta;
      put(SKIP << 10);
      put((skip >> 16) & 0xffff);
      put(skip & 0xffff);
      delta -= skip;
    }
    put((a.code << 10) | delta);
    prev = a.sample;
    if (a.subtype !== 0) put((SUB << 10) | (a.subtype & DATA));
    if (a.chan !== chan) {
      put((CHN << 10) | a.chan);
      chan = a.chan;
    }
    if (a.num !== num) {
      put((NUM << 10) | (a.num & DATA));
      num = a.num;
    }
    if (a.aux !== null && a.aux.length > 0) {
      put((AUX << 10) | a.aux.length);
      for (let k = 0; k < a.aux.length; k++) {
        const c = a.aux.charCodeAt(k);
        if (c > 0xff) throw bad('aux holds a character outside latin1 (one byte per character)');
        buf[pos++] = c;
      }
      if (a.aux.length & 1) buf[pos++] = 0;
    }
  });
  put(0);
  return buf.subarray(0, pos);
}

/** Annotation files larger than this are not read: far beyond PLAUSIBLE.maxAnnotations with any aux text. */
const MAX_ANNOTATION_FILE_BYTES = 2 ** 30;

export async function readAnnotationFile(filePath: string): Promise<Annotation[]> {
  const bytes = await readRegularFile(
    filePath,
    MAX_ANNOTATION_FILE_BYTES,
    (n) => new WfdbError('IMPLAUSIBLE', filePath, `${n} bytes is implausible for an annotation file`)
  );
  return decodeAnnotations(bytes, filePath);
}

const TIME_RESOLUTION = /^## time resolution: ([0-9]+(?:\.[0-9]*)?)/;

/**
 * The frequency a leading "## time resolution: F" NOTE (sample 0) declares: WFDB writes it when an
 * annotation file's times are not in the record's frames. null when the file has none.
 */
export function timeResolutionOf(anns: readonly Annotation[]): number | null {
  const a = anns[0];
  if (!a || a.sample !== 0 || a.code !== NOTE || a.aux === null) return null;
  const m = TIME_RESOLUTION.exec(a.aux);
  const f = m ? Number(m[1]) : NaN;
  return f > 0 ? f : null;
}

/**
 * The annotations as WFDB's rdann gives them: the time-resolution note consumed, and times rescaled
 * from the note's F (else the record's frame rate `fs`: times without a note count frames) to `rate`
 * (round(t * rate / F)): by default the frames, as rdann; a multi-frequency record's analysis reads them
 * at its leads' own rate, fs × samples per frame, as WFDB's high-resolution mode does.
 * decodeAnnotations/readAnnotationFile keep the note (a file read and written back is the same bytes).
 */
export function asRdann(anns: readonly Annotation[], fs: number | undefined, rate = fs): Annotation[] {
  const res = timeResolutionOf(anns);
  const rest = res === null ? anns.slice() : anns.slice(1);
  if (fs === undefined || !(fs > 0) || rate === undefined || !(rate > 0)) return rest;
  const from = res ?? fs;
  if (from === rate) return rest;
  const k = rate / from;
  return rest.map((a) => ({ ...a, sample: Math.round(a.sample * k) }));
}

/**
 * Reads annotator `annotator` of a record: ("../shared/data/mitdb/100", "atr") → 100.atr, as rdann
 * reads it (asRdann: a time-resolution note consumed and applied against the header's rate), with
 * times in frames, or at `samplesPerFrame` samples a frame (the analysis rate of a multi-frequency record).
 */
export async function readAnnotations(recordPath: string, annotator: string, samplesPerFrame = 1): Promise<Annotation[]> {
  const anns = await readAnnotationFile(annotationPath(recordPath, annotator));
  if (timeResolutionOf(anns) === null && samplesPerFrame === 1) return anns;
  const fs = await readHeader(recordPath).then(
    (h) => h.fs,
    () => undefined
  );
  return asRdann(anns, fs, fs === undefined ? undefined : fs * samplesPerFrame);
}

/**
 * The annotations as a file at `rate` is written for a record of frame rate `fs`: led by the
 * "## time resolution: F" note WFDB writes when times are not in frames (none when they are), so
 * that WFDB's tools and asRdann read them at the right times.
 */
export function withTimeResolution(anns: readonly Annotation[], rate: number, fs: number): Annotation[] {
  if (rate === fs) return [...anns];
  return [{ sample: 0, code: NOTE, subtype: 0, chan: 0, num: 0, aux: `## time resolution: ${rate}` }, ...anns];
}

export function annotationPath(recordPath: string, annotator: string): string {
  if (!/^[A-Za-z0-9_\-~]+$/.test(annotator)) throw new WfdbError('BAD_VALUE', recordPath, `"${annotator}" is not a valid annotator name`);
  const base = recordPath.endsWith('.hea') ? recordPath.slice(0, -4) : recordPath;
  return resolve(dirname(base), `${basename(base)}.${annotator}`);
}

/** Writes an annotation file atomically (temporary file, then rename). */
export async function writeAnnotations(filePath: string, anns: Annotation[]): Promise<void> {
  await writeFileAtomic(filePath, encodeAnnotations(anns, filePath));
}
