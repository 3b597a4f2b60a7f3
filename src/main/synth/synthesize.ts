// A synthetic record from a scenario and a seed: schedule (ground truth) → samples → annotations.
import { codeOf, RHYTHM } from '../wfdb/codes';
import { drawFwave } from './fwave';
import { createMorphologies, evaluate, LEAD_NAMES, type MorphologySet } from './morphology';
import { createNoise } from './noise';
import { createRng } from './prng';
import { beatSample, render, type AfInterval } from './render';
import { scenarioPlan, type ScenarioName } from './scenarios';
import { buildSchedule, type RhythmLabel, type Schedule } from './schedule';

export interface SynthOptions {
  scenario: ScenarioName;
  minutes: number;
  seed: number;
  /** Sampling frequency, Hz (default 360). */
  fs?: number;
  /** Signal file format: 212 (11-bit, as MIT-BIH) or 16. */
  format?: 212 | 16;
  /** ADC units per mV (default 200, as MIT-BIH). */
  gain?: number;
  /** SNR in dB overriding the scenario's; null for a noise-free record. */
  snrDb?: number | null;
}

export interface SynthAnnotation {
  sample: number;
  code: number;
  subtype: number;
  chan: number;
  num: number;
  aux: string | null;
}

export interface SynthEpisode {
  rhythm: RhythmLabel;
  /** [start, end) in samples: from the rhythm annotation to the next one (or the record's end). */
  start: number;
  end: number;
  beats: number;
}

export interface SynthSummary {
  beats: number;
  /** Beats by MIT code: N (sinus and AF), A, V. */
  byCode: Record<'N' | 'A' | 'V', number>;
  afBeats: number;
  isolatedPvcs: number;
  couplets: number;
  /** Lengths of runs of ≥ 3 PVCs (VT). */
  vtRuns: number[];
  episodes: SynthEpisode[];
  /** Sinus arrests, [start, end] in samples (the R peaks around the pause). */
  pauses: [number, number][];
  clippedSamples: number;
}

export interface SynthResult {
  fs: number;
  nSamples: number;
  leadNames: readonly string[];
  format: 212 | 16;
  gain: number;
  adcResolution: number;
  signals: Int16Array[];
  annotations: SynthAnnotation[];
  summary: SynthSummary;
}

const BEAT_CODE: Record<'N' | 'A' | 'V', number> = { N: codeOf('N')!, A: codeOf('A')!, V: codeOf('V')! };

/** Storable ADC range per format: 11 bits as MIT-BIH for 212; 16 bits less the invalid value for 16. */
const RANGE: Record<212 | 16, { bits: number; min: number; max: number }> = {
  212: { bits: 11, min: -1024, max: 1023 },
  16: { bits: 16, min: -32767, max: 32767 },
};

export function synthesize(o: SynthOptions, onProgress?: (fraction: number) => void): SynthResult {
  const fs = o.fs ?? 360;
  const format = o.format ?? 212;
  const gain = o.gain ?? 200;
  if (!(fs >= 50 && fs <= 10000)) throw new RangeError(`sampling frequency ${fs} Hz is outside 50–10000 Hz`);
  if (!(o.minutes > 0)) throw new RangeError(`record length ${o.minutes} min must be positive`);
  if (!Number.isSafeInteger(o.seed)) throw new RangeError(`seed ${o.seed} must be an integer`);
  const plan = scenarioPlan(o.scenario, o.minutes, createRng(o.seed, 'plan'));
  const morph = createMorphologies(createRng(o.seed, 'morphology'), plan.foci);
  const schedule = buildSchedule(plan, morph, createRng(o.seed, 'rhythm'));
  const nSamples = Math.round(plan.seconds * fs);
  const annotations = annotate(schedule, fs, nSamples);
  const episodes = rhythmEpisodes(annotations, nSamples);

  const fwRng = createRng(o.seed, 'fwave');
  const af: AfInterval[] = [];
  for (const e of episodes) {
    if (e.rhythm !== '(AFIB') continue;
    const end = lastBeforeOrEnd(schedule, e.end / fs, plan.seconds);
    af.push({ start: e.start / fs, end, params: drawFwave(fwRng) });
  }

  const noiseOpts = o.snrDb === null ? null : plan.noise && { ...plan.noise, snrDb: o.snrDb ?? plan.noise.snrDb };
  const noise = noiseOpts && createNoise(o.seed, noiseOpts, fs, nSamples, noiseRms(morph, noiseOpts.snrDb), schedule.respHz, plan.activity);
  const range = RANGE[format];
  const signals = LEAD_NAMES.map(() => new Int16Array(nSamples));
  const clipped = render({ fs, nSamples, beats: schedule.beats, shapes: morph.shapes, af, noise, gain, min: range.min, max: range.max }, signals, onProgress);
  return {
    fs,
    nSamples,
    leadNames: LEAD_NAMES,
    format,
    gain,
    adcResolution: range.bits,
    signals,
    annotations,
    summary: summarize(schedule, episodes, fs, clipped),
  };
}

