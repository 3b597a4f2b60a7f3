// Where focus goes when a focused control disables or removes itself (lib/focus-next.ts, for lib/focus.ts keepFocus).
import { describe, expect, it } from 'vitest';
import { nearestEnabled } from '../../src/renderer/src/lib/focus-next';

describe('nearestEnabled', () => {
  it('takes the control before a disabled one on a tie: ◀ for ▶ on the last page, not the × after it', () => {
    expect(nearestEnabled([true, false, true], 1)).toBe(0);
  });

  it('takes the one after when none is before: ▶ for ◀ on the first page, Cancel for a Start that runs', () => {
    expect(nearestEnabled([false, true, true], 0)).toBe(1);
  });

  it('takes the nearer of two, however far the other', () => {
    expect(nearestEnabled([true, false, false, false, true, false], 3)).toBe(4);
  });

  it('places a removed control between its neighbours: the one before it for Cancel gone after Start', () => {
    expect(nearestEnabled([true], 0.5)).toBe(0);
    expect(nearestEnabled([false, true], -0.5)).toBe(1);
  });

  it('never answers the lost control itself, and -1 when nothing is enabled', () => {
    expect(nearestEnabled([true], 0)).toBe(-1);
    expect(nearestEnabled([false, false], 0)).toBe(-1);
    expect(nearestEnabled([], -0.5)).toBe(-1);
  });
});
