// Where `A` adds a beat (src/renderer/src/lib/add-beat-here.ts): snapped to the peak of the lead
// shown, or of the session's primary lead (the analysis's first) when every lead is stacked.
import { describe, expect, it } from 'vitest';
import { addBeatSample } from '../../src/renderer/src/lib/add-beat-here';
import type { ReviewBeats } from '../../src/renderer/src/lib/beats';

describe('add a beat here', () => {
  const fs = 250;
  // two leads over frames 1000..1200: lead 0 (a pressure) peaks at 1090, lead 1 (the ECG) at 1110
  const lead0 = new Float32Array(200);
  const lead1 = new Float32Array(200);
  lead0[90] = 5;
  lead1[110] = 2;
  const data = { from: 1000, to: 1200, bucket: 1, min: [lead0, lead1], max: [lead0, lead1] };
  const beats = { count: 0, sample: new Int32Array(0) } as unknown as ReviewBeats;
  const at = (lead: 'all' | number, primaryLead?: number) =>
    addBeatSample({
      beats,
      fs,
      currentIndex: -1,
      view: { hoverSec: 1100 / fs, startSec: 0, spanSec: 10, lead },
      data,
      ...(primaryLead === undefined ? {} : { primaryLead }),
    });

  it('snaps to the peak of the lead shown', () => {
    expect(at(0)).toBe(1090);
    expect(at(1)).toBe(1110);
  });

  it('with every lead shown, snaps on the primary lead (lead 0 when none is given)', () => {
    expect(at('all', 1)).toBe(1110);
    expect(at('all')).toBe(1090);
  });
});
