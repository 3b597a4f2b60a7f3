// Short stretches of signal around beats (±0.3 s, one lead: the session's primaryLead) for the morphology groups: fetched from
// main once per beat and kept, so paging back and forth or splitting a group redraws from memory.
import type { Api } from '../../../shared/contract';

/** Beats kept; past it the oldest are dropped (a 24-h Holter's groups page through 100 000 beats). */
const KEEP = 4000;

export class SnippetCache {
  private readonly kept = new Map<number, Promise<Float32Array>>();
  readonly half: number;

  constructor(
    private readonly api: Api,
    private readonly path: string,
    fs: number,
    private readonly lead = 0
  ) {
    this.half = Math.round(0.3 * fs);
  }

  /** The signal around the beat at `sample`: 2 × half frames with the beat in the middle (NaN past the record's ends). */
  get(sample: number): Promise<Float32Array> {
    let p = this.kept.get(sample);
    if (!p) {
      const from = Math.max(0, sample - this.half);
      p = this.api
        .invoke('record:window', { path: this.path, from, to: sample + this.half, maxPoints: 2 * this.half })
        .then((w) => centredSnippet(w.min[this.lead] ?? new Float32Array(0), w.from, sample, this.half));
      p.catch(() => this.kept.delete(sample));
      if (this.kept.size >= KEEP) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(sample, p);
    }
    return p;
  }

  all(samples: readonly number[]): Promise<Float32Array[]> {
    return Promise.all(samples.map((s) => this.get(s)));
  }
}

/**
 * The frames [sample - half, sample + half) from a window read from `from` (main clips a window to
 * the record): NaN where the record has none, so a beat within `half` of the record's start or end
 * keeps its place in the middle and its width, as the other beats drawn with it.
 */
export function centredSnippet(frames: Float32Array, from: number, sample: number, half: number): Float32Array {
  const out = new Float32Array(2 * half).fill(NaN);
  const at = from - (sample - half);
  for (let i = Math.max(0, -at); i < frames.length && at + i < out.length; i++) out[at + i] = frames[i]!;
  return out;
}
