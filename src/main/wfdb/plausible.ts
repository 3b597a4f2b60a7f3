// Plausibility limits: a header that parses can still describe no record anyone recorded (fs =
// 0.0001 Hz makes a 650,000-frame record last 206 years and the analysis resample it into
// gigabytes). These bounds admit every record in PhysioNet's ECG databases and a 7-day 12-lead
// Holter at 1 kHz, and refuse the rest with an error naming the header and the limit.
import { WfdbError } from './errors';

export const PLAUSIBLE = {
  /** Hz. Below this no waveform this app reads (ECG, BP, respiration) is sampled. */
  minFs: 1,
  /** Hz. 100 kHz covers pacemaker-spike and high-resolution ECG. */
  maxFs: 100_000,
  /** 12-lead plus auxiliary channels fit many times over; body-surface maps use ~250. */
  maxSignals: 1024,
  /** 31 days: a 7-day (or 14-day patch) Holter fits twice. */
  maxDurationSec: 31 * 86_400,
  /**
   * Frames (2^31 - 1): annotation times are read and written as 32-bit (one SKIP each, as WFDB
   * before 10.7) and beat positions are Int32Array throughout, so a longer record would wrap.
   * 24 days at 1 kHz, 68 days at 360 Hz.
   */
  maxFrames: 0x7fffffff,
  /** Annotations in one file: a 31-day record at 300 beats/min holds 13.4 million beats. */
  maxAnnotations: 20_000_000,
  /** Hz. The analysis detects QRS complexes, which need at least this rate. */
  minAnalysisFs: 50,
  /** Seconds. Shorter than this a recording holds no rhythm to call (the shortest record in ../shared/data lasts 2.5 s). */
  minAnalysisSec: 2,
  /** Beats a second over a whole record: 300 a minute (flutter waves are not beats). */
  maxMeanBeatsPerSec: 5,
} as const;

function fmt(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
}

/** Throws WfdbError 'IMPLAUSIBLE' naming `file` when fs, signal count, duration or frame count is out of bounds. */
export function checkPlausible(h: { fs: number; nSignals: number }, nFrames: number, file: string): void {
  if (!(h.fs >= PLAUSIBLE.minFs) || h.fs > PLAUSIBLE.maxFs)
    throw new WfdbError(
      'IMPLAUSIBLE',
      file,
      `sampling frequency ${h.fs} Hz is implausible (this reader accepts ${fmt(PLAUSIBLE.minFs)}–${fmt(PLAUSIBLE.maxFs)} Hz)`
    );
  if (h.nSignals > PLAUSIBLE.maxSignals)
    throw new WfdbError('IMPLAUSIBLE', file, `${fmt(h.nSignals)} signals is implausible (at most ${fmt(PLAUSIBLE.maxSignals)})`);
  const sec = nFrames / h.fs;
  if (sec > PLAUSIBLE.maxDurationSec)
    throw new WfdbError(
      'IMPLAUSIBLE',
      file,
      `${fmt(nFrames)} frames at ${h.fs} Hz last ${(sec / 86_400).toFixed(1)} days, implausible for one record (at most ${PLAUSIBLE.maxDurationSec / 86_400} days)`
    );
  if (nFrames > PLAUSIBLE.maxFrames)
    throw new WfdbError(
      'IMPLAUSIBLE',
      file,
      `${fmt(nFrames)} frames is more than this reader's ${fmt(PLAUSIBLE.maxFrames)} (2^31 - 1: sample positions are 32-bit)`
    );
}

/** The analysis's own floor on top of the reader's: QRS detection needs `minAnalysisFs`; a rhythm, `minAnalysisSec` (when nFrames is given). */
export function checkAnalysable(fs: number, file: string, nFrames?: number): void {
  if (!(fs >= PLAUSIBLE.minAnalysisFs))
    throw new WfdbError(
      'IMPLAUSIBLE',
      file,
      `sampling frequency ${fs} Hz is too low to detect heartbeats (the analysis needs at least ${PLAUSIBLE.minAnalysisFs} Hz)`
    );
  if (nFrames !== undefined && nFrames / fs < PLAUSIBLE.minAnalysisSec)
    throw new WfdbError(
      'IMPLAUSIBLE',
      file,
      `${fmt(nFrames)} frames at ${fs} Hz last ${(nFrames / fs).toFixed(2)} s, too short to analyse (at least ${PLAUSIBLE.minAnalysisSec} s)`
    );
}

/** The most reference beats a record of `durationSec` can hold (`maxMeanBeatsPerSec`, and a few more for a short strip). */
export function maxReferenceBeats(durationSec: number): number {
  return PLAUSIBLE.maxMeanBeatsPerSec * durationSec + 10;
}

/** Reference beats as many as no heart beats (more than `maxMeanBeatsPerSec` over the record): an annotation file of something else. */
export function checkBeatRate(beats: number, durationSec: number, file: string): void {
  if (beats > maxReferenceBeats(durationSec))
    throw new WfdbError(
      'IMPLAUSIBLE',
      file,
      `${fmt(beats)} beats in ${durationSec.toFixed(1)} s (${Math.round((60 * beats) / durationSec)} a minute) are not heart beats (at most ${PLAUSIBLE.maxMeanBeatsPerSec * 60} a minute over a record)`
    );
}
