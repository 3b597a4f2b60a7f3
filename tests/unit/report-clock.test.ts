// The report's times: clock times (the recorder's time of day) where the header gives a start, with
// the elapsed time beside them, across midnight; elapsed times as before where it gives none or an
// unusable one, and the page says which.
import { describe, expect, it } from 'vitest';
import { REVIEW_FORMAT, type ReviewExport, type ReviewedBeat, type ReviewedEpisode } from '../../src/shared/review';
import { holterReport, type ReportRecord } from '../../src/main/report/model';
import { stateOfReview } from '../../src/main/report/reviewed-state';
import { reportHtml } from '../../src/main/report/html';
import { hrTrendSvg, pvcTrendSvg } from '../../src/main/report/trends';

const FS = 100;
const HOURS = 3;
const plain: ReportRecord = {
  name: 'r',
  fs: FS,
  nFrames: HOURS * 3600 * FS,
  durationSec: HOURS * 3600,
  baseDate: null,
  baseTime: null,
  info: [],
  signals: ['MLII', 'V1'],
};

// a beat a second with a PVC every minute, and an AF episode from 23:53:20 to 00:10:00 when the record starts at 22:30
const review: ReviewExport = {
  format: REVIEW_FORMAT,
  version: 1,
  record: { name: 'r', hash: '', fs: FS },
  threshold: 0.5,
  exportedAt: '2026-12-01T10:00:00.000Z',
  reviewer: 'dr a',
  beats: Array.from({ length: HOURS * 3600 }, (_, i) => {
    const label = i % 60 === 30 ? 'V' : 'N';
    return { sample: i * FS, label, predicted: label, status: 'unreviewed' } as ReviewedBeat;
  }),
  episodes: [{ type: 'AF', onsetSample: 5000 * FS, offsetSample: 6000 * FS, confidence: 0.9, explanation: '', status: 'unreviewed' } as ReviewedEpisode],
};

function page(record: ReportRecord): { html: string; trends: string } {
  const r = holterReport({ record, state: stateOfReview(review, FS, 0.5), models: [], marked: [{ sample: 5400 * FS, note: 'at midnight' }] });
  const html = reportHtml(r, { strips: r.strips.map((strip) => ({ strip, svg: '' })), paper: 'A4', madeAt: 'x', appVersion: 't' });
  return { html, trends: hrTrendSvg(r) + pvcTrendSvg(r) };
}

const cells = (html: string, caption: string) => {
  const table = html.slice(html.indexOf(`<caption>${caption}`));
  return [...table.slice(0, table.indexOf('</table>')).matchAll(/<tr>(.*?)<\/tr>/g)].map((m) =>
    [...m[1]!.matchAll(/<t[dh]>(.*?)<\/t[dh]>/g)].map((c) => c[1]!)
  );
};

describe('report times', () => {
  it('a start in the header: clock times across midnight, by date, the elapsed time beside them', () => {
    const { html, trends } = page({ ...plain, baseTime: '22:30:00', baseDate: '31/12/1999' });
    expect(html).toContain('<th>Recording start</th><td>31/12/1999 22:30:00, ends 01/01/2000 01:30:00</td>');
    expect(html).toMatch(/<th>Times<\/th><td>times are clock times, the recorder&#39;s time of day \(a later day by its date\)/);
    // the hourly rows by their clock spans, the elapsed hour beside each
    expect(cells(html, 'Hourly table').map((r) => r.slice(0, 3))).toEqual([
      ['clock time', 'elapsed', 'beats'],
      ['22:30–23:30', '00:00', '3600'],
      ['23:30–00:30', '01:00', '3600'],
      ['01/01/2000 00:30–01:30', '02:00', '3600'],
    ]);
    expect(cells(html, 'AF episodes')).toEqual([
      ['#', 'onset', 'offset', 'duration', 'onset, elapsed'],
      ['1', '23:53:20', '01/01/2000 00:10:00', '16 min 40 s', '01:23:20'],
    ]);
    expect(html).toContain('Longest AF episode</th><td>16 min 40 s, 23:53:20 – 01/01/2000 00:10:00 (elapsed 01:23:20 – 01:40:00)</td>');
    // strip captions: the reviewer's strip across midnight, the AF onset's
    expect(html).toContain('at midnight <span class="t">23:59:55 – 01/01/2000 00:00:05 (elapsed 01:29:55 – 01:30:05) · 25 mm/s');
    expect(html).toContain('AF onset — longest episode, 1000 s <span class="t">23:53:17 – 23:53:27 (elapsed 01:23:17 – 01:23:27)');
    // the trend axes tick on round times of day
    for (const t of ['22:30', '23:00', '00:00', '01:00']) expect(trends).toContain(`>${t}</text>`);
    expect(trends).not.toContain('>30:00</text>');
  });

  it('a start without a date numbers the days', () => {
    const { html } = page({ ...plain, baseTime: '22:30:00' });
    expect(html).toContain('<th>Recording start</th><td>22:30:00, ends day 2 01:30:00</td>');
    expect(cells(html, 'Hourly table')[3]![0]).toBe('day 2 00:30–01:30');
    expect(html).toContain('23:59:55 – day 2 00:00:05 (elapsed 01:29:55 – 01:30:05)');
  });

  it('no start in the header: elapsed times as before', () => {
    const { html, trends } = page(plain);
    expect(html).toContain('<th>Recording start</th><td>not in the header</td>');
    expect(html).toContain('<th>Times</th><td>times are elapsed from the recording&#39;s beginning</td>');
    expect(cells(html, 'Hourly table').map((r) => r.slice(0, 2))).toEqual([
      ['hour', 'beats'],
      ['00:00', '3600'],
      ['01:00', '3600'],
      ['02:00', '3600'],
    ]);
    expect(cells(html, 'AF episodes')[1]).toEqual(['1', '01:23:20', '01:40:00', '16 min 40 s']);
    expect(html).toContain('<span class="t">01:29:55 – 01:30:05 · 25 mm/s');
    expect(html).not.toContain('elapsed 0');
    for (const t of ['00:00', '30:00', '01:00:00']) expect(trends).toContain(`>${t}</text>`);
  });

  it('a start that is no time of day: elapsed times, and the page says why', () => {
    const { html } = page({ ...plain, baseTime: '25:61:00', baseDate: '31/12/1999' });
    expect(html).toContain(
      '<th>Times</th><td>times are elapsed from the recording&#39;s beginning: the header&#39;s start time &quot;25:61:00&quot; is no time of day (HH:MM:SS)</td>'
    );
    expect(html).toContain('<span class="t">01:29:55 – 01:30:05 · 25 mm/s');
    expect(cells(html, 'Hourly table')[1]![0]).toBe('00:00');
  });
});
