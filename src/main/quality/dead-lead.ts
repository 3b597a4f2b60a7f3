// A lead that is flat for most of a record (an electrode off for hours, a channel never connected):
// left out of a two-lead analysis, which then reads the other lead alone (the single-lead path),
// instead of flagging every second unreadable and feeding the beat model a flat lead.
import { asLead, type LeadInput } from '../dsp/lead';
import { INVALID, StoredLead, type RawSignal } from '../wfdb';
import { DEFAULT_QUALITY, isFlatSpan } from './sqi';

/** A lead flat on at least this share of the record's seconds is left out when the other is not. */
export const DEAD_LEAD_SHARE = 0.5;
/** Seconds read at a time. */
const CHUNK_SEC = 600;

/** Share of the lead's whole seconds that are flat as the signal quality flags them: peak-to-peak below flatMv, or more than half invalid. */
export function flatShare(lead: LeadInput, fs: number, flatMv = DEFAULT_QUALITY.flatMv): number {
  const per = Math.round(fs);
  if (lead instanceof StoredLead) return flatShareStored(lead, per, flatMv);
  const l = asLead(lead);
  const nSec = Math.floor(l.length / per);
  if (nSec === 0) return 0;
  let flat = 0;
  for (let s0 = 0; s0 < nSec; s0 += CHUNK_SEC) {
    const s1 = Math.min(nSec, s0 + CHUNK_SEC);
    const x = l.span(s0 * per, s1 * per);
    for (let s = 0; s < s1 - s0; s++) if (isFlatSpan(x, s * per, (s + 1) * per, flatMv)) flat++;
  }
  return flat / nSec;
}

/** flatShare on the stored integers (no conversion): peak-to-peak in ADC units against flatMv × gain. */
function flatShareStored(lead: StoredLead, per: number, flatMv: number): number {
  const x = lead.stored.samples;
  const nSec = Math.floor(x.length / per);
  if (nSec === 0) return 0;
  const minRange = flatMv * Math.abs(lead.stored.adcGain || 200);
  let flat = 0;
  if (x instanceof Int16Array) {
    for (let s = 0; s < nSec; s++) if (flatSecond16(x, s * per, (s + 1) * per, minRange)) flat++;
  } else for (let s = 0; s < nSec; s++) if (flatOrInvalid(x, s * per, (s + 1) * per, minRange)) flat++;
  return flat / nSec;
}

/**
 * flatOrInvalid for 16-bit samples, ~2× faster: INVALID is the lowest value an Int16Array holds, so
 * a second whose lowest value is not INVALID has none, and its range alone decides.
 */
function flatSecond16(x: Int16Array, a: number, b: number, minRange: number): boolean {
  let mn = x[a]!;
  let mx = mn;
  for (let i = a + 1; i < b; i++) {
    const v = x[i]!;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  return mn === INVALID ? flatOrInvalid(x, a, b, minRange) : !(mx - mn >= minRange);
}

/** Peak-to-peak of x[a..b)'s valid samples below minRange, or more than half of them invalid. */
function flatOrInvalid(x: RawSignal, a: number, b: number, minRange: number): boolean {
  let mn = Infinity;
  let mx = -Infinity;
  let bad = 0;
  for (let i = a; i < b; i++) {
    const v = x[i]!;
    if (v === INVALID) bad++;
    else {
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
  }
  return bad > (b - a) / 2 || !(mx - mn >= minRange);
}

/**
 * Share of the lead's whole seconds that are mostly invalid samples (WFDB's invalid code, NaN once
 * read): no signal was recorded there, which a flat line (an electrode off) is not.
 */
export function missingShare(lead: LeadInput, fs: number): number {
  const per = Math.round(fs);
  const stored = lead instanceof StoredLead ? lead.stored.samples : null;
  const l = stored ? null : asLead(lead);
  const bad = stored ? (v: number) => v === INVALID : Number.isNaN;
  const nSec = Math.floor((stored ?? l!).length / per);
  if (nSec === 0) return 0;
  let missing = 0;
  for (let s0 = 0; s0 < nSec; s0 += CHUNK_SEC) {
    const s1 = Math.min(nSec, s0 + CHUNK_SEC);
    const x = stored ? stored.subarray(s0 * per, s1 * per) : l!.span(s0 * per, s1 * per);
    for (let s = 0; s < s1 - s0; s++) {
      let n = 0;
      for (let i = s * per; i < (s + 1) * per; i++) if (bad(x[i]!)) n++;
      if (n > per / 2) missing++;
    }
  }
  return missing / nSec;
}

/** Of two leads, the one to leave out (its index and flat share), or null: flat on ≥ DEAD_LEAD_SHARE of the record while the other is not. */
export function deadLead(leads: readonly LeadInput[], fs: number): { index: number; flatShare: number } | null {
  if (leads.length !== 2) return null;
  const share = leads.map((l) => flatShare(l, fs));
  const dead = share.map((f) => f >= DEAD_LEAD_SHARE);
  if (dead[0] === dead[1]) return null;
  const index = dead[0] ? 0 : 1;
  return { index, flatShare: share[index]! };
}
