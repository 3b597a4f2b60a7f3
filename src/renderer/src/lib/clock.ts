// Clock time: the time of day the recorder saw an event, from the WFDB header's base time (and
// date), for the review UI's read-outs and the report alike. Pure; any header text is safe to give:
// a start that is no time of day leaves the times elapsed, and `problem` says why.
import { formatHms } from './time';

export interface ClockDate {
  year: number;
  /** 1–12. */
  month: number;
  /** 1–31. */
  day: number;
}

export interface RecordClock {
  /** Seconds after midnight at the record's first sample; null: times are elapsed from the recording's beginning. */
  startSec: number | null;
  /** The start's calendar date (a later day is shown by its date), else null (a later day is "day 2", …). */
  date: ClockDate | null;
  /** What of the header's start could not be used, in words; null when all of it was (or none was given). */
  problem: string | null;
  /** A later day's date without its year, "16/08" (the review UI's narrow read-outs; its status bar gives the start's year). */
  yearless?: boolean;
}

/** No start known: every time elapsed. */
export const ELAPSED: RecordClock = { startSec: null, date: null, problem: null };

const DAY = 86_400;
/** The header's text is shown in a problem; a longer one is cut (the text comes from a file). */
const MAX_SHOWN = 40;
const shown = (text: string) => JSON.stringify(text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text);

/**
 * A WFDB base time in seconds after midnight, or null when it is none. As WFDB reads it (strtim),
 * the fields end with the seconds: "HH:MM:SS", "MM:SS" or "SS", each with optional fractions of a
 * second ("19:46:25.757"); each field must be within a clock's range (hours 0–23, minutes and
 * seconds 0–59), where WFDB would carry 61 minutes over into the hour unasked.
 */
export function parseBaseTime(text: string): number | null {
  const m = /^(\d{1,2})(?::(\d{1,2}))?(?::(\d{1,2}))?(\.\d*)?$/.exec(text.trim());
  if (!m) return null;
  const fields = [m[1], m[2], m[3]].filter((f): f is string => f !== undefined).map(Number);
  const [h, min, s] = [0, 0, ...fields].slice(-3) as [number, number, number];
  if (h > 23 || min > 59 || s > 59) return null;
  const frac = m[4] && m[4].length > 1 ? Number(m[4]) : 0;
  return h * 3600 + min * 60 + s + frac;
}

/** The days in a month of a year (the calendar's: leap years too). */
function daysIn(year: number, month: number): number {
  const t = new Date(0);
  // setUTCFullYear, not Date.UTC: that maps the years 0–99 onto 1900–1999
  t.setUTCFullYear(year, month, 0);
  return t.getUTCDate();
}

/** A WFDB base date "DD/MM/YYYY" (a real calendar day), or null when it is none. */
export function parseBaseDate(text: string): ClockDate | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{1,4})$/.exec(text.trim());
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return { year, month, day };
}

/** The clock of a record from its header's base time and date (as written there; null when absent). */
export function recordClock(baseTime: string | null | undefined, baseDate: string | null | undefined, opts: { yearless?: boolean } = {}): RecordClock {
  if (baseTime === null || baseTime === undefined || baseTime.trim() === '') return ELAPSED;
  const startSec = parseBaseTime(baseTime);
  if (startSec === null) return { ...ELAPSED, problem: `the header's start time ${shown(baseTime)} is no time of day (HH:MM:SS)` };
  const yearless = opts.yearless === true;
  if (baseDate === null || baseDate === undefined || baseDate.trim() === '') return { startSec, date: null, problem: null, yearless };
  const date = parseBaseDate(baseDate);
  if (date === null) return { startSec, date: null, problem: `the header's start date ${shown(baseDate)} is no date (DD/MM/YYYY)`, yearless };
  return { startSec, date, problem: null, yearless };
}

const two = (n: number) => String(n).padStart(2, '0');

/** "DD/MM/YYYY" (yearless: "DD/MM") of the day `days` after `d` (the calendar's, leap years included). */
export function formatDate(d: ClockDate, days = 0, yearless = false): string {
  const t = new Date(0);
  t.setUTCFullYear(d.year, d.month - 1, d.day + days);
  const dm = `${two(t.getUTCDate())}/${two(t.getUTCMonth() + 1)}`;
  return yearless ? dm : `${dm}/${String(t.getUTCFullYear()).padStart(4, '0')}`;
}

export interface ClockParts {
  /** The day, when not the recording's first: "day 2", or its date when the header gives one; null on the first day (and for elapsed times). */
  day: string | null;
  /** "HH:MM:SS" (fractions as asked): the time of day, or elapsed when the clock has no start. */
  time: string;
}

/** The time `sec` after the recording's start as its day and time of day (elapsed, formatHms, when no start is known). */
export function clockParts(c: RecordClock, sec: number, fractionDigits = 0): ClockParts {
  if (c.startSec === null || !Number.isFinite(sec) || sec < 0) return { day: null, time: formatHms(sec, fractionDigits) };
  // rounded before it is split, so 23:59:59.7 is the next day's 00:00:00, never 24:00:00
  const scale = 10 ** fractionDigits;
  const total = Math.round((c.startSec + sec) * scale) / scale;
  const days = Math.floor(total / DAY);
  const time = formatHms(total - days * DAY, fractionDigits);
  if (days === 0) return { day: null, time };
  return { day: c.date ? formatDate(c.date, days, c.yearless) : `day ${days + 1}`, time };
}

