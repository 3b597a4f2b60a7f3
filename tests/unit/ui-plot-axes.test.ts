// Axis numbers of the threshold panel's plots (issue 15: 12): placed where the data maps them.
import { describe, expect, it } from 'vitest';
import { ticksAt, toPx, unitTicks } from '../../src/renderer/src/lib/plots';

describe('plot axes', () => {
  it('unit ticks 0, 0.5 and 1 sit on the frame of the box', () => {
    const box = { width: 150, height: 132, pad: 28 };
    const x = unitTicks(box, 'x');
    expect(x.map((t) => t.label)).toEqual(['0', '0.5', '1']);
    expect(x[0]!.px).toBe(28);
    expect(x[2]!.px).toBe(146);
    const y = unitTicks(box, 'y');
    expect(y[0]!.px).toBe(104); // 0 at the bottom edge of the frame
    expect(y[2]!.px).toBe(4);
    expect(y[1]!.px).toBe(toPx(0.5, box, 'y'));
  });

  it('ticks at given values with their own labels', () => {
    expect(
      ticksAt(
        [500, 1000],
        (v) => v / 10,
        (v) => `${v} ms`
      )
    ).toEqual([
      { v: 500, px: 50, label: '500 ms' },
      { v: 1000, px: 100, label: '1000 ms' },
    ]);
  });
});
