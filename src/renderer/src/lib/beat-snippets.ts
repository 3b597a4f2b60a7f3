// Short stretches of signal around beats (±0.3 s, one lead: the session's primaryLead) for the morphology groups: fetched from
// main once per beat and kept, so paging back and forth or splitting a group redraws from memory.
import type { Api } from '../../../shared/contract';
import { fitCanvas } from './canvas';

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

  /** The signal around the beat at `sample`. */
  get(sample: number): Promise<Float32Array> {
    let p = this.kept.get(sample);
    if (!p) {
      const from = Math.max(0, sample - this.half);
      p = this.api
        .invoke('record:window', { path: this.path, from, to: sample + this.half, maxPoints: 2 * this.half })
        .then((w) => w.min[this.lead] ?? new Float32Array(0));
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
 * Draws beats superimposed on a w × h canvas in `colour`, each centred on its own median so
 * baseline wander does not smear the template; one scale for all so their sizes compare.
 */
export function drawSnippets(canvas: HTMLCanvasElement, set: readonly Float32Array[], colour: string, w: number, h: number, alpha = 0.45): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  fitCanvas(canvas, ctx, w, h);
  const centred = set.map((tr) => {
    const med = Float32Array.from(tr).sort()[tr.length >> 1] ?? 0;
    return tr.map((v) => v - med);
  });
  let lo = Infinity;
  let hi = -Infinity;
  for (const tr of centred)
    for (const v of tr) {
      if (!Number.isFinite(v)) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  if (!(hi > lo)) return;
  ctx.strokeStyle = colour;
  ctx.globalAlpha = alpha;
  for (const tr of centred) {
    ctx.beginPath();
    tr.forEach((v, i) => {
      const x = (i / Math.max(1, tr.length - 1)) * w;
      const y = h - 4 - ((v - lo) / (hi - lo)) * (h - 8);
      if (i) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
    });
    ctx.stroke();
  }
  ctx.globalAlpha = 1;
}
