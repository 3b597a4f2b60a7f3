// Pure drawing helpers of the review UI: per-pixel decimation, ECG paper grid, time axis, the
// draw calls the trace makes (recorded on a fake context, no DOM).
import { describe, expect, it } from 'vitest';
import { toColumns, bridgeColumns } from '../../src/renderer/src/lib/columns';
import {
  gridLines,
  pxPerSecond,
  pxPerMillivolt,
  PX_PER_MM,
  speedOf,
  standardSpeed,
  stepSpeed,
  formatSpeed,
  formatSpan,
} from '../../src/renderer/src/lib/paper';
import { formatHms, tickStep, formatDuration } from '../../src/renderer/src/lib/time';
import { drawSignal, type Ctx } from '../../src/renderer/src/lib/draw';
import { minMaxBuckets, mergeMinMax } from '../../src/main/review/decimate';

function recorder(): Ctx & { ops: string[] } {
  const ops: string[] = [];
  const rec =
    (name: string) =>
    (...a: unknown[]) =>
      void ops.push(`${name}(${a.map((x) => (typeof x === 'number' ? Math.round(x * 10) / 10 : String(x))).join(',')})`);
  return {
    ops,
    beginPath: rec('begin'),
    moveTo: rec('M'),
    lineTo: rec('L'),
    stroke: rec('stroke'),
    fillRect: rec('rect'),
    fillText: rec('text'),
    strokeRect: rec('srect'),
    strokeStyle: '',
    fillStyle: '',
    lineWidth: 1,
    font: '',
    textAlign: 'left',
    globalAlpha: 1,
  };
}

describe('per-pixel min/max columns', () => {
  it('keeps the extreme of every sample whatever the zoom (a 1-sample spike survives 1000:1)', () => {
    const n = 100_000;
    const raw = new Float32Array(n);
    raw[54_321] = 3.5;
    raw[77_777] = -2;
    const cols = toColumns({ from: 0, bucket: 1, min: raw, max: raw }, 0, n / 100, 100);
    expect(cols.max[54]).toBe(3.5);
    expect(cols.min[77]).toBe(-2);
    expect(Math.max(...cols.max)).toBe(3.5);
  });

  it('agrees with decimating first on the server (min/max of min/max)', () => {
    const n = 64 * 500;
    const raw = Float32Array.from({ length: n }, (_, i) => Math.sin(i / 37) + (i % 997 === 0 ? 4 : 0));
    const lmin = new Float32Array(500);
    const lmax = new Float32Array(500);
    minMaxBuckets(raw, 64, lmin, lmax);
    const direct = toColumns({ from: 0, bucket: 1, min: raw, max: raw }, 0, 320, 100);
    const viaLevel = toColumns({ from: 0, bucket: 64, min: lmin, max: lmax }, 0, 320, 100);
    expect(Array.from(viaLevel.max)).toEqual(Array.from(direct.max));
    expect(Array.from(viaLevel.min)).toEqual(Array.from(direct.min));
    const m2 = new Float32Array(250);
    const M2 = new Float32Array(250);
    mergeMinMax(lmin, lmax, 0, 500, 2, m2, M2);
    expect(M2[0]).toBe(Math.max(lmax[0]!, lmax[1]!));
  });

  it('leaves gaps where there is no data and bridges steep edges between columns', () => {
    const run = { from: 10, bucket: 1, min: new Float32Array([0, 0, 5, 5]), max: new Float32Array([0, 0, 5, 5]) };
    const cols = toColumns(run, 0, 1, 20);
    expect(Number.isNaN(cols.min[0]!)).toBe(true);
    bridgeColumns(cols);
    expect(cols.min[12]).toBe(0);
    expect(cols.max[12]).toBe(5);
  });

  it('draws one segment per pixel column when decimating, a polyline when zoomed in', () => {
    const raw = Float32Array.from({ length: 10_000 }, (_, i) => Math.sin(i / 10));
    const c1 = recorder();
    drawSignal(c1, { from: 0, bucket: 1, min: raw, max: raw }, 0, 100, 100, (v) => 50 - v * 10, '#fff');
    expect(c1.ops.filter((o) => o.startsWith('M(')).length).toBe(100);
    const c2 = recorder();
    drawSignal(c2, { from: 0, bucket: 1, min: raw, max: raw }, 0, 0.5, 100, (v) => 50 - v * 10, '#fff');
    expect(c2.ops.filter((o) => o.startsWith('M(')).length).toBe(1);
    expect(c2.ops.filter((o) => o.startsWith('L(')).length).toBeGreaterThan(48);
  });
});

