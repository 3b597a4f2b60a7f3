// WFDB header files (header(5)): the record line, signal specification lines, segment lines of
// multi-segment records, and info comments. Parsing is pure (text in, typed header out) and strict:
// anything that does not follow the specification is a WfdbError naming the file and the line.
import { basename, dirname, join, resolve } from 'node:path';
import { WfdbError } from './errors';
import { readRegularFile } from './read-file';
import { FORMATS, FLAC_FORMATS } from './formats';
import { checkPlausible } from './plausible';

export interface SignalSpec {
  fileName: string;
  format: number;
  samplesPerFrame: number;
  skew: number;
  byteOffset: number;
  /** ADC units per physical unit; 0 means uncalibrated (conversions then use 200, as WFDB does). */
  adcGain: number;
  baseline: number;
  units: string;
  adcResolution: number;
  adcZero: number;
  initValue: number;
  checksum: number | null;
  blockSize: number;
  description: string;
}

export interface RecordHeader {
  name: string;
  nSignals: number;
  /** Frame rate, Hz. */
  fs: number;
  counterFreq: number;
  baseCounter: number;
  /** Frames in the record as the header states it; 0 when the header leaves it out. */
  nFrames: number;
  baseTime: string | null;
  baseDate: string | null;
  signals: SignalSpec[];
  comments: string[];
  /** Multi-segment records: the segments in order ("~" is a null segment). */
  segments?: { name: string; nFrames: number }[];
}

/** Limits beyond which a header is taken to be garbage rather than a record. */
export const LIMITS = {
  maxHeaderBytes: 16 * 1024 * 1024,
  maxSignals: 100_000,
  maxSegments: 1_000_000,
  maxFs: 1e9,
  maxSamplesPerFrame: 100_000,
  maxSkew: 1e9,
};

const DEFAULT_FS = 250;
const DEFAULT_GAIN_UNITS = 'mV';

const INT = /^[+-]?\d+$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const NAME = /^[A-Za-z0-9_.\-~]+$/;
const TIME = /^\d{1,2}(?::\d{1,2}){0,2}(?:\.\d*)?$/;
const DATE = /^\d{1,2}\/\d{1,2}\/\d{1,4}$/;

/** WFDB_DEFRES: the ADC resolution WFDB assumes when a header gives none (or 0) ... */
const DEFAULT_RESOLUTION = 12;
/** ... except for these formats, whose sample width sets it (as WFDB's xform and wfdbdesc do). */
const FORMAT_RESOLUTION = new Map([
  [80, 8],
  [212, 12],
  [310, 10],
  [311, 10],
  [24, 24],
  [32, 32],
]);

export function defaultResolution(format: number): number {
  return FORMAT_RESOLUTION.get(format) ?? DEFAULT_RESOLUTION;
}

class LineError extends Error {}

function int(field: string, what: string, min: number, max: number): number {
  if (!INT.test(field)) throw new LineError(`${what} "${field}" is not an integer`);
  const v = Number(field);
  if (!Number.isSafeInteger(v) || v < min || v > max) throw new LineError(`${what} ${field} is out of range [${min}, ${max}]`);
  return v;
}

function float(field: string, what: string): number {
  if (!FLOAT.test(field)) throw new LineError(`${what} "${field}" is not a number`);
  const v = Number(field);
  if (!Number.isFinite(v)) throw new LineError(`${what} ${field} is not finite`);
  return v;
}

