/** Bad input to beat extraction (unsorted R peaks, no signal, ...). */
export class BeatsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BeatsError';
  }
}

/** Throws unless rPeaks is strictly increasing. */
export function requireIncreasing(rPeaks: Int32Array, what = 'R peaks'): void {
  for (let i = 1; i < rPeaks.length; i++) {
    if (rPeaks[i]! <= rPeaks[i - 1]!) throw new BeatsError(`${what} must be strictly increasing: [${i - 1}] = ${rPeaks[i - 1]}, [${i}] = ${rPeaks[i]}`);
  }
}
