import { HeartbeatError } from '../../shared/errors';

/** Bad input to a signal-processing function (non-positive rate, impossible cutoff, ...). */
export class DspError extends HeartbeatError {
  override name = 'DspError';
  constructor(message: string) {
    super('BAD_VALUE', message);
  }
}

export function requireRate(fs: number, what = 'sampling rate'): void {
  if (!Number.isFinite(fs) || fs <= 0) throw new DspError(`${what} must be a positive number, got ${fs}`);
}