function parseRecordLine(fields: string[]): Omit<RecordHeader, 'signals' | 'comments'> & { nSegments: number } {
  const [nameField, nsigField, fsField, nsampField, timeField, dateField, ...rest] = fields;
  if (!nameField || nsigField === undefined) throw new LineError('record line needs at least a record name and a number of signals');
  if (rest.length > 0) throw new LineError(`unexpected field "${rest[0]}" after the base date`);
  const slash = nameField.indexOf('/');
  const name = slash >= 0 ? nameField.slice(0, slash) : nameField;
  if (!NAME.test(name)) throw new LineError(`"${name}" is not a valid record name`);
  const nSegments = slash >= 0 ? int(nameField.slice(slash + 1), 'number of segments', 1, LIMITS.maxSegments) : 0;
  const nSignals = int(nsigField, 'number of signals', 0, LIMITS.maxSignals);
  let fs = DEFAULT_FS;
  let counterFreq = DEFAULT_FS;
  let baseCounter = 0;
  if (fsField !== undefined) {
    const m = /^([^/]+)(?:\/([^(]+)(?:\(([^)]+)\))?)?$/.exec(fsField);
    if (!m) throw new LineError(`sampling frequency "${fsField}" is malformed`);
    fs = float(m[1]!, 'sampling frequency');
    if (!(fs > 0) || fs > LIMITS.maxFs) throw new LineError(`sampling frequency ${fsField} must be in (0, ${LIMITS.maxFs}]`);
    counterFreq = m[2] !== undefined ? float(m[2], 'counter frequency') : fs;
    if (!(counterFreq > 0)) throw new LineError(`counter frequency ${m[2]} must be positive`);
    baseCounter = m[3] !== undefined ? float(m[3], 'base counter value') : 0;
  }
  const nFrames = nsampField !== undefined ? int(nsampField, 'number of samples', 0, Number.MAX_SAFE_INTEGER) : 0;
  if (timeField !== undefined && !TIME.test(timeField)) throw new LineError(`base time "${timeField}" is not hh:mm:ss`);
  if (dateField !== undefined && !DATE.test(dateField)) throw new LineError(`base date "${dateField}" is not dd/mm/yyyy`);
  return { name, nSignals, fs, counterFreq, baseCounter, nFrames, baseTime: timeField ?? null, baseDate: dateField ?? null, nSegments };
}

/** Splits "212x4:4+24" into format, samples per frame, skew and byte offset (suffixes in any order). */
function parseFormatField(field: string): { format: number; samplesPerFrame: number; skew: number; byteOffset: number } {
  const m = /^(\d+)((?:[x:+]\d+)*)$/.exec(field);
  if (!m) throw new LineError(`format field "${field}" is malformed`);
  const format = Number(m[1]);
  let samplesPerFrame = 1;
  let skew = 0;
  let byteOffset = 0;
  for (const [, tag, value] of m[2]!.matchAll(/([x:+])(\d+)/g)) {
    if (tag === 'x') samplesPerFrame = int(value!, 'samples per frame', 1, LIMITS.maxSamplesPerFrame);
    else if (tag === ':') skew = int(value!, 'skew', 0, LIMITS.maxSkew);
    else byteOffset = int(value!, 'byte offset', 0, Number.MAX_SAFE_INTEGER);
  }
  if (FLAC_FORMATS.has(format)) throw new LineError(`format ${format} (FLAC-compressed, formats 508/516/524) is not supported`);
  if (format !== 0 && !FORMATS.has(format)) throw new LineError(`unknown signal format ${format}`);
  return { format, samplesPerFrame, skew, byteOffset };
}

/**
 * A record's signal files live in its folder: a name that is absolute or climbs out with ".."
 * could make the reader print any file's bytes, so it is refused.
 */
function checkSignalFileName(name: string): void {
  if (/^[/\\]/.test(name) || /^[A-Za-z]:/.test(name))
    throw new LineError(`signal file "${name}" is an absolute path; a record's signal files must be in its own folder`);
  if (name.split(/[/\\]/).includes('..')) throw new LineError(`signal file "${name}" climbs out of the record's folder ("..")`);
}

