// Unreadable stretches of a record from the per-second quality flags of its analysed leads: a
// second is unreadable when any lead is flagged (the beats and rhythm read both), except a second
// lead that is flat (its electrode off; at a rail, saturated too): the beats and the rhythm are then read on lead 0,
// and the beat model's input for a flat lead is the zeros of its single-lead input; runs of such
// seconds, joined across gaps up to BRIDGE_SEC and kept from MIN_STRETCH_SEC, become NOISE
// episodes (source 'rules') that pause, VT and heart-rate decisions leave out.
import type { Episode } from '../../shared/analysis';
import type { LeadInput } from '../dsp/lead';
import { isModelNoise } from './intervals';
import { DEFAULT_QUALITY, QUALITY, leadQuality, leadQualitySteps, qualityWords, type QualityOptions } from './sqi';

/** Flagged seconds closer than this are one stretch, seconds. */
export const BRIDGE_SEC = 2;
/** Shortest unreadable stretch reported, seconds (a lone flagged second is a blip, not a stretch). */
export const MIN_STRETCH_SEC = 2;

export interface LeadFlags {
  name: string;
  flags: Uint8Array;
}

const leadName = (names: readonly string[], i: number): string => names[i] ?? `signal ${i}`;

export function qualityOfLeads(signals: readonly LeadInput[], names: readonly string[], fs: number, o: QualityOptions = DEFAULT_QUALITY): LeadFlags[] {
  return signals.map((x, i) => ({ name: leadName(names, i), flags: leadQuality(x, fs, o) }));
}

/** qualityOfLeads in steps (leadQualitySteps, lead after lead, yielding the share of all leads read), for a thread that takes turns with other work. */
export function* qualityOfLeadsSteps(
  signals: readonly LeadInput[],
  names: readonly string[],
  fs: number,
  o: QualityOptions = DEFAULT_QUALITY
): Generator<number, LeadFlags[]> {
  const out: LeadFlags[] = [];
  for (const [i, x] of signals.entries()) {
    const steps = leadQualitySteps(x, fs, o);
    let r = steps.next();
    for (; !r.done; r = steps.next()) yield (i + r.value) / signals.length;
    out.push({ name: leadName(names, i), flags: r.value });
  }
  return out;
}

export function unreadableEpisodes(leads: readonly LeadFlags[], fs: number, nFrames: number): Episode[] {
  const nSec = Math.max(0, ...leads.map((l) => l.flags.length));
  // flag s is of samples [s·per, (s+1)·per) (leadQuality's grid); s·fs drifts from it where fs is not whole
  const per = Math.max(1, Math.round(fs));
  // a flat second of a later lead counts for nothing, saturated or not: an electrode off often
  // drives the amplifier to a rail, the lead's own extreme, and that flat line is no less off
  const any = (s: number) => leads.some((l, k) => (k === 0 ? l.flags[s] : !(l.flags[s]! & QUALITY.FLAT) && l.flags[s]));
  const out: Episode[] = [];
  for (let s = 0; s < nSec; s++) {
    if (!any(s)) continue;
    let e = s;
    for (let t = s + 1; t < nSec && t - e <= BRIDGE_SEC; t++) if (any(t)) e = t;
    const sec = e - s + 1;
    if (sec >= MIN_STRETCH_SEC) {
      const what = leads
        .map((l) => {
          let f = 0;
          for (let t = s; t <= e; t++) f |= l.flags[t]!;
          return f ? `${l.name}: ${qualityWords(f).join(', ')}` : '';
        })
        .filter(Boolean);
      let flagged = 0;
      for (let t = s; t <= e; t++) if (any(t)) flagged++;
      out.push({
        type: 'NOISE',
        onsetSample: s * per,
        offsetSample: Math.min(nFrames, (e + 1) * per),
        confidence: flagged / sec,
        explanation: `signal quality: unreadable for ${sec} s (${what.join('; ')}); left out of pause, VT and heart-rate figures`,
        source: 'rules',
      });
    }
    s = e;
  }
  return out;
}

/**
 * The rhythm model's NOISE episodes (source 'model') clipped to the time no unreadable stretch of
 * the signal quality (`unreadable`, source 'rules') covers, so no two NOISE episodes overlap and the
 * reviewer walks each noisy second once. The two mean different things for the figures (the quality's
 * stretch hides a pause, the model's noise alone does not: asystole reads as noise), so they are not
 * joined: where both call noise, the quality's stretch stands. A piece shorter than MIN_STRETCH_SEC
 * is dropped: it is the edge of a 10-s window whose noise is the quality's stretch beside it. Other
 * episodes pass unchanged.
 */
export function clipModelNoise(episodes: readonly Episode[], unreadable: readonly Episode[], fs: number): Episode[] {
  const rules = unreadable.map((e) => [e.onsetSample, e.offsetSample] as const).sort((x, y) => x[0] - y[0]);
  const minSamples = MIN_STRETCH_SEC * fs;
  const out: Episode[] = [];
  for (const e of episodes) {
    if (!isModelNoise(e)) {
      out.push(e);
      continue;
    }
    const pieces: [number, number][] = [];
    let from = e.onsetSample;
    for (const [a, b] of rules) {
      if (b <= from || a >= e.offsetSample) continue;
      if (a > from) pieces.push([from, a]);
      from = Math.max(from, b);
    }
    if (from < e.offsetSample) pieces.push([from, e.offsetSample]);
    const whole = pieces.length === 1 && pieces[0]![0] === e.onsetSample && pieces[0]![1] === e.offsetSample;
    if (whole) {
      out.push(e);
      continue;
    }
    for (const [a, b] of pieces)
      if (b - a >= minSamples)
        out.push({ ...e, onsetSample: a, offsetSample: b, explanation: `${e.explanation}; the part outside the signal quality's unreadable stretches` });
  }
  return out;
}
