// What the helper worker runs for an analysis worker (parallel.ts): each task is the same call the
// analysis worker would make itself; the results' buffers are transferred back, not copied.
import { detectClaimedChunks } from '../qrs';
import { openAvailable } from '../review/available';
import { readStoredInto } from '../wfdb';
import { qualityOfLeads } from '../quality';
import type { HelperResults, HelperTask } from './protocol';
import { hashFiles } from './record';
import { scoreRhythm } from './rhythm-scores';
import { fromWire } from './wire-lead';
import { conditionChunks } from './conditioned-chunks';

export async function runHelperTask(t: HelperTask): Promise<{ result: HelperResults[HelperTask['kind']]; transfer: ArrayBuffer[] }> {
  switch (t.kind) {
    case 'read':
      return { result: await readClaimedSpans(t), transfer: [] };
    case 'hash':
      return { result: await hashFiles(t.files), transfer: [] };
    case 'qrs': {
      const result = detectClaimedChunks(t.signals.map(fromWire), t.fs, t.chunks, t.next);
      return { result, transfer: distinct(result.map(([, b]) => b.buffer)) };
    }
    case 'quality': {
      const result = qualityOfLeads(t.signals.map(fromWire), t.names, t.fs);
      return { result, transfer: distinct(result.map((l) => l.flags.buffer)) };
    }
    case 'condition':
      return { result: conditionChunks(t.ring, t.signals.map(fromWire), t.fs), transfer: [] };
    case 'rhythm': {
      const result = await scoreRhythm(t.model, fromWire(t.signal), t.fs, t.strideSec, { provider: t.provider, threads: t.threads, batch: t.batch });
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