/** A signal line: the first eight fields are positional; the description is the rest of the line. */
function parseSignalLine(line: string): SignalSpec {
  const fields: string[] = [];
  let rest = line.trim();
  while (fields.length < 8 && rest.length > 0) {
    const m = /^(\S+)\s*/.exec(rest)!;
    fields.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  const description = rest.trim();
  const [fileName, fmtField, gainField, resField, zeroField, initField, ckField, blkField] = fields;
  if (!fileName || !fmtField) throw new LineError('signal line needs at least a file name and a format');
  checkSignalFileName(fileName);
  const fmt = parseFormatField(fmtField);
  let adcGain = 0;
  let baselineField: string | undefined;
  let units = DEFAULT_GAIN_UNITS;
  if (gainField !== undefined) {
    const m = /^([^(/]+)(?:\(([^)]*)\))?(?:\/(\S*))?$/.exec(gainField);
    if (!m) throw new LineError(`ADC gain field "${gainField}" is malformed`);
    adcGain = float(m[1]!, 'ADC gain'); // negative: an inverted lead; 0: uncalibrated
    baselineField = m[2];
    if (m[3] !== undefined && m[3] !== '') units = m[3];
  }
  const resolution = resField !== undefined ? int(resField, 'ADC resolution', 0, 32) : 0;
  const adcZero = zeroField !== undefined ? int(zeroField, 'ADC zero', -(2 ** 31), 2 ** 31 - 1) : 0;
  const initValue = initField !== undefined ? int(initField, 'initial value', -(2 ** 31), 2 ** 31 - 1) : adcZero;
  const checksum = ckField !== undefined ? int(ckField, 'checksum', -(2 ** 31), 2 ** 32 - 1) : null;
  const blockSize = blkField !== undefined ? int(blkField, 'block size', 0, 2 ** 31 - 1) : 0;
  const baseline = baselineField !== undefined ? int(baselineField, 'baseline', -(2 ** 31), 2 ** 31 - 1) : adcZero;
  return {
    fileName,
    ...fmt,
    adcGain,
    baseline,
    units,
    adcResolution: resolution === 0 ? defaultResolution(fmt.format) : resolution,
    adcZero,
    initValue,
    // checksums are 16-bit: some writers print them unsigned or unreduced
    checksum: checksum === null ? null : (checksum << 16) >> 16,
    blockSize,
    description,
  };
}

/** Parses the text of a header file. `file` names it in errors. */
export function parseHeader(text: string, file: string): RecordHeader {
  // a byte-order mark (a header saved by a Windows editor) is not part of the record name
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/);
  const comments: string[] = [];
  let record: ReturnType<typeof parseRecordLine> | null = null;
  const signals: SignalSpec[] = [];
  const segments: { name: string; nFrames: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (record) comments.push(line.slice(1).trim());
      continue;
    }
    // eslint-disable-next-line no-control-regex -- finding binary bytes in a text header is the point
    if (/[\x00-\x08\x0e-\x1f\x7f]/.test(line)) throw new WfdbError('BAD_HEADER', file, `line ${i + 1}: contains control characters (not a header file?)`);
    try {
      if (!record) {
        record = parseRecordLine(line.split(/\s+/));
      } else if (record.nSegments > 0) {
        if (segments.length >= record.nSegments) throw new LineError(`more than the ${record.nSegments} segment lines the record line announces`);
        const f = line.split(/\s+/);
        if (f.length !== 2) throw new LineError('segment line must be "<segment name> <number of samples>"');
        if (f[0] !== '~' && !NAME.test(f[0]!)) throw new LineError(`"${f[0]}" is not a valid segment name`);
        segments.push({ name: f[0]!, nFrames: int(f[1]!, 'segment length', 0, Number.MAX_SAFE_INTEGER) });
      } else {
        if (signals.length >= record.nSignals) throw new LineError(`more than the ${record.nSignals} signal lines the record line announces`);
        signals.push(parseSignalLine(line));
      }
    } catch (err) {
      if (err instanceof LineError) throw new WfdbError('BAD_HEADER', file, `line ${i + 1}: ${err.message}`);
      throw err;
    }
  }
  if (!record) throw new WfdbError('BAD_HEADER', file, 'no record line');
  const { nSegments, ...rest } = record;
  if (nSegments > 0) {
    if (segments.length !== nSegments) throw new WfdbError('BAD_HEADER', file, `record line announces ${nSegments} segments, found ${segments.length}`);
    return { ...rest, signals: [], comments, segments };
  }
  if (signals.length !== record.nSignals)
    throw new WfdbError('BAD_HEADER', file, `record line announces ${record.nSignals} signals, found ${signals.length} signal lines`);
  checkSignalGroups(signals, file);
  return { ...rest, signals, comments };
}

