// Whether a beat the reviewer adds is plausible: not on top of a beat, and not so soon after (or
// before) one that it is more likely a T wave than a QRS. Pure; the session asks for a second
// press of A before adding an implausible one.

/** Closer than this to a beat is the same beat. */
export const SAME_BEAT_MS = 100;
/** An RR shorter than this (200 bpm) needs a second press: a T wave sits 200–300 ms after its QRS. */
export const MIN_RR_MS = 300;

export type AddCheck = { ok: true } | { ok: false; kind: 'same' | 'short'; message: string };

/** `prev` / `next`: the nearest kept beats before and after `sample` (null: none). */
export function checkAddBeat(sample: number, prev: number | null, next: number | null, fs: number): AddCheck {
  const ms = (a: number, b: number) => (Math.abs(a - b) * 1000) / fs;
  const dPrev = prev === null ? Infinity : ms(sample, prev);
  const dNext = next === null ? Infinity : ms(next, sample);
  const d = Math.min(dPrev, dNext);
  if (d < SAME_BEAT_MS) return { ok: false, kind: 'same', message: `There is already a beat within ${SAME_BEAT_MS} ms of that point.` };
  if (d < MIN_RR_MS) {
    const where = dPrev <= dNext ? 'after the previous beat' : 'before the next beat';
    return {
      ok: false,
      kind: 'short',
      message: `That point is ${Math.round(d)} ms ${where} (${Math.round(60_000 / d)} bpm, faster than ${Math.round(60_000 / MIN_RR_MS)} bpm): more likely a T wave than a QRS. Press A again to add it anyway.`,
    };
  }
  return { ok: true };
}
