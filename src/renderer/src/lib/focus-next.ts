// Where focus goes when the control that had it can no longer hold it (lib/focus.ts keepFocus); no
// DOM types, so the unit tests run it.

/**
 * The control focus goes to when the one at `at` among `enabled` (document order) can no longer
 * hold it: the nearest still enabled, the one before first on a tie (◀ for ▶ on the last page), or
 * -1. A half index is a place between two controls (where a removed one was).
 */
export function nearestEnabled(enabled: readonly boolean[], at: number): number {
  let best = -1;
  for (let k = 0; k < enabled.length; k++) if (enabled[k] && k !== at && (best < 0 || Math.abs(k - at) < Math.abs(best - at))) best = k;
  return best;
}
