// The signals an analysis reads: the leads asked for (or the record's ECG leads, at most two), held
// as the record stores them (16-bit samples where the format fits) and read in physical units span by span.
import { inMillivolts } from '../../shared/ecg-leads';
import {
  StoredLead,
  WfdbError,
  allocStoredLeads,
  defaultEcgLeads,
  frameSpans,
  headerPath,
  leadSamplesPerFrame,
  readStoredInto,
  type FrameSpan,
  type SignalSpec,
  type StoredSamples,
  type WfdbRecord,
} from '../wfdb';
import { throwIfCancelled } from '../inference/cancel';
import { deadLead } from '../quality';
import type { AnalysisPlan } from './plan';
import type { AnalysisRun } from './settings';

export interface Leads {
  signals: StoredLead[];
  /** Each analysed lead's description (or "signal i"). */
  names: string[];
}

/**
 * The signal numbers to analyse: `leads` as given, else the record's ECG leads (defaultEcgLeads: other
 * modalities left out, lead II and V1 preferred on a 12-lead record). One lead is the single-lead path.
 */
export function analysedLeads(signals: readonly SignalSpec[], leads: number[] | undefined, recordPath: string): number[] {
  if (!leads) {
    const ecg = defaultEcgLeads(signals);
    if (ecg.length === 0)
      throw new WfdbError(
        'IMPLAUSIBLE',
        headerPath(recordPath),
        `no ECG signal to analyse (its signals: ${signals.map((s, i) => signalName(signals, i)).join(', ')})`
      );
    return ecg;
  }
  if (leads.length < 1 || leads.length > 2)
    throw new WfdbError('BAD_RANGE', headerPath(recordPath), `give one or two signal numbers to analyse, got ${leads.length}`);
  for (const i of leads)
    if (!Number.isInteger(i) || i < 0 || i >= signals.length)
      throw new WfdbError('BAD_RANGE', headerPath(recordPath), `no signal ${i} (the record has ${signals.length})`);
  return leads;
}

/** The description of signal `i` of a record (or "signal i"). */
export function signalName(signals: readonly SignalSpec[], i: number): string {
  return signals[i]?.description || `signal ${i}`;
}

/**
 * The leads read at one rate, the frame rate × `samplesPerFrame`: those holding the most samples per
 * frame (a multi-frequency record's ECG, at its own rate); a lead sampled slower is left out, and why
 * (every stage reads its leads at one rate, and beat positions count its samples).
 */
export function leadsAtOneRate(
  signals: readonly SignalSpec[],
  leads: readonly number[],
  fs: number
): { leads: number[]; samplesPerFrame: number; leftOut: { signal: number; name: string; reason: string }[] } {
  const samplesPerFrame = leadSamplesPerFrame(signals, leads);
  const kept = leads.filter((i) => signals[i]!.samplesPerFrame === samplesPerFrame);
  const names = kept.map((i) => signalName(signals, i)).join(', ');
  const leftOut = leads
    .filter((i) => !kept.includes(i))
    .map((i) => ({
      signal: i,
      name: signalName(signals, i),
      reason: `sampled at ${fs * signals[i]!.samplesPerFrame} Hz, ${names} at ${fs * samplesPerFrame} Hz: the leads are analysed at one rate`,
    }));
  return { leads: kept, samplesPerFrame, leftOut };
}

/**
 * The leads an analysis reads by default, whole, in mV, at their rate `fs` (the frame rate × their
 * samples per frame), less a lead flat for most of the record (src/main/quality/dead-lead.ts): what the
 * fine-tune job and the datasets read of a record.
 */
export async function readWholeLeads(
  rec: WfdbRecord,
  recordPath: string
): Promise<{ leads: number[]; signals: Float32Array[]; fs: number; samplesPerFrame: number }> {
  const { leads: ecg, samplesPerFrame } = leadsAtOneRate(rec.header.signals, analysedLeads(rec.header.signals, undefined, recordPath), rec.fs);
  const all = inMillivolts(await rec.readPhysical(0, rec.nFrames), rec.header.signals);
  const fs = rec.fs * samplesPerFrame;
  const dead = deadLead(
    ecg.map((i) => all[i]!),
    fs
  );
  const leads = ecg.filter((_, j) => j !== dead?.index);
  return { leads, signals: leads.map((i) => all[i]!), fs, samplesPerFrame };
}

/** Frames per read: only one part's raw samples are in memory beside the leads (2^20: 48 min at 360 Hz). */
export const READ_FRAMES = 1 << 20;

/** Whoever reads a share of the parts on another thread (the analysis helper): the indices of the spans it read. */
export interface SpanReader {
  read(recordPath: string, which: readonly number[], out: StoredSamples[], spans: FrameSpan[], next: Int32Array): Promise<number[]>;
}

/**
 * Reads the leads to analyse, part by part. With a helper they are in shared memory (the helper
 * reads them where they are) and it reads the parts it claims from the counter this thread claims from.
 */
export async function readLeads(
  rec: WfdbRecord,
  recordPath: string,
  plan: Pick<AnalysisPlan, 'leads' | 'leadNames' | 'unitsPerMv'>,
  run: AnalysisRun,
  helper: SpanReader | null = null
): Promise<Leads> {
  run.prog.report('read', 0);
  const which = plan.leads;
  const stored = allocStoredLeads(rec, which, helper !== null);
  // every threshold (signal quality, pauses, the rule fallback) is in millivolts: a lead stored in µV is read in mV
  stored.forEach((s, j) => {
    const k = plan.unitsPerMv[j]!;
    if (k !== 1) s.adcGain = (s.adcGain || 200) * k; // gain 0 reads as 200 per unit (WFDB), as everywhere else
  });
  const spans = frameSpans(rec.nFrames, READ_FRAMES);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const theirs = helper && spans.length > 1 ? helper.read(recordPath, which, stored, spans, next) : null;
  const done = new Uint8Array(spans.length);
  for (let i: number; (i = Atomics.add(next, 0, 1)) < spans.length; done[i] = 1) await readStoredInto(rec, which, stored, spans[i]!);
  for (const i of theirs ? await theirs.catch(() => []) : []) done[i] = 1;
  // parts the helper claimed but never read (it failed): read here
  for (let i = 0; i < spans.length; i++) if (!done[i]) await readStoredInto(rec, which, stored, spans[i]!);
  run.laps.lap('readMs');
  throwIfCancelled(run.hooks.cancel);
  return { signals: stored.map((s) => new StoredLead(s)), names: [...plan.leadNames] };
}
