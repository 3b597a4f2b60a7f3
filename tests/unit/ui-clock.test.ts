// The review UI's read-outs in clock time (lib/clock.ts) where the record's header gives a start:
// the trace's hover, the recording-level call, the HR trend's axis; and how the record's start
// reaches the renderer (RecordInfo from the record store).
import { describe, expect, it } from 'vitest';
import type { Episode } from '../../src/shared/analysis';
import { mergeEpisodes } from '../../src/renderer/src/lib/episodes';
import { hoverText } from '../../src/renderer/src/lib/trace-pointer';
import { recordingStatus } from '../../src/renderer/src/lib/recording-status';
import { trendGeometry } from '../../src/renderer/src/lib/hr-trend-plot';
import { hrTrend } from '../../src/renderer/src/lib/hr-trend';
import { recordClock } from '../../src/renderer/src/lib/clock';
import { RecordStore } from '../../src/main/review/records';
import { openRecord } from '../../src/main/wfdb';
import { reviewBeatsAt } from '../helpers/review-beats';
import { dataPath, needData } from '../helpers/data';

const FS = 100;
const clock = recordClock('23:59:50', '15/08/1994', { yearless: true });
const g = { width: 1000, height: 300, fs: FS, startSec: 0, pxPerSec: 25, durationSec: 60, gain: 10, leads: [0] };

describe('review read-outs in clock time', () => {
  const af: Episode = { type: 'AF', onsetSample: 1000, offsetSample: 3000, confidence: 0.8, explanation: 'irregular', source: 'model' };
  const [view] = mergeEpisodes([af], new Map());
  const inputs = { beats: reviewBeatsAt(Int32Array.from([1250])), threshold: 0.5, episodes: [view!], beatNotes: undefined };

  it('the hover over an episode and over a beat', () => {
    expect(hoverText({ ...g, clock }, { x: 500, y: 5, sec: 20, lead: 0, mv: 0 }, inputs)).toMatch(
      /^AF 16\/08 00:00:00–16\/08 00:00:20 \(elapsed 00:00:10–00:00:30\) · confidence/
    );
    expect(hoverText({ ...g, clock }, { x: 312.5, y: 150, sec: 12.5, lead: 0, mv: 0 }, inputs)).toMatch(/^N at 16\/08 00:00:02\.50/);
    // no clock: elapsed, as before
    expect(hoverText(g, { x: 500, y: 5, sec: 20, lead: 0, mv: 0 }, inputs)).toMatch(/^AF 00:00:10–00:00:30 · confidence/);
    expect(hoverText(g, { x: 312.5, y: 150, sec: 12.5, lead: 0, mv: 0 }, inputs)).toMatch(/^N at 00:00:12\.50/);
  });

  it('the recording-level call', () => {
    const call = { label: 'AF' as const, confidence: 0.8, sample: 500, explanation: 'AF' };
    expect(recordingStatus(call, FS, clock).full).toContain('AF at 23:59:55, confidence');
    expect(recordingStatus(call, FS).full).toContain('AF at 00:00:05, confidence');
  });

  it('the HR trend’s axis ticks on round times of day', () => {
    const t = hrTrend(
      Int32Array.from({ length: 3 * 3600 }, (_, i) => i * FS),
      FS
    );
    const box = { width: 700, height: 90, left: 30, bottom: 14 };
    expect(trendGeometry(t, FS, 3 * 3600, box, recordClock('09:40:00', null)).xTicks.map((x) => x.label)).toEqual([
      '10:00',
      '10:30',
      '11:00',
      '11:30',
      '12:00',
      '12:30',
    ]);
    expect(trendGeometry(t, FS, 3 * 3600, box).xTicks.map((x) => x.label)).toEqual(['00:00', '30:00', '01:00:00', '01:30:00', '02:00:00', '02:30:00']);
  });
});

describe.runIf(needData('wfdb-formats') && needData('mitdb'))('the record’s start reaches the renderer', () => {
  it('RecordInfo carries the header’s base time and date as written, null when absent', async () => {
    const store = new RecordStore(openRecord);
    try {
      const dated = await store.info(dataPath('wfdb-formats/03700181'));
      expect([dated.baseTime, dated.baseDate]).toEqual(['17:27:45', '15/08/1994']);
      expect((await store.info(dataPath('wfdb-formats/3000003_0003'))).baseTime).toBe('19:46:25.757');
      const none = await store.info(dataPath('mitdb/100'));
      expect([none.baseTime, none.baseDate]).toEqual([null, null]);
    } finally {
      await store.closeAll();
    }
  });
});
