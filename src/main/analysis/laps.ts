// Stage timings of one analysis: each lap adds the time since the previous one to its name.
export class Laps {
  readonly ms: Record<string, number> = {};
  readonly t0 = performance.now();
  private t = this.t0;

  lap(name: string): void {
    const now = performance.now();
    this.ms[name] = (this.ms[name] ?? 0) + (now - this.t);
    this.t = now;
  }

  /** Milliseconds since the analysis started. */
  sinceStart(): number {
    return performance.now() - this.t0;
  }
}
