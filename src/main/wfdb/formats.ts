// Signal file formats (signal(5)): how samples are packed into bytes, decoded by tight loops over
// a Uint8Array into an Int32Array of the file's interleaved sample stream.
//
// Every format packs a fixed number of samples (groupSamples) into a fixed number of bytes
// (groupBytes), so the byte position of any sample is known without decoding what precedes it —
// except format 8, whose samples are first differences and must be summed from the start.

/** WFDB_INVALID_SAMPLE: what every format's "no data" code decodes to. */
export const INVALID = -32768;
// (hot loops below write the literal -32768: a module constant costs a check per access)

export interface FormatInfo {
  format: number;
  groupSamples: number;
  groupBytes: number;
  /** Default ADC resolution in bits. */
  bits: number;
  /** True when decoded values need 32 bits (Int32Array output). */
  wide: boolean;
  /** First differences (format 8): decoding must start at the beginning of the file. */
  differences: boolean;
  /** The value the file stores for an invalid sample (what checksums count), null if none. */
  invalidCode: number | null;
}

function info(format: number, groupSamples: number, groupBytes: number, bits: number, wide = false, differences = false): [number, FormatInfo] {
  const invalidCode = differences ? null : -(2 ** (bits - 1));
  return [format, { format, groupSamples, groupBytes, bits, wide, differences, invalidCode }];
}

export const FORMATS: ReadonlyMap<number, FormatInfo> = new Map([
  info(8, 1, 1, 8, false, true),
  info(16, 1, 2, 16),
  info(24, 1, 3, 24, true),
  info(32, 1, 4, 32, true),
  info(61, 1, 2, 16),
  info(80, 1, 1, 8),
  info(160, 1, 2, 16),
  info(212, 2, 3, 12),
  info(310, 3, 4, 10),
  info(311, 3, 4, 10),
]);

export const FLAC_FORMATS: ReadonlySet<number> = new Set([508, 516, 524]);

/** How many whole samples `nBytes` bytes of a file in this format hold (a partial last group counts its complete samples). */
export function samplesInBytes(f: FormatInfo, nBytes: number): number {
  const groups = Math.floor(nBytes / f.groupBytes);
  const rem = nBytes - groups * f.groupBytes;
  let extra = 0;
  if (rem > 0) {
    if (f.format === 212)
      extra = rem >= 2 ? 1 : 0; // sample 0 needs bytes 0-1, sample 1 byte 2 too
    else if (f.format === 310)
      extra = rem >= 2 ? 1 : 0; // sample 0 lives in the first 16-bit word
    else if (f.format === 311) extra = rem >= 3 ? 2 : rem >= 2 ? 1 : 0; // bits 0-9, 10-19, 20-29
  }
  return groups * f.groupSamples + extra;
}

/** Bytes needed to hold `n` samples (the last group may be partial, as WFDB writes it). */
export function bytesForSamples(f: FormatInfo, n: number): number {
  const groups = Math.floor(n / f.groupSamples);
  const rem = n - groups * f.groupSamples;
  let extra = 0;
  if (rem > 0) {
    if (f.format === 212) extra = 2;
    else if (f.format === 310) extra = rem === 1 ? 2 : 4;
    else if (f.format === 311) extra = rem === 1 ? 2 : 3;
  }
  return groups * f.groupBytes + extra;
}

/**
 * Format 8's running values: one per signal of the file (WFDB chains a signal's differences across
 * all its samples of a frame), and for each stream slot the index of the value it adds to.
 */
export interface Differences {
  values: Int32Array;
  slotValue: Int32Array;
}

/**
 * Decodes `n` samples from `src` (which starts at a group boundary and, for format 8, at a frame
 * boundary) into `dst[0..n)`. `diff` carries format 8's running values; it is updated in place.
 */
