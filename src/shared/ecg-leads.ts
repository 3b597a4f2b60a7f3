// Which of a record's signals are ECG leads, and which two an analysis reads when not told.
// PhysioNet records mix modalities (ICU and sleep records: ECG beside ABP, PLETH, RESP, EEG), and
// 12-lead records list I, II, III, aVR … before the precordial leads: the first two signals are
// not always two ECG leads, nor the pair the beat model learnt (MIT-BIH's modified lead II with a
// precordial lead, mostly V1).
/** Descriptions that name an ECG lead: ECG/EKG…, lead …, the limb, augmented and precordial leads, Holter bipolar leads (MLII, MV1, MCL1, CM5, CC5). */
const ECG_NAME = /^((ecg|ekg).*|lead\b.*|(i{1,3}|avr|avl|avf|m?v[1-6]?|v[xyz]|ml ?(i{1,3}|[1-3])|(mcl|cm|cc|cs)\d|d(i{1,3}|[1-3]))\+?)$/i;

/** Descriptions that name another modality (WFDB's usual signal names, matched at the start; word continuations included). */
const OTHER_MODALITY =
  /^(resp\w*|abp|art|bp|nbp|pap|cvp|icp|lap|rap|uap|fap|pleth\w*|ppg|spo2|sao2|sp02|so2|co2|etco2|o2|eeg|emg|eog|chin|leg|temp\w*|edr|rr|hr|heart rate|pulse|thor\w*|abd\w*|airflow|flow|nasal|snore|sound|pcg|position|light|marker|event|stat|uc|toco|gsr|foot gsr|hand gsr|eda|ecg-derived)\b/i;

/** Units of a pressure, a fraction, a rate, a flow or volume, a temperature, a resistance or conductance: not a voltage. */
const NOT_A_VOLTAGE = /^(mmhg|cmh2o|kpa|pa|%|nu|bpm|beats\/min|\/min|breaths\/min|l|ml|l\/s|l\/min|ml\/s|degc|deg c|°c|c|degf|°f|ohm|kohm|us|µs|μs)$/i;

/** A signal as a WFDB header describes it (SignalSpec, or the review UI's RecordInfo signals). */
type Described = { description: string; units?: string };

/** Neither the description nor the units name another modality. */
export function isEcgSignal(s: Described): boolean {
  return !OTHER_MODALITY.test(s.description.trim()) && !NOT_A_VOLTAGE.test((s.units ?? '').trim());
}

/**
 * The record's ECG signals, by signal number, in header order: the ones named as ECG leads when any is
 * (a sleep record's C3-A2 or foot GSR is then left out however it is named), else every signal that
 * names no other modality (unnamed signals count as ECG).
 */
export function ecgSignals(signals: readonly Described[]): number[] {
  const plausible = signals.flatMap((s, i) => (isEcgSignal(s) ? [i] : []));
  const named = plausible.filter((i) => ECG_NAME.test(signals[i]!.description.trim()));
  return named.length ? named : plausible;
}

/** The lead's name without "ECG"/"EKG" and "lead" in front and a trailing "+" (ECG lead II → ii). */
function bareName(description: string): string {
  return description
    .trim()
    .toLowerCase()
    .replace(/^(ecg|ekg)\s*/, '')
    .replace(/^lead\s*/, '')
    .replace(/\+$/, '');
}

const LEAD_II = /^(ii|ml ?ii|ml2|d2|dii)$/;
/** Precordial leads in the order the model saw them most as its second lead (MIT-BIH: V1, then V2, V5, V4); "V" (a monitor's chest lead) last. */
const PRECORDIAL = ['v1', 'v2', 'v5', 'v4', 'v3', 'v6', 'v'];

/** Rank of a precordial lead (modified chest leads MV1 and MCL1 as V1); past the list for any other lead. */
function precordialRank(description: string): number {
  const d = bareName(description)
    .replace(/^m(?=v\d$)/, '')
    .replace(/^mcl(?=\d$)/, 'v');
  const r = PRECORDIAL.indexOf(d);
  return r < 0 ? PRECORDIAL.length : r;
}

/**
 * The ECG signals an analysis reads when not told, at most `max`: the record's ECG signals in header
 * order when it has no more than `max` (as the beat model's training data holds them); else lead II
 * (or MLII; without one, the first ECG signal) and then the precordial lead nearest V1, where the
 * record names them, else the next ECG signals in header order. Empty when the record has no ECG signal.
 */
export function defaultEcgLeads(signals: readonly Described[], max = 2): number[] {
  const ecg = ecgSignals(signals);
  if (ecg.length <= max) return ecg;
  const desc = (i: number) => signals[i]!.description;
  const first = ecg.find((i) => LEAD_II.test(bareName(desc(i)))) ?? ecg[0]!;
  const rest = ecg.filter((i) => i !== first).sort((a, b) => precordialRank(desc(a)) - precordialRank(desc(b)) || a - b);
  return [first, ...rest].slice(0, max);
}

/**
 * Samples per frame the leads `leads` are analysed at: the most any of them holds. A multi-frequency
 * record (MIMIC: ECG at 4 samples per 125 Hz frame beside ABP at 1) stores its ECG faster than its frame
 * rate; the analysis reads it at its own rate, the frame rate × this. 1 for no lead.
 */
export function leadSamplesPerFrame(signals: readonly { samplesPerFrame: number }[], leads: readonly number[]): number {
  return Math.max(1, ...leads.map((i) => signals[i]?.samplesPerFrame ?? 1));
}

/**
 * Samples per frame of a record's default ECG leads (defaultEcgLeads): the rate, as a multiple of the frame
 * rate, at which its analysis counts beats, and the review, evaluation and annotation files with it.
 */
export function analysisSamplesPerFrame(signals: readonly (Described & { samplesPerFrame: number })[]): number {
  return leadSamplesPerFrame(signals, defaultEcgLeads(signals));
}

/** A voltage signal's units per millivolt (uV 1000, V 0.001); 1 for mV, no units, or any other unit. */
export function unitsPerMillivolt(units: string | undefined): number {
  const u = (units ?? '').trim();
  if (/^[uµμ]v$/i.test(u)) return 1e3;
  if (/^nv$/i.test(u)) return 1e6;
  if (u === 'V' || u === 'v') return 1e-3;
  return 1;
}

/** Signals in place in millivolts (the unit every threshold and the paper grid is in): voltages in other units rescaled. */
export function inMillivolts<T extends Float32Array>(signals: T[], specs: readonly { units?: string }[]): T[] {
  signals.forEach((x, i) => {
    const k = unitsPerMillivolt(specs[i]?.units);
    if (k !== 1) for (let j = 0; j < x.length; j++) x[j] = x[j]! / k;
  });
  return signals;
}
