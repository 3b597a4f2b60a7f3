import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, decodeWire, encodeWire, WireFormatError } from '../../src/shared/wire';

describe('bridge wire format', () => {
  it('base64 matches Node for every length modulo 3', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 255, 256, 12_289]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 37 + 11) & 255);
      const b64 = bytesToBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(Array.from(base64ToBytes(b64))).toEqual(Array.from(bytes));
    }
  });

  it('typed arrays, NaN and infinities survive bit for bit', () => {
    const f = new Float32Array([1.5, NaN, -0, 3.4e38, -Infinity]);
    const value = {
      sample: new Int32Array([-5, 0, 2 ** 31 - 1]),
      probs: f,
      label: new Uint8Array([0, 2, 255]),
      sub: new Float64Array(new Float64Array([1, 2, 3, 4]).buffer, 8, 2),
      nested: [{ hr: NaN, max: Infinity }, null, 'x'],
    };
    const back = decodeWire(encodeWire(value)) as typeof value;
    expect(back.sample).toBeInstanceOf(Int32Array);
    expect(Array.from(back.sample)).toEqual([-5, 0, 2 ** 31 - 1]);
    expect(new Uint8Array(back.probs.buffer)).toEqual(new Uint8Array(f.buffer));
    expect(back.label).toBeInstanceOf(Uint8Array);
    expect(Array.from(back.sub)).toEqual([2, 3]);
    expect(back.nested[0]).toEqual({ hr: NaN, max: Infinity });
  });

  it('refuses reserved keys and malformed tags with a plain message', () => {
    expect(() => encodeWire({ $ta: 1 })).toThrow(WireFormatError);
    expect(() => decodeWire('{"$ta":"Float32Array","b64":"AAA"}')).toThrow(/multiple of 4/);
    expect(() => decodeWire('{"$ta":"Float32Array","b64":"AAAA"}')).toThrow(/not a multiple of 4/);
    expect(() => decodeWire('{oops')).toThrow(/not JSON/);
    expect(() => decodeWire('{"$ta":"Uint8Array","b64":"AA!A"}')).toThrow(/invalid base64/);
    expect(() => decodeWire('{"$ta":"Uint8Array","b64":"AAAA    "}')).toThrow(/invalid base64/);
    // a body nested 200,000 levels deep: bad input (a 400), not a stack overflow (a 500)
    expect(() => decodeWire('['.repeat(200_000) + ']'.repeat(200_000))).toThrow(WireFormatError);
  });
});

describe('base64 by the platform decoder (Chromium, Electron)', () => {
  it('refuses text with whitespace or a bad character that the platform decoder would skip or throw on', () => {
    // Node 20 has no Uint8Array.fromBase64: stand one in that skips whitespace as the platform's does
    const U = Uint8Array as unknown as { fromBase64?: (t: string) => Uint8Array };
    const had = U.fromBase64;
    U.fromBase64 = (t: string) => {
      if (/[^A-Za-z0-9+/=\s]/.test(t)) throw new SyntaxError('bad');
      return new Uint8Array(Buffer.from(t.replace(/\s/g, ''), 'base64'));
    };
    try {
      expect(Array.from(base64ToBytes('AAEC'))).toEqual([0, 1, 2]);
      expect(() => base64ToBytes('AAAA    ')).toThrow(/invalid base64/);
      expect(() => base64ToBytes('AA!A')).toThrow(/invalid base64/);
    } finally {
      U.fromBase64 = had;
    }
  });
});

describe('wire decoding creates no prototypes (issue 14 item 4)', () => {
  it('drops __proto__, constructor and prototype keys at every depth', () => {
    const v = decodeWire(
      '{"__proto__": {"confirmOverwrite": "x"}, "a": {"constructor": {"prototype": {"polluted": 1}}, "__proto__": {"y": 1}}, "list": [{"__proto__": {"z": 1}}]}'
    ) as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype);
    expect((v as { confirmOverwrite?: unknown }).confirmOverwrite).toBeUndefined();
    expect(Object.keys(v)).toEqual(['a', 'list']);
    const a = v.a as Record<string, unknown>;
    expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
    expect(Object.keys(a)).toEqual([]);
    expect((a as { y?: unknown }).y).toBeUndefined();
    expect(Object.getPrototypeOf((v.list as object[])[0])).toBe(Object.prototype);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
