// Signal windows for the views, fetched from main and kept so that scrolling and zooming redraw
// from memory: one buffered run around the view (three view widths, at about one point per
// pixel), refetched only when the view leaves it or its resolution no longer fits. Windows can be
// fetched ahead (where J and K go next) and the last few are kept, so that a jump draws its
// signal in the key's own frame instead of a frame later.
import type { SignalWindow } from '../../../shared/review';

export type FetchWindow = (from: number, to: number, maxPoints: number) => Promise<SignalWindow>;

/** A run of frames at a bucket (frames per point). */
interface Span {
  from: number;
  to: number;
  bucket: number;
}

/** Windows kept besides the one shown: the next two J targets, the K target, the views before a few jumps. */
const KEPT = 6;
/** Fetches ahead in flight at once (a view's own fetch is never held back). */
const AHEAD = 3;

export class WindowCache {
  data: SignalWindow | null = null;
  private kept: SignalWindow[] = [];
  private inFlight: (Span & { ahead: boolean })[] = [];
  /** What the view asked for last (its frames and scale): a fetch that arrives fitting it is shown. */
  private want: { from: number; to: number; framesPerPx: number } | null = null;

  constructor(
    private readonly fetchWindow: FetchWindow,
    private readonly nFrames: number,
    private readonly onData: () => void,
    private readonly onError: (e: Error) => void
  ) {}

  /** Whether `w` covers frames [from, to) at a resolution fit for framesPerPx. */
  static fits(w: Span, from: number, to: number, framesPerPx: number, nFrames: number): boolean {
    const covers = w.from <= Math.max(0, from) && w.to >= Math.min(nFrames, to);
    // Server buckets may round up (to its 64-frame level) by less than a factor of 2.
    const fineEnough = w.bucket <= Math.max(1, 2 * framesPerPx);
    const coarseEnough = w.bucket * 4 >= framesPerPx;
    return covers && fineEnough && coarseEnough;
  }

  /** Makes sure the view [from, to) will be drawable: a kept window that fits becomes `data` at once, else one is fetched in the background. */
  ensure(from: number, to: number, framesPerPx: number): void {
    this.want = { from, to, framesPerPx };
    const fits = (w: Span) => WindowCache.fits(w, from, to, framesPerPx, this.nFrames);
    if (this.data && fits(this.data)) return;
    const k = this.kept.findIndex(fits);
    if (k >= 0) {
      this.show(this.kept.splice(k, 1)[0]!);
      return;
    }
    if (this.inFlight.some(fits)) return;
    this.fetch(from, to, framesPerPx, false);
  }

  /** Fetches the window a view of [from, to) would need, in the background, unless one is here or on its way. */
  prefetch(from: number, to: number, framesPerPx: number): void {
    const fits = (w: Span) => WindowCache.fits(w, from, to, framesPerPx, this.nFrames);
    if ((this.data && fits(this.data)) || this.kept.some(fits) || this.inFlight.some(fits)) return;
    if (this.inFlight.filter((f) => f.ahead).length >= AHEAD) return;
    this.fetch(from, to, framesPerPx, true);
  }

  private fetch(from: number, to: number, framesPerPx: number, ahead: boolean): void {
    const span = to - from;
    // both ends within the record: a view in the margin before its start or after its end asks for
    // what is there, and one wholly outside asks for nothing (main refuses to ≤ from)
    const a = Math.max(0, Math.min(this.nFrames, Math.floor(from - span)));
    const b = Math.max(0, Math.min(this.nFrames, Math.ceil(to + span)));
    if (b <= a) return;
    const bucket = Math.max(1, Math.floor(framesPerPx));
    const maxPoints = Math.min(200_000, Math.max(16, Math.ceil((b - a) / bucket)));
    const flight = { from: a, to: b, bucket, ahead };
    this.inFlight.push(flight);
    const landed = () => (this.inFlight = this.inFlight.filter((f) => f !== flight));
    this.fetchWindow(a, b, maxPoints).then(
      (w) => {
        landed();
        const want = this.want;
        const shown = this.data && want && WindowCache.fits(this.data, want.from, want.to, want.framesPerPx, this.nFrames);
        if (!shown && want && WindowCache.fits(w, want.from, want.to, want.framesPerPx, this.nFrames)) {
          this.show(w);
          this.onData();
        } else this.keep(w);
      },
      (e: unknown) => {
        landed();
        // A fetch ahead that fails costs nothing: the view's own fetch, if it comes to one, says why.
        if (!ahead) this.onError(e instanceof Error ? e : new Error(String(e)));
      }
    );
  }

  private show(w: SignalWindow): void {
    if (this.data) this.keep(this.data);
    this.data = w;
  }

  private keep(w: SignalWindow): void {
    this.kept.push(w);
    if (this.kept.length > KEPT) this.kept.shift();
  }
}
