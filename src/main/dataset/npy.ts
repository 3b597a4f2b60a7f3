// NumPy .npy files, format version 1.0 (little-endian, C order), written and read without numpy.
// Layout: "\x93NUMPY" 0x01 0x00, uint16 LE header length, an ASCII Python dict
// {'descr': '<f4', 'fortran_order': False, 'shape': (n, 2, 216), } padded with spaces and '\n'
// so that the data starts on a 64-byte boundary, then the raw array bytes.
// The writer streams: rows are appended as they are made and the shape is patched at close, so
// a dataset never has to sit in memory whole. Its header is always HEADER_BYTES long.
import { closeSync, openSync, writeSync } from 'node:fs';
import { DatasetError } from './errors';

export type NpyArray = Float32Array | Float64Array | Int32Array | Int16Array | Uint8Array;
export type NpyDescr = '<f4' | '<f8' | '<i4' | '<i2' | '|u1';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Total header size of the files written here (magic + version + length + dict + padding). */
export const HEADER_BYTES = 128;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export function descrOf(a: NpyArray): NpyDescr {
  if (a instanceof Float32Array) return '<f4';
  if (a instanceof Float64Array) return '<f8';
  if (a instanceof Int32Array) return '<i4';
  if (a instanceof Int16Array) return '<i2';
  return '|u1';
}

function shapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The complete header (magic to the '\n'), padded to `total` bytes (a multiple of 64). */
export function npyHeader(descr: NpyDescr, shape: readonly number[], total = HEADER_BYTES): Uint8Array {
  for (const d of shape) if (!Number.isInteger(d) || d < 0) throw new RangeError(`bad .npy dimension ${d}`);
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText(shape)}, }`;
  const headerLen = total - 10;
  if (dict.length + 1 > headerLen || total % 64 !== 0) throw new RangeError(`.npy header for shape ${shapeText(shape)} does not fit ${total} bytes`);
  const out = new Uint8Array(total);
  out.set(MAGIC, 0);
  out[6] = 1; // major version
  out[7] = 0; // minor version
  out[8] = headerLen & 0xff;
  out[9] = headerLen >> 8;
  const text = dict.padEnd(headerLen - 1, ' ') + '\n';
  for (let i = 0; i < text.length; i++) out[10 + i] = text.charCodeAt(i);
  return out;
}

function bytesOf(a: NpyArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * Streams one array to `path`: rows of shape `rowShape` are appended with `append`; `close`
 * writes the final shape [rows, ...rowShape] into the header.
 */
export class NpyWriter {
  private fd: number;
  private rows = 0;
  private closed = false;
  private readonly rowSize: number;
  private readonly descr: NpyDescr;

  constructor(
    readonly path: string,
    readonly kind: 'f4' | 'i4' | 'u1' | 'i2' | 'f8',
    readonly rowShape: readonly number[]
  ) {
    if (!LITTLE_ENDIAN) throw new DatasetError(path, 'writing .npy needs a little-endian machine', 'UNSUPPORTED');
    this.descr = kind === 'u1' ? '|u1' : (`<${kind}` as NpyDescr);
    this.rowSize = rowShape.reduce((a, b) => a * b, 1);
    try {
      this.fd = openSync(path, 'w');
      writeSync(this.fd, npyHeader(this.descr, [0, ...rowShape]));
    } catch (err) {
      throw new DatasetError(path, `cannot write: ${(err as Error).message}`, 'IO');
    }
  }

  /** Appends whole rows; `a.length` must be a multiple of the row size and its type match. */
  append(a: NpyArray): void {
    if (descrOf(a) !== this.descr) throw new DatasetError(this.path, `expected ${this.descr} data, got ${descrOf(a)}`, 'BAD_VALUE');
    if (a.length % this.rowSize !== 0) throw new DatasetError(this.path, `${a.length} values is not a whole number of rows of ${this.rowSize}`, 'BAD_VALUE');
    if (a.length === 0) return;
    const bytes = bytesOf(a);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.rows += a.length / this.rowSize;
  }

  get length(): number {
    return this.rows;
  }

  /** Patches the row count into the header and closes the file (once: a second call does nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      writeSync(this.fd, npyHeader(this.descr, [this.rows, ...this.rowShape]), 0, HEADER_BYTES, 0);
    } finally {
      closeSync(this.fd);
    }
  }
}

export interface ParsedNpy {
  descr: NpyDescr;
  shape: number[];
  data: NpyArray;
}

/** Parses a little-endian, C-order .npy (v1.0–3.0) of the dtypes written here. Copies the data. */
export function parseNpy(buf: Uint8Array, file = '<buffer>'): ParsedNpy {
  for (let i = 0; i < 6; i++) if (buf[i] !== MAGIC[i]) throw new DatasetError(file, 'not a .npy file (bad magic)');
  const major = buf[6]!;
  const lenBytes = major === 1 ? 2 : 4;
  if (major < 1 || major > 3) throw new DatasetError(file, `unsupported .npy version ${major}`, 'UNSUPPORTED_FORMAT');
  let headerLen = 0;
  for (let i = 0; i < lenBytes; i++) headerLen += buf[8 + i]! * 2 ** (8 * i);
  const start = 8 + lenBytes + headerLen;
  const text = new TextDecoder('latin1').decode(buf.subarray(8 + lenBytes, start));
  const descr = /'descr':\s*'([^']+)'/.exec(text)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(text)?.[1];
  const shapeM = /'shape':\s*\(([^)]*)\)/.exec(text)?.[1];
  if (!descr || !fortran || shapeM === undefined) throw new DatasetError(file, `malformed .npy header: ${text.trim()}`);
  if (fortran === 'True') throw new DatasetError(file, 'Fortran-order .npy is not supported', 'UNSUPPORTED_FORMAT');
  const shape = shapeM
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = buf.slice(start); // copy: aligned for the typed-array view
  const ctor = { '<f4': Float32Array, '<f8': Float64Array, '<i4': Int32Array, '<i2': Int16Array, '|u1': Uint8Array, '<u1': Uint8Array }[descr];
  if (!ctor) throw new DatasetError(file, `unsupported dtype ${descr}`, 'UNSUPPORTED_FORMAT');
  if (body.byteLength < count * ctor.BYTES_PER_ELEMENT)
    throw new DatasetError(file, `truncated: ${body.byteLength} data bytes for shape (${shape.join(', ')})`, 'TRUNCATED');
  const data = new ctor(body.buffer, body.byteOffset, count);
  return { descr: descr === '<u1' ? '|u1' : (descr as NpyDescr), shape, data };
}