/** Signals sharing a file must be on consecutive lines and share one format (header(5)). */
function checkSignalGroups(signals: SignalSpec[], file: string): void {
  const seen = new Set<string>();
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i]!;
    if (s.format === 0) continue;
    const prev = signals[i - 1];
    if (prev && prev.fileName === s.fileName && prev.format !== 0) {
      if (prev.format !== s.format)
        throw new WfdbError('BAD_HEADER', file, `signals ${i - 1} and ${i} share ${s.fileName} but have formats ${prev.format} and ${s.format}`);
      continue;
    }
    if (seen.has(s.fileName)) throw new WfdbError('BAD_HEADER', file, `signal ${i}: the signals of ${s.fileName} are not on consecutive lines`);
    seen.add(s.fileName);
  }
}

/** "dir/100", "dir/100.hea" → the header's path. */
export function headerPath(recordPath: string): string {
  return recordPath.endsWith('.hea') ? recordPath : `${recordPath}.hea`;
}

/**
 * A record's database: the name of the folder holding its header ("mitdb"), or of the folder above
 * a version folder, as PhysioNet's downloads nest them (physionet.org/files/mitdb/1.0.0/100).
 */
export function databaseOf(recordPath: string): string {
  const dir = dirname(resolve(recordPath));
  const name = basename(dir);
  return /^\d+(\.\d+)+$/.test(name) ? basename(dirname(dir)) : name;
}

async function readHeaderFile(file: string): Promise<RecordHeader> {
  const buf = await readRegularFile(file, LIMITS.maxHeaderBytes, (n) => new WfdbError('BAD_HEADER', file, `${n} bytes is too large for a header file`));
  return parseHeader(buf.toString('latin1'), file);
}

/**
 * Reads a record's header. For a multi-segment record the signals are those of its layout
 * segment (a first segment of length 0), else of its first non-null segment, as WFDB reports
 * them; their checksums (per segment) are left out.
 */
export async function readHeader(recordPath: string): Promise<RecordHeader> {
  const file = headerPath(recordPath);
  const h = await readHeaderFile(file);
  checkPlausible(h, h.nFrames, file);
  if (!h.segments) return h;
  const first = h.segments.find((s) => s.name !== '~');
  if (!first) return h;
  const seg = await readHeaderFile(join(dirname(file), `${first.name}.hea`));
  if (seg.segments) throw new WfdbError('BAD_HEADER', file, `segment ${first.name} is itself a multi-segment record`);
  if (seg.signals.length !== h.nSignals)
    throw new WfdbError('BAD_HEADER', file, `record line says ${h.nSignals} signals, segment ${first.name} has ${seg.signals.length}`);
  return { ...h, signals: seg.signals.map((s) => ({ ...s, checksum: null })) };
}

/** Formats a single-segment header (the inverse of parseHeader for what writeRecord produces). */
export function formatHeader(h: RecordHeader): string {
  const rec = [
    h.name,
    String(h.nSignals),
    String(h.fs) + (h.counterFreq !== h.fs || h.baseCounter !== 0 ? `/${String(h.counterFreq)}${h.baseCounter !== 0 ? `(${String(h.baseCounter)})` : ''}` : ''),
    String(h.nFrames),
  ];
  if (h.baseTime) rec.push(h.baseTime);
  if (h.baseTime && h.baseDate) rec.push(h.baseDate);
  const lines = [rec.join(' ')];
  for (const s of h.signals) {
    let fmt = String(s.format);
    if (s.samplesPerFrame !== 1) fmt += `x${s.samplesPerFrame}`;
    if (s.skew !== 0) fmt += `:${s.skew}`;
    if (s.byteOffset !== 0) fmt += `+${s.byteOffset}`;
    const gain = `${String(s.adcGain)}${s.baseline !== s.adcZero ? `(${s.baseline})` : ''}/${s.units}`;
    const fields = [s.fileName, fmt, gain, String(s.adcResolution), String(s.adcZero), String(s.initValue), String(s.checksum ?? 0), String(s.blockSize)];
    if (s.description) fields.push(s.description);
    lines.push(fields.join(' '));
  }
  for (const c of h.comments) lines.push(`# ${c}`);
  return lines.join('\n') + '\n';
}