export function decodeSamples(format: number, src: Uint8Array, n: number, dst: Int32Array, diff?: Differences): void {
  switch (format) {
    case 212: {
      let i = 0;
      let k = 0;
      for (; k + 1 < n; k += 2, i += 3) {
        const b1 = src[i + 1]!;
        const a = ((src[i]! | ((b1 & 0x0f) << 8)) << 20) >> 20;
        const b = ((src[i + 2]! | ((b1 & 0xf0) << 4)) << 20) >> 20;
        dst[k] = a === -2048 ? -32768 : a;
        dst[k + 1] = b === -2048 ? -32768 : b;
      }
      if (k < n) {
        const a = ((src[i]! | ((src[i + 1]! & 0x0f) << 8)) << 20) >> 20;
        dst[k] = a === -2048 ? -32768 : a;
      }
      return;
    }
    case 16:
      for (let k = 0, i = 0; k < n; k++, i += 2) dst[k] = ((src[i]! | (src[i + 1]! << 8)) << 16) >> 16;
      return;
    case 61:
      for (let k = 0, i = 0; k < n; k++, i += 2) dst[k] = ((src[i + 1]! | (src[i]! << 8)) << 16) >> 16;
      return;
    case 160:
      for (let k = 0, i = 0; k < n; k++, i += 2) dst[k] = (src[i]! | (src[i + 1]! << 8)) - 32768;
      return;
    case 80:
      for (let k = 0; k < n; k++) {
        const v = src[k]! - 128;
        dst[k] = v === -128 ? -32768 : v;
      }
      return;
    case 24:
      for (let k = 0, i = 0; k < n; k++, i += 3) {
        const v = ((src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16)) << 8) >> 8;
        dst[k] = v === -8388608 ? -32768 : v;
      }
      return;
    case 32:
      for (let k = 0, i = 0; k < n; k++, i += 4) {
        const v = src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
        dst[k] = v === -2147483648 ? -32768 : v;
      }
      return;
    case 310: {
      // Two little-endian 16-bit words hold three 10-bit samples: sample 0 in bits 1-10 of word 0,
      // sample 1 in bits 1-10 of word 1, sample 2 from bits 11-15 of word 0 (low five bits) and of
      // word 1 (high five bits). Bit 0 of each word is unused.
      let k = 0;
      let i = 0;
      for (; k + 2 < n; k += 3, i += 4) {
        const w0 = src[i]! | (src[i + 1]! << 8);
        const w1 = src[i + 2]! | (src[i + 3]! << 8);
        dst[k] = tenBit((w0 >> 1) & 0x3ff);
        dst[k + 1] = tenBit((w1 >> 1) & 0x3ff);
        dst[k + 2] = tenBit(((w0 >> 11) & 0x1f) | (((w1 >> 11) & 0x1f) << 5));
      }
      if (k < n) dst[k] = tenBit(((src[i]! | (src[i + 1]! << 8)) >> 1) & 0x3ff);
      if (k + 1 < n) dst[k + 1] = tenBit(((src[i + 2]! | (src[i + 3]! << 8)) >> 1) & 0x3ff);
      return;
    }
    case 311: {
      // One little-endian 32-bit word holds three 10-bit samples in bits 0-9, 10-19 and 20-29.
      let k = 0;
      let i = 0;
      for (; k + 2 < n; k += 3, i += 4) {
        const w = src[i]! | (src[i + 1]! << 8) | (src[i + 2]! << 16) | (src[i + 3]! << 24);
        dst[k] = tenBit(w & 0x3ff);
        dst[k + 1] = tenBit((w >>> 10) & 0x3ff);
        dst[k + 2] = tenBit((w >>> 20) & 0x3ff);
      }
      if (k < n) {
        const w = src[i]! | (src[i + 1]! << 8) | ((src[i + 2] ?? 0) << 16);
        dst[k] = tenBit(w & 0x3ff);
        if (k + 1 < n) dst[k + 1] = tenBit((w >>> 10) & 0x3ff);
      }
      return;
    }
    case 8: {
      if (!diff) throw new Error('format 8 decoding needs the running values');
      const { values, slotValue } = diff;
      const spf = slotValue.length;
      for (let k = 0, slot = 0; k < n; k++) {
        const j = slotValue[slot]!;
        const v = values[j]! + ((src[k]! << 24) >> 24);
        values[j] = v;
        dst[k] = v;
        if (++slot === spf) slot = 0;
      }
      return;
    }
    default:
      throw new Error(`no decoder for format ${format}`);
  }
}

function tenBit(v: number): number {
  const s = (v << 22) >> 22;
  return s === -512 ? -32768 : s;
}

/** Range of raw values a format can store (the invalid code excluded). */
export function storableRange(format: number): [number, number] {
  switch (format) {
    case 212:
      return [-2047, 2047];
    case 16:
      return [-32767, 32767];
    default:
      throw new Error(`no encoder for format ${format}`);
  }
}

/**
 * Encodes `n` interleaved samples (INVALID → the format's invalid code) into `dst`, which must
 * hold bytesForSamples(n). Supports the formats writeRecord writes: 16 and 212.
 */
export function encodeSamples(format: 16 | 212, src: Int32Array, n: number, dst: Uint8Array): void {
  if (format === 16) {
    for (let k = 0, i = 0; k < n; k++, i += 2) {
      const v = src[k]!;
      dst[i] = v & 0xff;
      dst[i + 1] = (v >> 8) & 0xff;
    }
    return;
  }
  let k = 0;
  let i = 0;
  for (; k + 1 < n; k += 2, i += 3) {
    const a = src[k] === -32768 ? -2048 : src[k]!;
    const b = src[k + 1] === -32768 ? -2048 : src[k + 1]!;
    dst[i] = a & 0xff;
    dst[i + 1] = ((a >> 8) & 0x0f) | ((b >> 4) & 0xf0);
    dst[i + 2] = b & 0xff;
  }
  if (k < n) {
    const a = src[k] === -32768 ? -2048 : src[k]!;
    dst[i] = a & 0xff;
    dst[i + 1] = (a >> 8) & 0x0f;
  }
}
