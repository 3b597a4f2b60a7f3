import { describe, expect, it } from 'vitest';
import { recordingStatus } from '../../src/renderer/src/lib/recording-status';

describe('status-bar wording of the recording call', () => {
  it('names the label and confidence, with where and why in the title', () => {
    const s = recordingStatus({ label: 'VT', confidence: 0.912, sample: 250 * 75, explanation: 'VT 12 s: rhythm model ...' }, 250);
    expect(s.short).toBe('Recording: VT (0.91)');
    expect(s.full).toMatch(/VT at 00:01:15, confidence 0\.91\nVT 12 s: rhythm model/);
    expect(s.alarm).toBe(true);
    const ns = recordingStatus({ label: 'VT', confidence: 0.99, sample: 250, explanation: 'VT 1 s (nonsustained): 3 consecutive', nonsustained: true }, 250);
    expect([ns.short, ns.alarm]).toEqual(['Recording: nonsustained VT (0.99)', true]);
    const n = recordingStatus({ label: 'NOISE', confidence: 0.7, sample: 0, explanation: 'unreadable' }, 250);
    expect([n.short, n.alarm, n.full.includes(' at ')]).toEqual(['Recording: unreadable (noise) (0.70)', false, false]);
  });

  it('says when the reviewer rejected the episode the call rests on, and drops the alarm', () => {
    const call = { label: 'AF' as const, confidence: 0.73, sample: 360 * 320, explanation: 'AF burden 20 %', episodeType: 'AF' as const };
    const af = {
      type: 'AF' as const,
      onsetSample: 360 * 320,
      offsetSample: 360 * 440,
      confidence: 0.73,
      explanation: 'rhythm model',
      source: 'model' as const,
    };
    const other = { ...af, type: 'PAUSE' as const, onsetSample: 360 * 288 };
    const rejected = recordingStatus(call, 360, undefined, [
      { base: other, status: 'rejected' },
      { base: af, status: 'rejected' },
    ]);
    expect([rejected.short, rejected.alarm]).toEqual(['Recording: AF (0.73) · rejected in review', false]);
    expect(rejected.full).toMatch(/reviewer rejected this episode/);
    // confirmed, another episode rejected, or no review yet: the analysis's call as before
    for (const episodes of [[{ base: af, status: 'confirmed' as const }], [{ base: other, status: 'rejected' as const }], []]) {
      const s = recordingStatus(call, 360, undefined, episodes);
      expect([s.short, s.alarm]).toEqual(['Recording: AF (0.73)', true]);
    }
  });
});