describe('ECG paper', () => {
  it('puts 1 mm lines every 40 ms and 5 mm lines every 200 ms at 25 mm/s, 0.5 mV at 10 mm/mV', () => {
    const px = pxPerSecond(25);
    const g = gridLines(0, px, px * 1, 100, pxPerMillivolt(10), 10);
    expect(g.majorX.length).toBe(6); // 0, 0.2, ..., 1.0 s
    expect(g.minorX.length).toBe(20);
    expect(g.majorX[1]! - g.majorX[0]!).toBeCloseTo(5 * PX_PER_MM, 6);
    expect(g.majorY[1]! - g.majorY[0]!).toBeCloseTo(0.5 * pxPerMillivolt(10), 6);
  });
  it('drops the minor lines when they would crowd', () => {
    const g = gridLines(0, pxPerSecond(6.25), 500, 100, pxPerMillivolt(10), 10);
    expect(gridLines(0, pxPerSecond(1), 500, 100, pxPerMillivolt(10), 10).majorX).toEqual([]);
    expect(g.minorX.length).toBe(0);
    expect(g.majorX.length).toBeGreaterThan(0);
  });
});

describe('paper speed read-out and zoom steps', () => {
  it('steps +/− along the standard speeds, from them and from a free (wheel) zoom', () => {
    expect(stepSpeed(25, 1)).toBe(50);
    expect(stepSpeed(50, 1)).toBe(100);
    expect(stepSpeed(25, -1)).toBe(12.5);
    expect(stepSpeed(12.5, -1)).toBe(6.25);
    // A speed that went through pixels (float noise) is still on the ladder.
    expect(stepSpeed(speedOf(pxPerSecond(25) * 1.0000001), 1)).toBe(50);
    expect(stepSpeed(speedOf(pxPerSecond(25) * 0.9999999), -1)).toBe(12.5);
    // Off the ladder: to the nearest standard speed in that direction, not a whole step further.
    expect(stepSpeed(56.7, 1)).toBe(100);
    expect(stepSpeed(56.7, -1)).toBe(50);
    expect(stepSpeed(30, -1)).toBe(25);
    expect(stepSpeed(0.01, 1)).toBeCloseTo(25 / 2048, 9);
  });
  it('shows standard speeds exactly, free zooms rounded with ≈, overviews as time per screen', () => {
    expect(standardSpeed(speedOf(pxPerSecond(12.5)))).toBe(12.5);
    expect(standardSpeed(56.7)).toBeNull();
    expect(formatSpeed(speedOf(pxPerSecond(25)), 40)).toBe('25 mm/s');
    expect(formatSpeed(12.5, 80)).toBe('12.5 mm/s');
    expect(formatSpeed(56.7, 5)).toBe('≈ 57 mm/s');
    expect(formatSpeed(37.5, 5)).toBe('≈ 38 mm/s');
    expect(formatSpeed(3.125, 300)).toBe('≈ 3.1 mm/s');
    expect(formatSpeed(speedOf(pxPerSecond(400)), 2)).toBe('400 mm/s'); // the zoom limit, exact: no ≈
    expect(formatSpeed(200.4, 5)).toBe('200 mm/s');
    expect(formatSpeed(0.0034, 86_400)).toBe('24 h / screen');
    expect(formatSpeed(0.485, 600)).toBe('10 min / screen');
    expect(formatSpan(45)).toBe('45 s');
    expect(formatSpan(510)).toBe('8.5 min');
    expect(formatSpan(2.4 * 3600)).toBe('2.4 h');
  });
});

describe('episode durations', () => {
  it('read as seconds, then minutes and seconds, then hours and minutes', () => {
    expect(formatDuration(2.5)).toBe('2.5 s');
    expect(formatDuration(99.94)).toBe('99.9 s');
    expect(formatDuration(120)).toBe('2 min 00 s');
    expect(formatDuration(118.4)).toBe('1 min 58 s');
    expect(formatDuration(5644.3)).toBe('1 h 34 min');
    expect(formatDuration(86_399)).toBe('24 h 00 min');
  });
});

describe('time axis', () => {
  it('formats hh:mm:ss', () => {
    expect(formatHms(0)).toBe('00:00:00');
    expect(formatHms(86_399)).toBe('23:59:59');
    expect(formatHms(3725.256, 2)).toBe('01:02:05.26');
    expect(formatHms(NaN)).toBe('--:--:--');
  });
  it('chooses round tick steps that keep labels apart', () => {
    expect(tickStep(pxPerSecond(25), 80)).toBe(1);
    expect(tickStep(1000 / 86_400, 80)).toBe(7200);
  });
});
