// Time formatting for axes and read-outs: hh:mm:ss with optional fractions.

/** 3725.25 → "01:02:05" (fractionDigits 0) or "01:02:05.25" (fractionDigits 2). */
export function formatHms(sec: number, fractionDigits = 0): string {
  if (!Number.isFinite(sec)) return '--:--:--';
  const sign = sec < 0 ? '-' : '';
  const scale = 10 ** fractionDigits;
  const total = Math.round(Math.abs(sec) * scale) / scale;
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total - h * 3600 - m * 60;
  const ss = fractionDigits > 0 ? s.toFixed(fractionDigits).padStart(3 + fractionDigits, '0') : String(Math.floor(s)).padStart(2, '0');
  return `${sign}${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${ss}`;
}

/** A tick step in seconds, from a ladder of round values, giving at least `minPx` between ticks. */
export function tickStep(pxPerSec: number, minPx = 80): number {
  const ladder = [0.04, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14_400, 21_600, 43_200];
  for (const s of ladder) if (s * pxPerSec >= minPx) return s;
  return 86_400;
}

/** Digits after the decimal point that a tick step needs. */
export function stepDigits(step: number): number {
  return step >= 1 ? 0 : step >= 0.1 ? 1 : 2;
}

/** An episode's length as a reader takes it in: "40.0 s" under 100 s, "2 min 05 s" under an hour, "1 h 34 min" beyond. */
export function formatDuration(sec: number): string {
  if (!Number.isFinite(sec)) return '—';
  if (sec < 100) return `${sec.toFixed(1)} s`;
  const s = Math.round(sec);
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  const m = Math.round(s / 60);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}
