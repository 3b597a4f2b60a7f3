// Actions on many beats at once (a Poincaré box, a morphology group, a Shift+arrow range) ask
// first, naming the count: one key must not silently relabel thousands of beats.
import type { ReviewLabel } from '../../../shared/review';

/** Up to this many beats an action applies at once; more need the reviewer's confirmation. */
export const BULK_CONFIRM_ABOVE = 5;

export type BulkAction = { kind: 'relabel'; label: ReviewLabel } | { kind: 'confirm' } | { kind: 'delete' };

export interface PendingBulk {
  action: BulkAction;
  /** Beat samples the action was asked for (the selection at the key press). */
  samples: readonly number[];
}

export function needsConfirmation(count: number): boolean {
  return count > BULK_CONFIRM_ABOVE;
}

/** The question and the confirming button's words, naming the count. */
export function bulkWords(a: BulkAction, count: number): { question: string; button: string } {
  const n = count.toLocaleString('en-US');
  switch (a.kind) {
    case 'relabel':
      return { question: `Relabel ${n} beats as ${a.label}?`, button: `Relabel ${n} beats ${a.label}` };
    case 'confirm':
      return { question: `Confirm the labels of ${n} beats?`, button: `Confirm ${n} beats` };
    case 'delete':
      return { question: `Delete ${n} beats (not beats: artifact)?`, button: `Delete ${n} beats` };
  }
}
