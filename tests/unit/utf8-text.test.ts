import { describe, expect, it } from 'vitest';
import { Utf8Text } from '../../src/main/files/utf8-text';

describe('Utf8Text', () => {
  it('holds the UTF-8 of the pieces joined, across its growth and multi-byte characters at the boundary', () => {
    const pieces: string[] = [];
    const t = new Utf8Text();
    // rows of varying length with 2-, 3- and 4-byte characters, well past the first 64 KiB
    for (let k = 0; k < 20_000; k++) {
      const p = `${k},${'x'.repeat(k % 13)}${k % 5 === 0 ? 'µ≥😀' : ''},${(k / 7).toFixed(3)}\n`;
      pieces.push(p);
      t.push(p);
    }
    const want = new TextEncoder().encode(pieces.join(''));
    expect(want.length).toBeGreaterThan(4 * 65_536);
    expect(Buffer.from(t.bytes()).equals(Buffer.from(want))).toBe(true);
    expect(new Utf8Text().bytes()).toHaveLength(0);
  });
});
