// Draw-time samples of the trace (ms per frame), kept in a ring and exposed on window for the
// end-to-end test's frame-time report.
const SIZE = 4096;
const times = new Float64Array(SIZE);
let count = 0;

declare global {
  interface Window {
    __heartbeatPerf?: { drawMs(): number[]; reset(): void };
  }
}

export function recordFrame(ms: number): void {
  times[count % SIZE] = ms;
  count++;
}

if (typeof window !== 'undefined') {
  window.__heartbeatPerf = {
    drawMs: () => Array.from(times.subarray(0, Math.min(count, SIZE))),
    reset: () => {
      count = 0;
    },
  };
}
