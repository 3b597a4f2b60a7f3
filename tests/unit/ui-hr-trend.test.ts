// The HR trend plot's geometry: bpm axis in round 20s that an artefact cannot stretch, lines broken
// at minutes without beats, time labels inside the box.
import { describe, expect, it } from 'vitest';
import { hrTrend } from '../../src/renderer/src/lib/hr-trend';
import { bpmDomain, trendGeometry } from '../../src/renderer/src/lib/hr-trend-plot';
import { reviewSummary } from '../../src/renderer/src/lib/review-summary';
import { reviewBeatsAt } from '../helpers/review-beats';

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

  it('a minute without beats breaks the band and the mean line, a minute alone is a dot; ticks have numbers and stay in the box', () => {
    // beats in minutes 0–1, none in 2–3, beats again in 4
    const t = hrTrend(Int32Array.from([...beatsEvery(1, 0, 119), ...beatsEvery(1, 241, 299)]), FS);
    const g = trendGeometry(t, FS, 300, { width: 400, height: 90, left: 30, bottom: 14 });
    // minutes 0–1 a line; minute 4, alone, a dot on its bar (a line through one point drew nothing)
    expect(g.mean.match(/M/g)!.length).toBe(1);
    expect(g.band.match(/Z/g)!.length).toBe(2);
    expect(g.dots.map((d) => Math.round(d.x))).toEqual([Math.round(g.x(270))]);
    expect(g.yTicks.map((y) => y.bpm)).toEqual([20, 40, 60]); // the 122-s gap closes at 00:04:01: 0.5 bpm, clamped to 20
    expect(g.xTicks.length).toBeGreaterThan(2);
    for (const x of g.xTicks) expect(x.x).toBeLessThanOrEqual(376);
    expect(g.xTicks[1]!.label).toMatch(/^\d\d:\d\d$/);
    expect(g.secAt(g.x(150))).toBeCloseTo(150, 6);
  });

  it('a strip shorter than a minute (one bin) is a dot on a min–max bar at the middle of the strip, not a line through one point at its end', () => {
    // 30 s of an irregular rhythm: RR 0.6 / 1.2 s
    const beats: number[] = [];
    for (let s = 0.3, k = 0; s < 30; s += k++ % 2 ? 0.6 : 1.2) beats.push(Math.round(s * FS));
    const t = hrTrend(Int32Array.from(beats), FS);
    const box = { width: 400, height: 90, left: 30, bottom: 14 };
    const g = trendGeometry(t, FS, 30, box);
    expect(g.mean).toBe('');
    expect(g.dots).toHaveLength(1);
    expect(g.dots[0]!.x).toBeCloseTo(g.x(15), 6);
    expect(g.dots[0]!.y).toBeCloseTo(g.y(t.mean[0]!), 6);
    // the bar: a closed box from the fastest to the slowest beat-to-beat rate, a few px wide
    const [x0, yTop, x1, yBottom] = /^M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)H[\d.]+Z$/.exec(g.band)!.slice(1).map(Number) as [number, number, number, number];
    expect(x1 - x0).toBeGreaterThanOrEqual(3);
    expect(yTop).toBeCloseTo(g.y(100), 0);
    expect(yBottom).toBeCloseTo(g.y(50), 0);
  });

  it('no whole minute (a strip): min and max are none, not the mean', () => {
    const beats: number[] = [];
    for (let s = 0.3, k = 0; s < 30; s += k++ % 2 ? 0.6 : 1.2) beats.push(Math.round(s * FS));
    const s = reviewSummary(reviewBeatsAt(Int32Array.from(beats)), 0.5, [], { fs: FS, durationSec: 30 });
    expect(s.hr.mean).toBeCloseTo(200 / 3, 0);
    expect([s.hr.min, s.hr.max, s.hr.minAt, s.hr.maxAt]).toEqual([NaN, NaN, -1, -1]);
  });

  it('time labels of a 4.2-s strip: whole seconds, none repeated', () => {
    const t = hrTrend(Int32Array.from(beatsEvery(0.8, 0.2, 4.2)), FS);
    const g = trendGeometry(t, FS, 4.2, { width: 1000, height: 90, left: 30, bottom: 14 });
    expect(g.xTicks.map((x) => x.label)).toEqual(['00:00', '00:01', '00:02', '00:03', '00:04']);
  });
});
