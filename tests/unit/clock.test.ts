// Clock time from a WFDB header's base time and date (src/renderer/src/lib/clock.ts), as the review
// UI and the report show it.
import { describe, expect, it } from 'vitest';
import {
  clockAndElapsed,
  clockDescription,
  clockParts,
  clockRange,
  clockSpan,
  clockStatus,
  clockTicks,
  clockTime,
  ELAPSED,
  formatDate,
  parseBaseDate,
  parseBaseTime,
  recordAxisTicks,
  recordClock,
} from '../../src/renderer/src/lib/clock';

describe('the header base time and date', () => {
  it.each([
    ['17:27:45', 17 * 3600 + 27 * 60 + 45],
    ['19:46:25.757', 19 * 3600 + 46 * 60 + 25.757],
    ['13:5:0', 13 * 3600 + 5 * 60],
    ['0:0:0', 0],
    // WFDB's fields end with the seconds: two fields are minutes and seconds, one is seconds
    ['12:30', 12 * 60 + 30],
    ['45', 45],
    ['45.5', 45.5],
    ['23:59:59.', 86_399],
  ])('reads %j', (text, sec) => expect(parseBaseTime(text)).toBeCloseTo(sec, 9));

  it.each(['25:00:00', '24:00:00', '12:60:00', '12:00:60', '99', '1:2:3:4', '', 'noon', '12h30', '-1:00:00', '١٢:٠٠:٠٠'])('no time of day: %j', (text) => {
    expect(parseBaseTime(text)).toBeNull();
  });

  it('dates: a real calendar day, DD/MM/YYYY', () => {
    expect(parseBaseDate('15/08/1994')).toEqual({ year: 1994, month: 8, day: 15 });
    expect(parseBaseDate('1/04/2000')).toEqual({ year: 2000, month: 4, day: 1 });
    expect(parseBaseDate('29/02/2000')).toEqual({ year: 2000, month: 2, day: 29 });
    for (const bad of ['29/02/1900', '31/04/2000', '0/01/2000', '1/13/2000', '1/0/2000', '1/1/0', '2000-01-01', '1/1', '', 'x/y/z'])
      expect(parseBaseDate(bad), bad).toBeNull();
  });

  it('a malformed start leaves the times elapsed and says why; a malformed date numbers the days', () => {
    expect(recordClock(null, null)).toEqual(ELAPSED);
    expect(recordClock(undefined, '15/08/1994')).toEqual(ELAPSED);
    const bad = recordClock('25:61:00', '15/08/1994');
    expect(bad.startSec).toBeNull();
    expect(bad.problem).toBe(`the header's start time "25:61:00" is no time of day (HH:MM:SS)`);
    expect(clockTime(bad, 90)).toBe('00:01:30');
    expect(clockDescription(bad)).toBe(`times are elapsed from the recording's beginning: the header's start time "25:61:00" is no time of day (HH:MM:SS)`);
    const noDate = recordClock('23:00:00', '31/02/2000');
    expect(noDate).toMatchObject({ startSec: 82_800, date: null });
    expect(noDate.problem).toMatch(/start date "31\/02\/2000" is no date/);
    expect(clockTime(noDate, 3600)).toBe('day 2 00:00:00');
    expect(clockDescription(noDate)).toMatch(/clock times.*day 2, …; the header's start date "31\/02\/2000" is no date/);
    // a long header field is cut in the message
    expect(recordClock('x'.repeat(500), null).problem!.length).toBeLessThan(150);
  });
});

describe('clock times', () => {
  const holter = recordClock('09:30:00', null);
  const dated = recordClock('09:30:00', '31/12/1999');

  it('the time of day, the day after midnight numbered or dated', () => {
    expect(clockTime(holter, 0)).toBe('09:30:00');
    expect(clockTime(holter, 5 * 3600 + 2 * 60 + 5)).toBe('14:32:05');
    expect(clockTime(holter, 14.5 * 3600 - 1)).toBe('23:59:59');
    expect(clockTime(holter, 14.5 * 3600)).toBe('day 2 00:00:00');
    expect(clockTime(holter, 15.75 * 3600)).toBe('day 2 01:15:00');
    expect(clockTime(holter, 48 * 3600)).toBe('day 3 09:30:00');
    expect(clockTime(dated, 15.75 * 3600)).toBe('01/01/2000 01:15:00');
    expect(clockTime(dated, 3600)).toBe('10:30:00');
    expect(clockParts(dated, 15.75 * 3600)).toEqual({ day: '01/01/2000', time: '01:15:00' });
  });

  it('fractions: the start’s own, and rounding carried into the next day (never 24:00:00)', () => {
    const c = recordClock('19:46:25.757', null);
    expect(clockTime(c, 0, 3)).toBe('19:46:25.757');
    expect(clockTime(c, 1.25, 2)).toBe('19:46:27.01');
    expect(clockTime(recordClock('23:59:59', null), 0.6)).toBe('day 2 00:00:00');
    expect(clockTime(recordClock('23:59:59', '28/02/2000'), 0.6)).toBe('29/02/2000 00:00:00');
    expect(clockTime(recordClock('23:59:59', '28/02/1999'), 0.6)).toBe('01/03/1999 00:00:00');
  });

  it('without a start: elapsed, exactly as before', () => {
    expect(clockTime(ELAPSED, 3725.25, 2)).toBe('01:02:05.25');
    expect(clockTime(ELAPSED, 30 * 3600)).toBe('30:00:00');
    expect(clockAndElapsed(ELAPSED, 3725)).toBe('01:02:05');
    expect(clockSpan(ELAPSED, 7200, 10_800)).toBe('02:00');
    expect(clockDescription(ELAPSED)).toMatch(/^times are elapsed from the recording's beginning$/);
  });

  it('the elapsed time beside the clock, and hour spans by the clock', () => {
    expect(clockAndElapsed(holter, 8880)).toBe('11:58:00 (elapsed 02:28:00)');
    expect(clockRange(holter, 14 * 3600 + 1400, 15 * 3600, '–')).toBe('23:53:20–day 2 00:30:00 (elapsed 14:23:20–15:00:00)');
    expect(clockRange(ELAPSED, 5000, 6000)).toBe('01:23:20 – 01:40:00');
    expect(clockSpan(holter, 0, 3600)).toBe('09:30–10:30');
    expect(clockSpan(holter, 14 * 3600, 15 * 3600)).toBe('23:30–00:30');
    expect(clockSpan(holter, 15 * 3600, 16 * 3600)).toBe('day 2 00:30–01:30');
    expect(clockSpan(dated, 15 * 3600, 16 * 3600)).toBe('01/01/2000 00:30–01:30');
    expect(clockDescription(holter)).toMatch(/clock times.*day 2/);
    expect(clockStatus(dated)).toMatchObject({ short: 'start 09:30:00 31/12/1999', warn: false });
    expect(clockStatus(ELAPSED)).toEqual({ short: 'elapsed time', full: "Times are elapsed from the recording's beginning.", warn: false });
    expect(clockStatus(recordClock('9:75', null))).toMatchObject({ short: 'elapsed time', warn: true });
    expect(clockStatus(recordClock('9:30:00', '1/1'))).toMatchObject({ short: 'start 09:30:00', warn: true });
    expect(clockDescription(dated)).toMatch(/clock times.*by its date/);
  });

  it('dates across years, leap days and years under 100', () => {
    expect(formatDate({ year: 2000, month: 2, day: 28 }, 1)).toBe('29/02/2000');
    expect(formatDate({ year: 1999, month: 12, day: 31 }, 1)).toBe('01/01/2000');
    expect(formatDate({ year: 50, month: 1, day: 1 }, 0)).toBe('01/01/0050');
    expect(formatDate({ year: 1999, month: 12, day: 31 }, 1, true)).toBe('01/01');
    // the review UI's clock: a later day's date without its year
    expect(clockTime(recordClock('23:00:00', '31/12/1999', { yearless: true }), 7200)).toBe('01/01 01:00:00');
    expect(clockStatus(recordClock('23:00:00', '31/12/1999', { yearless: true })).short).toBe('start 23:00:00 31/12/1999');
    // a start with fractions: its own time of day and date, never rounded into the next day
    expect(clockStatus(recordClock('23:59:59.7', '28/02/2001')).short).toBe('start 23:59:59.700 28/02/2001');
    expect(clockStatus(recordClock('23:59:59.9999', null)).short).toBe('start 23:59:59.999');
    expect(clockStatus(recordClock('19:46:25.757', null)).short).toBe('start 19:46:25.757');
    expect(clockStatus(recordClock('19:46:25.', null)).short).toBe('start 19:46:25');
  });

  it('axis ticks on round clock times, elapsed ones without a start', () => {
    const c = recordClock('09:30:20', null);
    const t = clockTicks(c, 0, 3 * 3600, 3600);
    expect(t.map((x) => x.label)).toEqual(['10:00:00', '11:00:00', '12:00:00']);
    expect(t[0]!.sec).toBe(1780);
    expect(clockTicks(ELAPSED, 0, 7200, 3600).map((x) => [x.sec, x.label])).toEqual([
      [0, '00:00:00'],
      [3600, '01:00:00'],
      [7200, '02:00:00'],
    ]);
    // over midnight: the time of day goes on from 00:00
    expect(clockTicks(recordClock('23:00:00', null), 0, 7200, 3600).map((x) => x.label)).toEqual(['23:00:00', '00:00:00', '01:00:00']);
    expect(clockTicks(c, 10, 5, 1)).toEqual([]);
    // the trend plots' short labels: elapsed as before, the clock to the minute
    expect(recordAxisTicks(ELAPSED, 1800, 600).map((x) => x.label)).toEqual(['00:00', '10:00', '20:00', '30:00']);
    expect(recordAxisTicks(c, 7200, 1800).map((x) => x.label)).toEqual(['10:00', '10:30', '11:00', '11:30']);
  });
});
