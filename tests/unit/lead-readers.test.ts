// Every reader of a long record's leads gives the same result, to the bit, from the record's
// stored samples read span by span (StoredLead) as from the whole lead in Float32 physical values.
import { describe, expect, it } from 'vitest';
import { startDetection } from '../../src/main/analysis/record';
import { beatWindowStream } from '../../src/main/beats';
import { detectClaimedChunks, qrsChunks } from '../../src/main/qrs';
import { qualityOfLeads } from '../../src/main/quality';
import { rhythmWindowStream, rhythmWindows } from '../../src/main/rhythm/windows';
import { synthesize } from '../../src/main/synth';
import { INVALID, StoredLead } from '../../src/main/wfdb';

const bits = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** 12 min of a synthetic two-lead ECG with runs of invalid samples at the readers' span boundaries (230 s, 300 s, 600 s) and the ends. */
function leadsAt(fs: number): { stored: StoredLead[]; whole: Float32Array[] } {
  const syn = synthesize({ scenario: 'demo', minutes: 12, seed: 11, fs });
  const stored = syn.signals.slice(0, 2).map((x, l) => {
    const s = Int16Array.from(x);
    const runs =
      l === 0
        ? [
            [0, 30],
            [228 * fs, 232 * fs],
            [299.5 * fs, 301 * fs],
            [595 * fs, 606 * fs],
            [s.length - 40, s.length],
          ]
        : [[100.2 * fs, 100.3 * fs]];
    for (const [a, b] of runs) s.fill(INVALID, Math.round(a!), Math.round(b!));
    return new StoredLead({ samples: s, adcGain: syn.gain, baseline: l === 1 ? 7 : 0 });
  });
  return { stored, whole: stored.map((l) => l.span(0, l.length)) };
}

describe.each([250, 360])('a lead held as stored samples (%i Hz) reads as the Float32 lead', (fs) => {
  const { stored, whole } = leadsAt(fs);

  it('QRS detection: the same beats, chunk by chunk and whole', async () => {
    const beats = await startDetection(stored, fs).finish();
    expect(beats.length).toBeGreaterThan(500);
    expect(bits(beats)).toBe(bits(await startDetection(whole, fs).finish()));
    const chunks = qrsChunks(whole[0]!.length, fs, { chunkSeconds: 200 });
    const claim = (signals: typeof stored | typeof whole) => [...detectClaimedChunks(signals, fs, chunks, new Int32Array(new SharedArrayBuffer(4)))];
    expect(claim(stored).map(([i, b]) => [i, bits(b)])).toEqual(claim(whole).map(([i, b]) => [i, bits(b)]));
  });

  it('signal quality: the same flags per second', () => {
    const got = qualityOfLeads(stored, ['a', 'b'], fs);
    expect(got[0]!.flags.some((f) => f !== 0)).toBe(true); // the invalid stretches are flagged
    expect(got).toEqual(qualityOfLeads(whole, ['a', 'b'], fs));
  });

  it('beat windows: the same windows, scales, flags and templates', async () => {
    const peaks = await startDetection(whole, fs).finish();
    const a = beatWindowStream(stored, fs, peaks, { chunkSec: 100 });
    const b = beatWindowStream(whole, fs, peaks, { chunkSec: 100 });
    const ga = [...a.groups()].map((g) => bits(g.windows));
    const gb = [...b.groups()].map((g) => bits(g.windows));
    expect(ga).toEqual(gb);
    for (const k of ['valid', 'flags', 'scale', 'rr'] as const) expect(bits(a[k])).toBe(bits(b[k]));
    expect(bits(a.templates.templates)).toBe(bits(b.templates.templates));
  });

  it('rhythm windows: the same windows, streamed in groups or all at once', () => {
    const want = rhythmWindows(whole[0]!, fs, 5, 120);
    const got = rhythmWindows(stored[0]!, fs, 5, 120);
    expect(bits(got.x)).toBe(bits(want.x));
    expect(bits(got.startSample)).toBe(bits(want.startSample));
    const s = rhythmWindowStream(stored[0]!, fs, 5, 120);
    const groups = [...s.groups()];
    expect(groups.length).toBeGreaterThan(1);
    expect(groups.reduce((k, g) => k + g.count, 0)).toBe(s.n);
    for (const g of groups) expect(bits(g.x)).toBe(bits(want.x.subarray(g.from * 1250, (g.from + g.count) * 1250)));
  });
});
