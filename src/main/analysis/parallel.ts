// The rhythm branch's input on a second core: rhythm windows (lead 0 resampled to 125 Hz,
// band-passed, normalised: a few seconds for a 24-hour record) are computed by a helper analysis
// worker while this worker detects beats, cuts beat windows and runs the beat model. The result
// is the same function's output, moved back without copying. If the helper cannot start or
// fails, the windows are computed here instead, so the analysis never depends on it.
import type { Worker } from 'node:worker_threads';
import { rhythmWindows, type RhythmWindows } from '../rhythm/windows';
import type { RhythmWindowsMessage, RhythmWindowsReply } from './protocol';
import { createWorker } from './spawn';

export interface BackgroundJob<T> {
  /** The result (computed on this thread if the helper failed); stops the helper. */
  result(): Promise<T>;
  /** Ends the helper now (cancellation, errors); idempotent. */
  stop(): void;
  /** After result(): true when the helper computed it. */
  readonly fromHelper: boolean;
}

export function rhythmWindowsInBackground(signal: Float32Array, fs: number, strideSec: number): BackgroundJob<RhythmWindows> {
  let worker: Worker | null = null;
  const stop = () => {
    const w = worker;
    worker = null;
    if (w) void w.terminate();
  };
  let pending: Promise<RhythmWindows>;
  try {
    const w = (worker = createWorker());
    pending = new Promise<RhythmWindows>((resolve, reject) => {
      w.once('message', (r: RhythmWindowsReply) => (r.type === 'rhythm-windows' ? resolve(r.result) : reject(new Error(r.message))));
      w.once('error', reject);
      w.once('exit', (code) => reject(new Error(`rhythm windows helper exited (code ${code})`)));
    });
    // structured clone copies the whole buffer under a view: send just the lead (a lead in shared
    // memory is not copied at all)
    const own =
      signal.buffer instanceof SharedArrayBuffer || (signal.byteOffset === 0 && signal.byteLength === signal.buffer.byteLength) ? signal : signal.slice();
    const msg: RhythmWindowsMessage = { type: 'rhythm-windows', signal: own, fs, strideSec };
    w.postMessage(msg);
  } catch (e) {
    pending = Promise.reject(e as Error);
  }
  pending.catch(() => undefined); // handled in result(); no unhandled rejection when stopped early
  let fromHelper = false;
  return {
    result: () =>
      pending.then(
        (r) => ((fromHelper = true), stop(), r),
        () => (stop(), rhythmWindows(signal, fs, strideSec))
      ),
    stop,
    get fromHelper() {
      return fromHelper;
    },
  };
}
