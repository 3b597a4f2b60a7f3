// The HR trend plot's geometry: bpm axis in round 20s that an artefact cannot stretch, lines broken
// at minutes without beats, time labels inside the box.
import { describe, expect, it } from 'vitest';
import { hrTrend } from '../../src/renderer/src/lib/hr-trend';
import { bpmDomain, trendGeometry } from '../../src/renderer/src/lib/hr-trend-plot';

const FS = 100;
const beatsEvery = (sec: number, from: number, to: number) =>
  Array.from({ length: Math.floor((to - from) / sec) + 1 }, (_, i) => Math.round((from + i * sec) * FS));

describe('HR trend plot', () => {
  it('bpm domain in round 20s within 20–260', () => {
    const t = hrTrend(Int32Array.from(beatsEvery(0.8, 0, 300)), FS);
    expect(bpmDomain(t)).toEqual([60, 100]);
    const spike = hrTrend(Int32Array.from([...beatsEvery(1, 0, 60), 6010, ...beatsEvery(1, 61, 120)]), FS);
    expect(bpmDomain(spike)[1]).toBe(260);
    expect(bpmDomain(hrTrend(new Int32Array(0), FS))).toEqual([40, 120]);
  });

  it('a minute without beats breaks the band and the mean line; ticks have numbers and stay in the box', () => {
    // beats in minutes 0–1, none in 2–3, beats again in 4
    const t = hrTrend(Int32Array.from([...beatsEvery(1, 0, 119), ...beatsEvery(1, 241, 299)]), FS);
    const g = trendGeometry(t, FS, 300, { width: 400, height: 90, left: 30, bottom: 14 });
    expect(g.mean.match(/M/g)!.length).toBe(2);
    expect(g.band.match(/Z/g)!.length).toBe(2);
    expect(g.yTicks.map((y) => y.bpm)).toEqual([20, 40, 60]); // the 122-s gap closes at 00:04:01: 0.5 bpm, clamped to 20
    expect(g.xTicks.length).toBeGreaterThan(2);
    for (const x of g.xTicks) expect(x.x).toBeLessThanOrEqual(376);
    expect(g.xTicks[1]!.label).toMatch(/^\d\d:\d\d$/);
    expect(g.secAt(g.x(150))).toBeCloseTo(150, 6);
  });
});
