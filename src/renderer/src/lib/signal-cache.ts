// Signal windows for the views, fetched from main and kept so that scrolling and zooming redraw
// from memory: one buffered run around the view (three view widths, at about one point per
// pixel), refetched only when the view leaves it or its resolution no longer fits.
import type { SignalWindow } from '../../../shared/review';

export type FetchWindow = (from: number, to: number, maxPoints: number) => Promise<SignalWindow>;

export class WindowCache {
  data: SignalWindow | null = null;
  private pending: { from: number; to: number; bucket: number } | null = null;
  private generation = 0;

  constructor(
    private readonly fetchWindow: FetchWindow,
    private readonly nFrames: number,
    private readonly onData: () => void,
    private readonly onError: (e: Error) => void
  ) {}

  /** Whether `w` covers frames [from, to) at a resolution fit for framesPerPx. */
  static fits(w: { from: number; to: number; bucket: number }, from: number, to: number, framesPerPx: number, nFrames: number): boolean {
    const covers = w.from <= Math.max(0, from) && w.to >= Math.min(nFrames, to);
    // Server buckets may round up (to its 64-frame level) by less than a factor of 2.
    const fineEnough = w.bucket <= Math.max(1, 2 * framesPerPx);
    const coarseEnough = w.bucket * 4 >= framesPerPx;
    return covers && fineEnough && coarseEnough;
  }

  /** Makes sure the view [from, to) will be drawable; fetches in the background when needed. */
  ensure(from: number, to: number, framesPerPx: number): void {
    if (this.data && WindowCache.fits(this.data, from, to, framesPerPx, this.nFrames)) return;
    if (this.pending && WindowCache.fits(this.pending, from, to, framesPerPx, this.nFrames)) return;
    const span = to - from;
    const a = Math.max(0, Math.floor(from - span));
    const b = Math.min(this.nFrames, Math.ceil(to + span));
    const bucket = Math.max(1, Math.floor(framesPerPx));
    const maxPoints = Math.min(200_000, Math.max(16, Math.ceil((b - a) / bucket)));
    const gen = ++this.generation;
    this.pending = { from: a, to: b, bucket };
    this.fetchWindow(a, b, maxPoints).then(
      (w) => {
        if (gen !== this.generation) return;
        this.pending = null;
        this.data = w;
        this.onData();
      },
      (e: unknown) => {
        if (gen !== this.generation) return;
        this.pending = null;
        this.onError(e instanceof Error ? e : new Error(String(e)));
      }
    );
  }
}
