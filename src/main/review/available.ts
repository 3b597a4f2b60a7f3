// Opens what a record holds when its signal ends before the header says (a Holter whose battery
// or cable gave out): the shortest signal file decides the length, and a warning says how much is
// missing. Every other WFDB error stays an error. Used by the review UI and the analysis alike,
// so both see the same frames.
import { basename, dirname, resolve } from 'node:path';
import { headerPath, openRecord, readHeader, WfdbError, type WfdbRecord } from '../wfdb';
import { openSingleSegment } from '../wfdb/record';

/** "2 h 05 min 10 s" style duration for the warning. */
export function spoken(sec: number): string {
  const s = Math.round(sec);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/** The warning of a record cut short: how much of the header's length is there and how much is missing. */
export function truncationWarning(file: string, have: number, expected: number, fs: number): string {
  const missing = expected - have;
  return `Truncated recording: ${file} holds ${spoken(have / fs)} of the ${spoken(expected / fs)} its header gives; the last ${spoken(missing / fs)} (${((100 * missing) / expected).toFixed(1)} %) are missing. Showing what was recorded.`;
}

export async function openAvailable(recordPath: string): Promise<WfdbRecord> {
  try {
    return await openRecord(recordPath);
  } catch (err) {
    if (!(err instanceof WfdbError) || err.code !== 'TRUNCATED') throw err;
    const header = await readHeader(recordPath);
    if (header.segments || header.nFrames <= 0) throw err;
    const hea = headerPath(recordPath);
    // a header without a length lets the shortest signal file decide it
    const rec = await openSingleSegment({ ...header, nFrames: 0 }, dirname(resolve(hea)), basename(hea).slice(0, -4), hea);
    if (rec.nFrames <= 0) {
      await rec.close();
      throw err;
    }
    const file = header.signals[0]?.fileName ?? basename(hea);
    return {
      ...rec,
      header: { ...header, nFrames: rec.nFrames },
      warnings: [truncationWarning(file, rec.nFrames, header.nFrames, header.fs), ...rec.warnings],
    };
  }
}
