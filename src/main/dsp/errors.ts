/** Bad input to a signal-processing function (non-positive rate, impossible cutoff, ...). */
export class DspError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DspError';
  }
}

export function requireRate(fs: number, what = 'sampling rate'): void {
  if (!Number.isFinite(fs) || fs <= 0) throw new DspError(`${what} must be a positive number, got ${fs}`);
}
