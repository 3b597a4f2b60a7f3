// The signals an analysis reads: the leads asked for (or the first two), in physical units.
import type { WfdbRecord } from '../wfdb';
import { throwIfCancelled } from '../inference';
import type { AnalysisRun } from './settings';

export interface Leads {
  signals: Float32Array[];
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

/** Reads the leads to analyse; `shareFirst`: in shared memory, for a helper worker to read the first without a copy. */
export async function readLeads(rec: WfdbRecord, recordPath: string, run: AnalysisRun, shareFirst = false): Promise<Leads> {
  run.prog.report('read', 0);
  const all = await rec.readPhysical(0, rec.nFrames, { shared: shareFirst });
  const signals = pickLeads(all, run.settings.leads, recordPath);
  const names = (run.settings.leads ?? [0, 1]).map((i) => rec.header.signals[i]?.description || `signal ${i}`);
  all.length = 0;
  run.laps.lap('readMs');
  throwIfCancelled(run.hooks.cancel);
  return { signals, names };
}
