// The signals an analysis reads: the leads asked for (or the first two), held as the record
// stores them (16-bit samples where the format fits) and read in physical units span by span.
import { StoredLead, allocStoredLeads, frameSpans, readStoredInto, type FrameSpan, type StoredSamples, type WfdbRecord } from '../wfdb';
import { throwIfCancelled } from '../inference';
import type { AnalysisRun } from './settings';

export interface Leads {
  signals: StoredLead[];
  /** Each analysed lead's description (or "signal i"). */
  names: string[];
}

/** The signals to analyse: `leads` (signal numbers) or the first two. */
export function pickLeads<T>(all: T[], leads: number[] | undefined, recordPath: string): T[] {
  if (!leads) return all.slice(0, 2);
  if (leads.length < 1 || leads.length > 2) throw new RangeError(`${recordPath}: give one or two signal numbers to analyse, got ${leads.length}`);
  for (const i of leads)
    if (!Number.isInteger(i) || i < 0 || i >= all.length) throw new RangeError(`${recordPath}: no signal ${i} (the record has ${all.length})`);
  return leads.map((i) => all[i]!);
}

/** Frames per read: only one part's raw samples are in memory beside the leads (2^20: 48 min at 360 Hz). */
export const READ_FRAMES = 1 << 20;

/** Whoever reads a share of the parts on another thread (the analysis helper): the indices of the spans it read. */
export interface SpanReader {
  read(recordPath: string, which: number[], out: StoredSamples[], spans: FrameSpan[], next: Int32Array): Promise<number[]>;
}

/**
 * Reads the leads to analyse, part by part. With a helper they are in shared memory (the helper
 * reads them where they are) and it reads the parts it claims from the counter this thread claims from.
 */
export async function readLeads(rec: WfdbRecord, recordPath: string, run: AnalysisRun, helper: SpanReader | null = null): Promise<Leads> {
  run.prog.report('read', 0);
  const which = pickLeads(
    rec.header.signals.map((_, i) => i),
    run.settings.leads,
    recordPath
  );
  const stored = allocStoredLeads(rec, which, helper !== null);
  const spans = frameSpans(rec.nFrames, READ_FRAMES);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const theirs = helper && spans.length > 1 ? helper.read(recordPath, which, stored, spans, next) : null;
  const done = new Uint8Array(spans.length);
  for (let i: number; (i = Atomics.add(next, 0, 1)) < spans.length; done[i] = 1) await readStoredInto(rec, which, stored, spans[i]!);
  for (const i of theirs ? await theirs.catch(() => []) : []) done[i] = 1;
  // parts the helper claimed but never read (it failed): read here
  for (let i = 0; i < spans.length; i++) if (!done[i]) await readStoredInto(rec, which, stored, spans[i]!);
  const names = (run.settings.leads ?? [0, 1]).map((i) => rec.header.signals[i]?.description || `signal ${i}`);
  run.laps.lap('readMs');
  throwIfCancelled(run.hooks.cancel);
  return { signals: stored.map((s) => new StoredLead(s)), names };
}
