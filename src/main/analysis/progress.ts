// Progress of one analysis: named stages with weights, overall fraction and an ETA.
export interface ProgressEvent {
  stage: string;
  fraction: number;
  etaSec: number | null;
}

export type ProgressListener = (p: ProgressEvent) => void;

/** Stage weights: rough shares of the time of a 24-hour analysis on CPU. */
export const STAGES = {
  open: 0.02,
  hash: 0.04,
  read: 0.08,
  beats: 0.16,
  windows: 0.2,
  'beat model': 0.3,
  'rhythm model': 0.12,
  rules: 0.08,
} as const;
export type Stage = keyof typeof STAGES;

export class ProgressTracker {
  private done = 0;
  private readonly t0 = performance.now();
  private last = -1;
  private stage = '';
  constructor(private readonly listener?: ProgressListener) {}

  /** Reports `within` (0–1) of `stage`; stages must be reported in the order of STAGES. */
  report(stage: Stage, within: number): void {
    if (!this.listener) return;
    let before = 0;
    for (const [s, w] of Object.entries(STAGES)) {
      if (s === stage) break;
      before += w;
    }
    const f = Math.min(1, before + STAGES[stage] * Math.max(0, Math.min(1, within)));
    if (f < this.done) return;
    this.done = f;
    const now = performance.now();
    // Every stage's start is reported; within a stage at most ~20 events per second.
    if (stage === this.stage && now - this.last < 50 && within < 1) return;
    this.last = now;
    this.stage = stage;
    const elapsed = (now - this.t0) / 1000;
    this.listener({ stage, fraction: f, etaSec: f > 0.02 ? Math.max(0, elapsed / f - elapsed) : null });
  }
}
