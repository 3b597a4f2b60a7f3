// What the helper worker runs for an analysis worker (parallel.ts): each task is the same call the
// analysis worker would make itself; the results' buffers are transferred back, not copied.
import { detectClaimedChunks } from '../qrs';
import { qualityOfLeads } from '../quality';
import type { HelperResults, HelperTask } from './protocol';
import { hashFiles } from './record';
import { scoreRhythm } from './rhythm-scores';

export async function runHelperTask(t: HelperTask): Promise<{ result: HelperResults[HelperTask['kind']]; transfer: ArrayBuffer[] }> {
  switch (t.kind) {
    case 'hash':
      return { result: await hashFiles(t.files), transfer: [] };
    case 'qrs': {
      const result = detectClaimedChunks(t.signals, t.fs, t.chunks, t.next);
      return { result, transfer: distinct(result.map(([, b]) => b.buffer)) };
    }
    case 'quality': {
      const result = qualityOfLeads(t.signals, t.names, t.fs);
      return { result, transfer: distinct(result.map((l) => l.flags.buffer)) };
    }
    case 'rhythm': {
      const result = await scoreRhythm(t.model, t.signal, t.fs, t.strideSec, { provider: t.provider, threads: t.threads, batch: t.batch });
      return { result, transfer: distinct([result.probs.buffer, result.startSample.buffer]) };
    }
  }
}

/** Each plain ArrayBuffer once (a buffer listed twice cannot be transferred; shared ones are not transferred). */
function distinct(buffers: ArrayBufferLike[]): ArrayBuffer[] {
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}
