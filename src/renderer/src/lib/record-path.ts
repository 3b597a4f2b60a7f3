// What the path field opens: a record is named without an extension, but a reviewer pastes
// whichever of its files is at hand ("233.dat", "233.atr", "A00003.mat").
import { isAbsolutePath } from '../../../shared/review';

/** Extensions of a record's own files: signal, header, and the usual annotators. */
const RECORD_FILE = /\.(hea|dat|mat|atr|qrs|ecg|ari|apn|st|stf|pu[01]?|rev|xws)$/i;

export type RecordPathResult = { path: string; note: string | null } | { error: string };

export function recordPathOf(input: string): RecordPathResult {
  const p = input.trim();
  if (!p) return { error: 'Type the path of a record (e.g. /data/mitdb/100) or of any of its files, then Enter.' };
  if (!isAbsolutePath(p)) return { error: `Type the full path (from / or a drive letter): "${p}" is relative.` };
  const m = RECORD_FILE.exec(p);
  if (!m || m.index === 0 || /[\\/]$/.test(p.slice(0, m.index))) return { path: p, note: null };
  return { path: p.slice(0, m.index), note: `Opening record ${p.slice(0, m.index).split(/[\\/]/).pop()} (the record of ${p.split(/[\\/]/).pop()}).` };
}
