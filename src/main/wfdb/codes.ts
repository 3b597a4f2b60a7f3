// The standard annotation codes of WFDB's <wfdb/ecgcodes.h>, their mnemonics (as rdann prints
// them) and descriptions, and the isqrs table.
export const NOTQRS = 0;
export const NORMAL = 1;
export const LBBB = 2;
export const RBBB = 3;
export const ABERR = 4;
export const PVC = 5;
export const FUSION = 6;
export const NPC = 7;
export const APC = 8;
export const SVPB = 9;
export const VESC = 10;
export const NESC = 11;
export const PACE = 12;
export const UNKNOWN = 13;
export const NOISE = 14;
export const ARFCT = 16;
export const STCH = 18;
export const TCH = 19;
export const SYSTOLE = 20;
export const DIASTOLE = 21;
export const NOTE = 22;
export const MEASURE = 23;
export const PWAVE = 24;
export const BBB = 25;
export const PACESP = 26;
export const TWAVE = 27;
export const RHYTHM = 28;
export const UWAVE = 29;
export const LEARN = 30;
export const FLWAV = 31;
export const VFON = 32;
export const VFOFF = 33;
export const AESC = 34;
export const SVESC = 35;
export const LINK = 36;
export const NAPC = 37;
export const PFUS = 38;
export const WFON = 39;
export const WFOFF = 40;
export const RONT = 41;
/** The largest annotation code; 59..63 are the MIT format's pseudo-codes. */
export const ACMAX = 49;

const TABLE: [code: number, mnemonic: string, description: string][] = [
  [NOTQRS, ' ', 'Not-QRS (not a getann/putann code)'],
  [NORMAL, 'N', 'Normal beat'],
  [LBBB, 'L', 'Left bundle branch block beat'],
  [RBBB, 'R', 'Right bundle branch block beat'],
  [ABERR, 'a', 'Aberrated atrial premature beat'],
  [PVC, 'V', 'Premature ventricular contraction'],
  [FUSION, 'F', 'Fusion of ventricular and normal beat'],
  [NPC, 'J', 'Nodal (junctional) premature beat'],
  [APC, 'A', 'Atrial premature contraction'],
  [SVPB, 'S', 'Premature or ectopic supraventricular beat'],
  [VESC, 'E', 'Ventricular escape beat'],
  [NESC, 'j', 'Nodal (junctional) escape beat'],
  [PACE, '/', 'Paced beat'],
  [UNKNOWN, 'Q', 'Unclassifiable beat'],
  [NOISE, '~', 'Change in signal quality'],
  [ARFCT, '|', 'Isolated QRS-like artifact'],
  [STCH, 's', 'ST change'],
  [TCH, 'T', 'T-wave change'],
  [SYSTOLE, '*', 'Systole'],
  [DIASTOLE, 'D', 'Diastole'],
  [NOTE, '"', 'Comment annotation'],
  [MEASURE, '=', 'Measurement annotation'],
  [PWAVE, 'p', 'P-wave peak'],
  [BBB, 'B', 'Left or right bundle branch block'],
  [PACESP, '^', 'Non-conducted pacer spike'],
  [TWAVE, 't', 'T-wave peak'],
  [RHYTHM, '+', 'Rhythm change'],
  [UWAVE, 'u', 'U-wave peak'],
  [LEARN, '?', 'Learning'],
  [FLWAV, '!', 'Ventricular flutter wave'],
  [VFON, '[', 'Start of ventricular flutter/fibrillation'],
  [VFOFF, ']', 'End of ventricular flutter/fibrillation'],
  [AESC, 'e', 'Atrial escape beat'],
  [SVESC, 'n', 'Supraventricular escape beat'],
  [LINK, '@', 'Link to external data (aux contains URL)'],
  [NAPC, 'x', 'Non-conducted P-wave (blocked APB)'],
  [PFUS, 'f', 'Fusion of paced and normal beat'],
  [WFON, '(', 'Waveform onset'],
  [WFOFF, ')', 'Waveform end'],
  [RONT, 'r', 'R-on-T premature ventricular contraction'],
];

const MNEMONIC = new Map<number, string>();
const DESCRIPTION = new Map<number, string>();
const BY_MNEMONIC = new Map<string, number>();
for (const [code, m, d] of TABLE) {
  MNEMONIC.set(code, m);
  DESCRIPTION.set(code, d);
  if (code !== NOTQRS) BY_MNEMONIC.set(m, code);
}

const QRS = new Set([NORMAL, LBBB, RBBB, ABERR, PVC, FUSION, NPC, APC, SVPB, VESC, NESC, PACE, UNKNOWN, BBB, LEARN, AESC, SVESC, NAPC, PFUS, RONT]);

/** The mnemonic rdann prints for a code; unassigned codes print as "[n]", as WFDB's annstr does. */
export function mnemonic(code: number): string {
  return MNEMONIC.get(code) ?? `[${code}]`;
}

/** The code of a mnemonic ("N" → 1, "[42]" → 42), or undefined for an unknown one. */
export function codeOf(m: string): number | undefined {
  const known = BY_MNEMONIC.get(m);
  if (known !== undefined) return known;
  const bracket = /^\[(\d{1,2})\]$/.exec(m);
  if (bracket) {
    const c = Number(bracket[1]);
    if (c >= 0 && c <= ACMAX) return c;
  }
  return undefined;
}

export function description(code: number): string {
  return DESCRIPTION.get(code) ?? `Unassigned annotation code ${code}`;
}

/** WFDB's isqrs(): true for the codes that denote a QRS complex (beat). */
export function isQrs(code: number): boolean {
  return QRS.has(code);
}
