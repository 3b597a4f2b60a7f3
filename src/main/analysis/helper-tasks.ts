// What the helper worker runs for an analysis worker (parallel.ts): each task is the same call the
// analysis worker would make itself; the results' buffers are transferred back, not copied.
import { detectClaimedChunks } from '../qrs';
import { openAvailable } from '../review/available';
import { readStoredInto } from '../wfdb';
import { qualityOfLeadsSteps, type LeadFlags } from '../quality';
import type { Lead } from '../dsp/lead';
import { setImmediate as turn } from 'node:timers/promises';
import type { HelperResults, HelperTask } from './protocol';
import { hashFiles } from './record';
import { scoreRhythm } from './rhythm-scores';
import { fromWire } from './wire-lead';
import { conditionChunks } from './conditioned-chunks';
import { otherTasksDone } from './helper-pace';

/** Runs task t; `progress` hears the share of it done (quality and rhythm, which the chunks pace themselves on). */
export async function runHelperTask(
  t: HelperTask,
  progress: (share: number) => void = () => {}
): Promise<{ result: HelperResults[HelperTask['kind']]; transfer: ArrayBuffer[] }> {
  switch (t.kind) {
    case 'read':
      return { result: await readClaimedSpans(t), transfer: [] };
    case 'hash':
      return { result: await hashFiles(t.files), transfer: [] };
    case 'qrs': {
      const result = [...detectClaimedChunks(t.signals.map(fromWire), t.fs, t.chunks, t.next)];
      return { result, transfer: distinct(result.map(([, b]) => b.buffer)) };
    }
    case 'quality': {
      const result = await qualityTakingTurns(t.signals.map(fromWire), t.names, t.fs, progress);
      return { result, transfer: distinct(result.map((l) => l.flags.buffer)) };
    }
    case 'condition':
      return { result: await conditionChunks(t.ring, t.signals.map(fromWire), t.fs, otherTasksDone), transfer: [] };
    case 'rhythm': {
      const result = await scoreRhythm(t.model, fromWire(t.signal), t.fs, t.strideSec, {
        provider: t.provider,
        threads: t.threads,
        batch: t.batch,
        onProgress: progress,
      });
      return { result, transfer: distinct([result.probs.buffer, result.startSample.buffer]) };
    }
  }
}

/** Each plain ArrayBuffer once (a buffer listed twice cannot be transferred; shared ones are not transferred). */
function distinct(buffers: ArrayBufferLike[]): ArrayBuffer[] {
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

/** Opens the record as the analysis did and reads the spans it claims into the shared arrays. */
async function readClaimedSpans(t: Extract<HelperTask, { kind: 'read' }>): Promise<number[]> {
  const rec = await openAvailable(t.recordPath);
  try {
    const done: number[] = [];
    for (let i: number; (i = Atomics.add(t.next, 0, 1)) < t.spans.length; done.push(i)) await readStoredInto(rec, t.which, t.out, t.spans[i]!);
    return done;
  } finally {
    await rec.close();
  }
}

/** qualityOfLeads, letting the thread's other tasks (the beat windows' chunks) take turns between its spans. */
async function qualityTakingTurns(leads: readonly Lead[], names: readonly string[], fs: number, progress: (share: number) => void): Promise<LeadFlags[]> {
  const steps = qualityOfLeadsSteps(leads, names, fs);
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value;
    progress(r.value);
    await turn();
  }
}
