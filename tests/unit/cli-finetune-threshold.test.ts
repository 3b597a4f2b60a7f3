// The fine-tune CLI's metrics header prints thresholds as the UI shows them.
import { describe, expect, it } from 'vitest';
import { thresholdText } from '../../src/cli/commands/finetune';

describe('finetune threshold text', () => {
  it('prints a float32 threshold rounded, and the version’s when it moved', () => {
    expect(thresholdText(Math.fround(0.12), Math.fround(0.12))).toBe('0.12');
    expect(thresholdText(Math.fround(0.12), 0.305)).toBe('0.12 → 0.305');
  });
});
