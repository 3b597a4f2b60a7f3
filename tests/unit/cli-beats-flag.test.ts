// --beats says where beat positions come from in the words of the IPC contract and the code
// (reference, detector, auto); the older spellings in the model cards' commands still work.
import { describe, expect, it } from 'vitest';
import { ANALYSIS_FLAGS, analysisSettings, beatsFlag } from '../../src/cli/analysis-flags';
import { parseArgs } from '../../src/cli/args';
import { CliError } from '../../src/cli/errors';
import { BeatSource } from '../../src/shared/analysis';

const beatsOf = (...argv: string[]) => analysisSettings(parseArgs(argv, ANALYSIS_FLAGS)).beats;

describe('--beats', () => {
  it('takes reference, detector and auto (the default), and atr, detect as the same words', () => {
    expect(beatsOf('--beats', 'reference')).toBe('reference');
    expect(beatsOf('--beats', 'detector')).toBe('detector');
    expect(beatsOf('--beats', 'auto')).toBe('auto');
    expect(beatsOf()).toBe('auto');
    expect(beatsOf('--beats', 'atr')).toBe('reference');
    expect(beatsOf('--beats', 'detect')).toBe('detector');
  });

  it('refuses anything else, naming the choices', () => {
    expect(() => beatsOf('--beats', 'qrs')).toThrow(CliError);
    expect(() => beatsOf('--beats', 'qrs')).toThrow(/reference, detector, auto/);
  });

  it('where auto has no meaning (dataset) it is refused', () => {
    const p = parseArgs(['--beats', 'auto'], { beats: { type: 'string' } });
    expect(() => beatsFlag(p, 'reference', BeatSource.options)).toThrow(/--beats must be reference, detector/);
    expect(beatsFlag(parseArgs(['--beats', 'detect'], { beats: { type: 'string' } }), 'reference', BeatSource.options)).toBe('detector');
  });
});