/** "14:32:05", "day 2 01:15:00" or "16/08/1994 01:15:00"; elapsed "hh:mm:ss" when the clock has no start. */
export function clockTime(c: RecordClock, sec: number, fractionDigits = 0): string {
  const p = clockParts(c, sec, fractionDigits);
  return p.day ? `${p.day} ${p.time}` : p.time;
}

/** The clock time with the elapsed time after it, "14:32:05 (elapsed 02:28:00)"; the elapsed time alone when the clock has no start. */
export function clockAndElapsed(c: RecordClock, sec: number, fractionDigits = 0): string {
  const elapsed = formatHms(sec, fractionDigits);
  return c.startSec === null ? elapsed : `${clockTime(c, sec, fractionDigits)} (elapsed ${elapsed})`;
}

/** A time range, "23:53:20 – 00:10:00 (elapsed 01:23:20 – 01:40:00)" (days as clockTime), or the elapsed range alone when the clock has no start. */
export function clockRange(c: RecordClock, fromSec: number, toSec: number, sep = ' – '): string {
  const elapsed = `${formatHms(fromSec)}${sep}${formatHms(toSec)}`;
  return c.startSec === null ? elapsed : `${clockTime(c, fromSec)}${sep}${clockTime(c, toSec)} (elapsed ${elapsed})`;
}

/** A span as "HH:MM–HH:MM" of the clock (the day before it when not the first, as clockTime); elapsed "HH:MM" from its start when the clock has none. */
export function clockSpan(c: RecordClock, fromSec: number, toSec: number): string {
  if (c.startSec === null) return formatHms(fromSec).slice(0, 5);
  const from = clockParts(c, fromSec);
  const to = clockParts(c, toSec).time.slice(0, 5);
  return `${from.day ? `${from.day} ` : ''}${from.time.slice(0, 5)}–${to}`;
}

/** Which times a page shows, in words (the report's header, the status bar's title). */
export function clockDescription(c: RecordClock): string {
  if (c.startSec === null) return `times are elapsed from the recording's beginning${c.problem ? `: ${c.problem}` : ''}`;
  const days = c.date ? 'a later day by its date' : `a later day numbered: day 2, …${c.problem ? `; ${c.problem}` : ''}`;
  return `times are clock times, the recorder's time of day (${days}), with the elapsed time from the recording's beginning where it helps`;
}

/**
 * The start's time of day with its fractions to the millisecond ("19:46:25.757"): rounded to the second
 * as the read-outs are, a start of 23:59:59.7 would read as the next day's 00:00:00 ("day 2") beside
 * the start's own date.
 */
function startTime(sec: number): string {
  const ms = Math.min(Math.round(sec * 1000), DAY * 1000 - 1);
  return formatHms(ms / 1000, ms % 1000 === 0 ? 0 : 3);
}

/** The status bar's words for the clock: short "start 09:30:00 15/08/1994" or "elapsed time", the description in full, a warning when the header's start was unusable. */
export function clockStatus(c: RecordClock): { short: string; full: string; warn: boolean } {
  const short = c.startSec === null ? 'elapsed time' : `start ${startTime(c.startSec)}${c.date ? ` ${formatDate(c.date)}` : ''}`;
  const full = clockDescription(c);
  return { short, full: `${full[0]!.toUpperCase()}${full.slice(1)}.`, warn: c.problem !== null };
}

/**
 * Axis ticks every `step` seconds from `fromSec` to `toSec` (elapsed), placed on round clock times
 * when the clock has a start (a 09:30:20 start ticks at 10:00, not at 10:30:20), else on round
 * elapsed times, as the axes always had them. Each tick: its elapsed time and its label (the time
 * of day, or elapsed).
 */
export function clockTicks(c: RecordClock, fromSec: number, toSec: number, step: number, fractionDigits = 0): { sec: number; label: string }[] {
  const offset = c.startSec ?? 0;
  const out: { sec: number; label: string }[] = [];
  if (!(step > 0) || !(toSec >= fromSec)) return out;
  for (let k = Math.ceil((fromSec + offset) / step); k * step - offset <= toSec; k++) {
    const sec = k * step - offset;
    out.push({ sec, label: clockParts(c, sec, fractionDigits).time });
  }
  return out;
}

/** Ticks of a whole-record axis (the trend plots), labelled short: elapsed as before ("05:00" under an hour), clock "HH:MM" on steps of a minute or more. */
export function recordAxisTicks(c: RecordClock, durationSec: number, step: number): { sec: number; label: string }[] {
  return clockTicks(c, 0, durationSec, step).map((t) => ({
    sec: t.sec,
    label: c.startSec === null ? t.label.replace(/^00:/, '') : step >= 60 ? t.label.slice(0, 5) : t.label,
  }));
}
