// Text built piece by piece straight into UTF-8 bytes, for large outputs (a CSV row per beat): no
// string per piece is kept alive until a final join, which costs a long record's output mostly in
// garbage collection.

/** Text appended piece by piece as UTF-8 into a growing byte array. */
export class Utf8Text {
  private buf = new Uint8Array(1 << 16);
  private at = 0;
  private readonly encoder = new TextEncoder();

  push(s: string): void {
    for (;;) {
      const { read, written } = this.encoder.encodeInto(s, this.buf.subarray(this.at));
      this.at += written;
      if (read === s.length) return;
      s = s.slice(read); // the rest did not fit
      const grown = new Uint8Array(2 * this.buf.length);
      grown.set(this.buf.subarray(0, this.at));
      this.buf = grown;
    }
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}
