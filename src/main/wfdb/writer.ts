// Writing single-segment records: <name>.hea and one <name>.dat holding every signal interleaved
// (format 16 or 212; a signal may hold several samples per frame, as in a multi-frequency record),
// streamed in chunks and committed atomically (temporary files, then renames).
import { unlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { WfdbError } from './errors';
import { FORMATS, INVALID, bytesForSamples, encodeSamples, storableRange } from './formats';
import { formatHeader, LIMITS, type RecordHeader, type SignalSpec } from './header';
import { asSigned16 } from './record';
import { commitTemps, writeTemp } from './atomic';

export interface WriteSpec {
  format: 16 | 212;
  adcGain: number;
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  description: string;
  /** Samples per frame (default 1): the signal then holds this many samples per frame, one after another in the frame. */
  samplesPerFrame?: number;
}

export interface WriteRecordInput {
  /** Frame rate, Hz. */
  fs: number;
  /** Per signal, samplesPerFrame × frames samples. */
  signals: (Int16Array | Int32Array)[];
  specs: WriteSpec[];
  comments?: string[];
}

const CHUNK_FRAMES = 1 << 16;

export async function writeRecord(dir: string, name: string, rec: WriteRecordInput): Promise<void> {
  const heaFile = resolve(dir, `${name}.hea`);
  const datName = `${name}.dat`;
  const datFile = resolve(dir, datName);
  const bad = (what: string) => new WfdbError('BAD_VALUE', heaFile, what);
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw bad(`"${name}" is not a valid record name (letters, digits, _ and -)`);
  if (!(rec.fs > 0) || rec.fs > LIMITS.maxFs || !Number.isFinite(rec.fs)) throw bad(`sampling frequency ${rec.fs} must be in (0, ${LIMITS.maxFs}]`);
  const nSig = rec.signals.length;
  if (nSig !== rec.specs.length) throw bad(`${nSig} signals but ${rec.specs.length} specs`);
  if (nSig === 0) throw bad('a record needs at least one signal');
  const spf = rec.specs.map((s) => s.samplesPerFrame ?? 1);
  spf.forEach((k, i) => {
    if (!Number.isInteger(k) || k < 1 || k > LIMITS.maxSamplesPerFrame)
      throw bad(`signal ${i}: ${k} samples per frame must be an integer in [1, ${LIMITS.maxSamplesPerFrame}]`);
  });
  const nFrames = Math.floor(rec.signals[0]!.length / spf[0]!);
  const format = rec.specs[0]!.format;
  rec.specs.forEach((s, i) => {
    if (s.format !== 16 && s.format !== 212) throw bad(`signal ${i}: format ${String(s.format)} cannot be written (16 or 212)`);
    if (s.format !== format) throw bad(`signal ${i}: all signals share one .dat file and need one format (${format}, not ${s.format})`);
    if (rec.signals[i]!.length !== nFrames * spf[i]!)
      throw bad(
        spf.every((k) => k === 1)
          ? `signal ${i} has ${rec.signals[i]!.length} samples, signal 0 has ${nFrames}`
          : `signal ${i} has ${rec.signals[i]!.length} samples, not ${spf[i]} per frame of ${nFrames} frames`
      );
    if (!Number.isFinite(s.adcGain)) throw bad(`signal ${i}: ADC gain ${s.adcGain} must be a finite number`);
    for (const [k, v] of [
      ['baseline', s.baseline],
      ['ADC zero', s.adcZero],
    ] as const)
      if (!Number.isSafeInteger(v)) throw bad(`signal ${i}: ${k} ${v} must be an integer`);
    if (!Number.isInteger(s.adcResolution) || s.adcResolution < 0 || s.adcResolution > (format === 212 ? 12 : 16))
      throw bad(`signal ${i}: ADC resolution ${s.adcResolution} does not fit format ${format}`);
    if (!/^\S+$/.test(s.units)) throw bad(`signal ${i}: units "${s.units}" must be one word`);
    if (/[\r\n]/.test(s.description)) throw bad(`signal ${i}: description holds a line break`);
  });
  for (const c of rec.comments ?? []) if (/[\r\n]/.test(c)) throw bad(`comment "${c.slice(0, 20)}" holds a line break`);

  const [lo, hi] = storableRange(format);
  const sums = new Int32Array(nSig);
  const fmt = FORMATS.get(format)!;
  const invalidCode = fmt.invalidCode!;
  // a frame holds each signal's samples in turn: signal s's start at `at[s]` of the frame's `perFrame`
  const perFrame = spf.reduce((a, k) => a + k, 0);
  const at = spf.map((_, s) => spf.slice(0, s).reduce((a, k) => a + k, 0));
  const datTmp = await writeTemp(datFile, async (write) => {
    const samples = new Int32Array(CHUNK_FRAMES * perFrame);
    const bytes = new Uint8Array(bytesForSamples(fmt, CHUNK_FRAMES * perFrame) + 3);
    for (let f0 = 0; f0 < nFrames; f0 += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, nFrames - f0);
      for (let s = 0; s < nSig; s++) {
        const src = rec.signals[s]!;
        const k = spf[s]!;
        let sum = sums[s]!;
        for (let t = 0; t < n; t++) {
          for (let j = 0; j < k; j++) {
            const i = (f0 + t) * k + j;
            const v = src[i]!;
            if ((v < lo || v > hi) && v !== INVALID)
              throw new WfdbError('BAD_VALUE', datFile, `signal ${s} sample ${i} is ${v}, outside format ${format}'s range [${lo}, ${hi}]`);
            samples[t * perFrame + at[s]! + j] = v;
            sum = (sum + (v === INVALID ? invalidCode : v)) | 0; // checksums count the stored code
          }
        }
        sums[s] = sum;
      }
      // chunks hold an even number of samples (CHUNK_FRAMES is even), so 212 pairs never straddle two
      const nBytes = bytesForSamples(fmt, n * perFrame);
      encodeSamples(format, samples, n * perFrame, bytes);
      await write(bytes.subarray(0, nBytes));
    }
  });
  const specs: SignalSpec[] = rec.specs.map((s, i) => ({
    fileName: datName,
    format: s.format,
    samplesPerFrame: spf[i]!,
    skew: 0,
    byteOffset: 0,
    adcGain: s.adcGain,
    baseline: s.baseline,
    units: s.units,
    adcResolution: s.adcResolution,
    adcZero: s.adcZero,
    initValue: nFrames > 0 ? rec.signals[i]![0]! : 0,
    checksum: asSigned16(sums[i]!),
    blockSize: 0,
    description: s.description,
  }));
  const header: RecordHeader = {
    name,
    nSignals: nSig,
    fs: rec.fs,
    counterFreq: rec.fs,
    baseCounter: 0,
    nFrames,
    baseTime: null,
    baseDate: null,
    signals: specs,
    comments: rec.comments ?? [],
  };
  let heaTmp: string;
  try {
    heaTmp = await writeTemp(heaFile, (write) => write(Buffer.from(formatHeader(header), 'latin1')));
  } catch (err) {
    await unlink(datTmp).catch(() => undefined);
    throw err;
  }
  await commitTemps([
    [datTmp, datFile],
    [heaTmp, heaFile],
  ]);
}
