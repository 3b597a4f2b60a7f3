// Reviewer actions on many beats ask first (naming the count); the flagged-beat queue starts a
// new order from its start.
import { describe, expect, it } from 'vitest';
import { BULK_CONFIRM_ABOVE, bulkWords, needsConfirmation } from '../../src/renderer/src/lib/bulk';
import { queueStep, type QueueCursor } from '../../src/renderer/src/lib/queue';

describe('bulk actions', () => {
  it('more than a handful of beats need a confirmation naming the count', () => {
    expect(needsConfirmation(1)).toBe(false);
    expect(needsConfirmation(BULK_CONFIRM_ABOVE)).toBe(false);
    expect(needsConfirmation(BULK_CONFIRM_ABOVE + 1)).toBe(true);
    expect(bulkWords({ kind: 'relabel', label: 'V' }, 2200)).toEqual({ question: 'Relabel 2,200 beats as V?', button: 'Relabel 2,200 beats V' });
    expect(bulkWords({ kind: 'delete' }, 7).button).toBe('Delete 7 beats');
    expect(bulkWords({ kind: 'confirm' }, 12).question).toContain('12 beats');
  });
});

describe('queue steps', () => {
  // beats 0..9 at samples 100·i; flagged: 2, 5, 7, 9
  const base = (over: Partial<QueueCursor>): QueueCursor => ({
    queue: Int32Array.from([2, 5, 7, 9]),
    at: -1,
    current: -1,
    sampleOf: (i) => i * 100,
    reviewed: () => false,
    order: 'time',
    restart: false,
    ...over,
  });
  it('moves along the queue, stops at its ends', () => {
    expect(queueStep(base({ at: 1 }), 1)).toBe(2);
    expect(queueStep(base({ at: 0 }), -1)).toBe(-1);
    expect(queueStep(base({ at: 3 }), 1)).toBe(-1);
  });
  it('in time order resumes after the cursor when it is off the queue', () => {
    expect(queueStep(base({ current: 600 }), 1)).toBe(2);
    expect(queueStep(base({ current: 600 }), -1)).toBe(1);
    expect(queueStep(base({ current: 950 }), 1)).toBe(-1);
  });
  it('after an order switch starts at the first unreviewed beat of the new order, not the cursor’s place in it', () => {
    // by uncertainty the queue reads 7, 2, 9, 5: the cursor on beat 5 is at #4
    const q = Int32Array.from([7, 2, 9, 5]);
    expect(queueStep(base({ queue: q, order: 'uncertainty', at: 3, restart: true }), 1)).toBe(0);
    expect(queueStep(base({ queue: q, order: 'uncertainty', at: 3, restart: true, reviewed: (i) => i === 7 || i === 2 }), 1)).toBe(2);
    expect(queueStep(base({ queue: q, order: 'uncertainty', at: 3, restart: true, reviewed: () => true }), 1)).toBe(0);
    expect(queueStep(base({ queue: q, order: 'uncertainty', at: 3 }), 1)).toBe(-1);
  });
});
