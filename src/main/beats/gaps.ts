// RR intervals across a stretch where every lead is a flat line: the electrode off or the recorder
// off the patient (a handheld strip with the finger lifted, a Holter's lead-off minutes). Such an
// interval measures how long no signal was recorded, not the rhythm: taken as an RR it made the
// beats before and after look premature or late (a normal strip with 8 s flat in the middle came
// out with three PVCs and "VT"). The RR features leave these intervals out (./rr.ts).
import type { Lead } from '../dsp/lead';
import { isFlatSpan } from '../quality/sqi';

/** Whole seconds in a row, flat on every lead, that make an interval no RR. */
export const LEAD_OFF_RUN_SEC = 2;

/**
 * Per interval (index i: the interval ending at beat i; index 0 unused): 1 when LEAD_OFF_RUN_SEC
 * consecutive whole seconds of the record's second grid ([s·per, (s+1)·per), per = round(fs), as the
 * signal quality counts seconds) lie between beats i − 1 and i and are flat on every lead (the
 * signal quality's flat line: peak-to-peak under 0.05 mV, or more than half of it invalid).
 * One flat second is not enough: a clean pause before an escape beat can be that flat (MIT-BIH 201 at
 * 128 Hz: 0.034 and 0.049 mV over one second of a 3.8-s pause, a real RR).
 */
export function intervalsOverLeadOff(leads: readonly Lead[], fs: number, rPeaks: Int32Array): Uint8Array {
  const n = rPeaks.length;
  const out = new Uint8Array(n);
  const per = Math.round(fs);
  if (leads.length === 0 || per < 1) return out;
  const length = leads[0]!.length;
  for (let i = 1; i < n; i++) {
    const first = Math.max(0, Math.ceil((rPeaks[i - 1]! + 1) / per)); // seconds wholly after beat i - 1
    const last = Math.floor(Math.min(rPeaks[i]!, length) / per) - 1; // ... and wholly before beat i
    let run = 0;
    for (let s = first; s <= last && !out[i]; s++) {
      run = leads.every((x) => isFlatSpan(x.span(s * per, (s + 1) * per), 0, per)) ? run + 1 : 0;
      if (run >= LEAD_OFF_RUN_SEC) out[i] = 1;
    }
  }
  return out;
}
