import { HeartbeatError } from '../../shared/errors';

/** Bad input to beat extraction (unsorted R peaks, no signal, ...). */
export class BeatsError extends HeartbeatError {
  override name = 'BeatsError';
  constructor(message: string) {
    super('BAD_VALUE', message);
  }
}

/** Throws unless rPeaks is strictly increasing. */
export function requireIncreasing(rPeaks: Int32Array, what = 'R peaks'): void {
  for (let i = 1; i < rPeaks.length; i++) {
    if (rPeaks[i]! <= rPeaks[i - 1]!) throw new BeatsError(`${what} must be strictly increasing: [${i - 1}] = ${rPeaks[i - 1]}, [${i}] = ${rPeaks[i]}`);
  }
}
