// What the trace shows: time window (start and pixels per second, i.e. paper speed), gain,
// which leads. Shared by the trace, the overview, the tachogram and the keyboard.
import { pxPerSecond, SPEEDS, GAINS, speedOf, stepSpeed } from './paper';

export class ViewState {
  startSec = $state(0);
  pxPerSec = $state(pxPerSecond(25));
  gain = $state(10);
  /** 'all' stacks every lead; a number shows that lead alone. */
  lead = $state<'all' | number>('all');
  width = $state(1000);
  durationSec = $state(0);
  /** Last pointer position over the trace, in seconds (null when the pointer is elsewhere). */
  hoverSec = $state<number | null>(null);

  get spanSec(): number {
    return this.width / this.pxPerSec;
  }

  get speed(): number {
    return speedOf(this.pxPerSec);
  }

  /** Keeps the record on screen: at most a small margin (10 % of the view, ≤ 2 s) before its start or after its end. */
  clampStart(s: number): number {
    const margin = Math.min(this.spanSec * 0.1, 2);
    return Math.max(-margin, Math.min(s, this.durationSec - this.spanSec + margin));
  }

  /** A record opened: the view goes to `atSec` (its saved cursor) or to its start, never where the last record was. */
  openRecord(durationSec: number, atSec: number | null): void {
    this.durationSec = durationSec;
    this.setWindow(atSec === null ? 0 : atSec - this.spanSec / 2, this.pxPerSec);
  }

  setWindow(startSec: number, pxPerSec: number): void {
    const maxPx = pxPerSecond(400);
    const minPx = Math.min(pxPerSecond(25), this.width / Math.max(1, this.durationSec));
    this.pxPerSec = Math.max(minPx, Math.min(maxPx, pxPerSec));
    this.startSec = this.clampStart(startSec);
  }

  centerOn(sec: number): void {
    this.setWindow(sec - this.spanSec / 2, this.pxPerSec);
  }

  /** Centres on `sec` only when it is outside the middle 80 % of the view. */
  follow(sec: number): void {
    if (!this.inMiddle(sec)) this.centerOn(sec);
  }

  /** Where the view would start after follow(sec) (the trace fetches that window ahead). */
  followStart(sec: number): number {
    return this.inMiddle(sec) ? this.startSec : this.clampStart(sec - this.spanSec / 2);
  }

  private inMiddle(sec: number): boolean {
    return sec >= this.startSec + this.spanSec * 0.1 && sec <= this.startSec + this.spanSec * 0.9;
  }

  zoomBy(factor: number, atSec = this.startSec + this.spanSec / 2): void {
    const frac = (atSec - this.startSec) / this.spanSec;
    const px = this.pxPerSec * factor;
    this.setWindow(atSec - (this.width / px) * frac, px);
    this.startSec = this.clampStart(atSec - this.spanSec * frac);
  }

  /** One zoom step to the next paper speed (… 12.5, 25, 50, 100 …), about `atSec`. */
  stepZoom(dir: 1 | -1, atSec?: number): void {
    this.zoomBy(stepSpeed(this.speed, dir) / this.speed, atSec);
  }

  setSpeed(mmPerSec: number): void {
    const mid = this.startSec + this.spanSec / 2;
    this.pxPerSec = pxPerSecond(mmPerSec);
    this.centerOn(mid);
  }

  cycleGain(): void {
    const i = GAINS.indexOf(this.gain as (typeof GAINS)[number]);
    this.gain = GAINS[(i + 1) % GAINS.length]!;
  }

  cycleLead(nLeads: number): void {
    if (this.lead === 'all') this.lead = 0;
    else if (this.lead + 1 < nLeads) this.lead = this.lead + 1;
    else this.lead = 'all';
  }
}

export { SPEEDS, GAINS };
