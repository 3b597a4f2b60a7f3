// Which of a record's signals are ECG leads, and which two an analysis reads when not told.
// PhysioNet records mix modalities (ICU and sleep records: ECG beside ABP, PLETH, RESP, EEG), and
// 12-lead records list I, II, III, aVR … before the precordial leads: the first two signals are
// not always two ECG leads, nor the pair the beat model learnt (MIT-BIH's modified lead II with a
// precordial lead, mostly V1).
/** Descriptions that name another modality (WFDB's usual signal names, matched at the start). */
const OTHER_MODALITY =
  /^(resp|abp|art|bp|nbp|pap|cvp|icp|lap|rap|uap|pleth|ppg|spo2|sao2|sp02|co2|etco2|o2|eeg|emg|eog|temp|edr|rr|hr|pulse|thor|abdo|abdomen|airflow|flow|nasal|snore|sound|pcg|position|light|marker|event|stat|uc|toco)\b/i;

/** Units of a pressure, a fraction, a rate, a flow or volume, a temperature: not a voltage. */
const NOT_A_VOLTAGE = /^(mmhg|cmh2o|kpa|pa|%|bpm|\/min|breaths\/min|l|ml|l\/s|l\/min|ml\/s|degc|deg c|°c|c|degf|°f)$/i;

/** A signal as a WFDB header describes it (SignalSpec, or the review UI's RecordInfo signals). */
type Described = { description: string; units?: string };

/** An ECG lead: neither its description nor its units name another modality. */
export function isEcgSignal(s: Described): boolean {
  return !OTHER_MODALITY.test(s.description.trim()) && !NOT_A_VOLTAGE.test((s.units ?? '').trim());
}

/** The record's ECG signals, by signal number, in header order. */
export function ecgSignals(signals: readonly Described[]): number[] {
  return signals.flatMap((s, i) => (isEcgSignal(s) ? [i] : []));
}

const LEAD_II = /^(ii|mlii|ml2|lead ?ii|ecg ?ii|d2|dii)$/i;
/** Precordial leads in the order the model saw them most as its second lead (MIT-BIH: V1, then V2, V5, V4). */
const PRECORDIAL = ['v1', 'v2', 'v5', 'v4', 'v3', 'v6'];

function precordialRank(description: string): number {
  const d = description
    .trim()
    .toLowerCase()
    .replace(/^(lead|ecg)\s*/, '');
  const r = PRECORDIAL.indexOf(d.replace(/^m(?=v\d$)/, '')); // MV1 (modified V1) ranks as V1
  return r < 0 ? PRECORDIAL.length : r;
}

/**
 * The ECG signals an analysis reads when not told, at most `max`: the record's ECG signals in header
 * order when it has no more than `max` (as the beat model's training data holds them), else lead II
 * (or MLII) first and the precordial lead nearest V1 second, where the record names them.
 * Empty when the record has no ECG signal.
 */
export function defaultEcgLeads(signals: readonly Described[], max = 2): number[] {
  const ecg = ecgSignals(signals);
  if (ecg.length <= max) return ecg;
  const desc = (i: number) => signals[i]!.description.trim();
  const two = ecg.find((i) => LEAD_II.test(desc(i)));
  const rest = ecg.filter((i) => i !== two);
  const byPrecordial = [...rest].sort((a, b) => precordialRank(desc(a)) - precordialRank(desc(b)) || a - b);
  const named = two === undefined ? rest : [two, ...byPrecordial];
  return named.slice(0, max);
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