/**
 * f-waves stop 0.3 s before the first beat after the AF episode, so its P wave (about 0.2 s
 * before its R peak) stands alone: no later than that, whatever the rhythm annotation's onset.
 */
export function lastBeforeOrEnd(s: Schedule, endSec: number, recordSec: number): number {
  const next = s.beats.find((b) => b.time > endSec);
  return next ? Math.min(endSec, next.time - 0.3) : recordSec;
}

/** Noise rms per lead for an SNR, with S = (sinus QRS peak-to-peak)² / 8 as in WFDB's nst. */
export function noiseRms(morph: MorphologySet, snrDb: number): number[] {
  const sinus = morph.shapes[morph.sinus]!;
  return LEAD_NAMES.map((_, l) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = -100; i <= 100; i++) {
      const v = evaluate({ name: sinus.name, waves: sinus.waves.filter((w) => w.kind === 'qrs') }, l, i * 1e-3);
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const s = ((hi - lo) * (hi - lo)) / 8;
    return Math.sqrt(s / 10 ** (snrDb / 10));
  });
}

/**
 * The ground-truth annotation list: one beat annotation per beat at its R-peak sample, and a
 * rhythm annotation (code RHYTHM "+", aux "(N", "(AFIB", ... with the NUL MIT-BIH's files carry)
 * at the onset of the first beat of each new rhythm: up to 100 ms before its R peak.
 */
export function annotate(s: Schedule, fs: number, nSamples = Infinity): SynthAnnotation[] {
  const out: SynthAnnotation[] = [];
  let rhythm = '';
  let prevSample = -1;
  let prevTime = -Infinity;
  for (const b of s.beats) {
    const sample = beatSample(b, fs);
    // a beat in the last half sample rounds to nSamples, one past the record's end: no annotation there
    if (sample >= nSamples) break;
    if (b.rhythm !== rhythm) {
      const onset = Math.round((b.time - Math.min(0.1, 0.4 * (b.time - prevTime))) * fs);
      out.push({ sample: Math.min(sample, Math.max(prevSample + 1, onset, 0)), code: RHYTHM, subtype: 0, chan: 0, num: 0, aux: `${b.rhythm}\0` });
      rhythm = b.rhythm;
    }
    out.push({ sample, code: BEAT_CODE[b.code], subtype: 0, chan: 0, num: 0, aux: null });
    prevSample = sample;
    prevTime = b.time;
  }
  return out;
}

function rhythmEpisodes(anns: readonly SynthAnnotation[], nSamples: number): SynthEpisode[] {
  const out: SynthEpisode[] = [];
  for (const a of anns) {
    if (a.code === RHYTHM) {
      const prev = out[out.length - 1];
      if (prev) prev.end = a.sample;
      out.push({ rhythm: a.aux!.replace(/\0/g, '') as RhythmLabel, start: a.sample, end: nSamples, beats: 0 });
    } else out[out.length - 1]!.beats++;
  }
  return out;
}

function summarize(s: Schedule, episodes: SynthEpisode[], fs: number, clipped: number): SynthSummary {
  const byCode = { N: 0, A: 0, V: 0 };
  let afBeats = 0;
  let isolated = 0;
  let couplets = 0;
  const vtRuns: number[] = [];
  let run = 0;
  const close = () => {
    if (run === 1) isolated++;
    else if (run === 2) couplets++;
    else if (run >= 3) vtRuns.push(run);
    run = 0;
  };
  for (const b of s.beats) {
    byCode[b.code]++;
    if (b.rhythm === '(AFIB' && b.code === 'N') afBeats++;
    if (b.code === 'V') run++;
    else close();
  }
  close();
  return {
    beats: s.beats.length,
    byCode,
    afBeats,
    isolatedPvcs: isolated,
    couplets,
    vtRuns,
    episodes,
    pauses: s.pauses.map((p) => [Math.round(p.start * fs), Math.round(p.end * fs)]),
    clippedSamples: clipped,
  };
}
