// The second core: a helper analysis worker takes the parts of a long record's analysis that the
// beat windows do not wait on: a share of the record's parts to read, its content hash, a share of the QRS detector's chunks (both threads claim chunks from
// one shared counter), the leads' per-second signal quality, and the rhythm model over lead 0
// (its 10-s windows are cut and scored there and never cross back), while this worker cuts and
// scores the beat windows. The leads are in shared memory, so the helper reads them where they are.
// Each result is the output of the same call made here; a task the helper cannot do (it failed to
// start, died, or threw) rejects, and the caller computes it on this thread instead.
import type { Worker } from 'node:worker_threads';
import type { ProviderPreference, ResolvedModel } from '../inference';
import type { QrsChunk } from '../qrs';
import type { FrameSpan } from '../wfdb';
import type { LeadFlags } from '../quality';
import type { HelperMessage, HelperReply, HelperResults, HelperTask } from './protocol';
import type { RhythmScores } from './rhythm-scores';
import { createWorker } from './spawn';

interface Pending {
  resolve: (r: HelperResults[HelperTask['kind']]) => void;
  reject: (e: Error) => void;
}

export interface RhythmTask {
  model: ResolvedModel;
  provider: ProviderPreference;
  strideSec: number;
  threads?: number;
  batch?: number;
}

export class AnalysisHelper {
  private worker: Worker | null = null;
  private gone: Error | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  /** Starts the helper thread now, so that its start-up overlaps whatever the caller does next. */
  constructor() {
    try {
      const w = (this.worker = createWorker());
      w.on('message', (r: HelperReply) => {
        const p = this.pending.get(r.id);
        this.pending.delete(r.id);
        if (r.type === 'helper') p?.resolve(r.result);
        else p?.reject(new Error(r.message));
      });
      w.once('error', (e) => this.fail(e));
      w.once('exit', (code) => this.fail(new Error(`analysis helper exited (code ${code})`)));
    } catch (e) {
      this.fail(e as Error);
    }
  }

  /** Reads the spans it claims from `next` (shared with this thread's own claims) into `out` (shared). */
  read(recordPath: string, which: number[], out: Float32Array[], spans: FrameSpan[], next: Int32Array): Promise<number[]> {
    return this.ask({ kind: 'read', recordPath, which, out, spans, next }) as Promise<number[]>;
  }

  /** SHA-256 of the files (record.ts hashFiles), while this thread reads the record. */
  hash(files: string[]): Promise<string> {
    return this.ask({ kind: 'hash', files }) as Promise<string>;
  }

  /** Detects the chunks it claims from `next` (shared with this thread's own claims). */
  detect(signals: Float32Array[], fs: number, chunks: QrsChunk[], next: Int32Array): Promise<HelperResults['qrs']> {
    return this.ask({ kind: 'qrs', signals, fs, chunks, next }) as Promise<HelperResults['qrs']>;
  }

  quality(signals: Float32Array[], names: string[], fs: number): Promise<LeadFlags[]> {
    return this.ask({ kind: 'quality', signals, names, fs }) as Promise<LeadFlags[]>;
  }

  rhythm(signal: Float32Array, fs: number, t: RhythmTask): Promise<RhythmScores> {
    return this.ask({ kind: 'rhythm', signal, fs, ...t }) as Promise<RhythmScores>;
  }

  /** Ends the helper (its unfinished tasks reject); idempotent. */
  stop(): void {
    const w = this.worker;
    this.worker = null;
    this.fail(new Error('analysis helper stopped'));
    if (w) void w.terminate();
  }

  private ask(task: HelperTask): Promise<HelperResults[HelperTask['kind']]> {
    const p = new Promise<HelperResults[HelperTask['kind']]>((resolve, reject) => {
      // a lead outside shared memory would be copied whole into the helper: computed here instead
      if (!inSharedMemory(task)) return reject(new Error('the leads are not in shared memory'));
      if (this.gone || !this.worker) return reject(this.gone ?? new Error('analysis helper stopped'));
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      const msg: HelperMessage = { type: 'helper', id, task };
      this.worker.postMessage(msg);
    });
    p.catch(() => undefined); // the caller handles it (or stopped before asking)
    return p;
  }

  private fail(e: Error): void {
    this.gone ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}

function inSharedMemory(t: HelperTask): boolean {
  const arrays =
    t.kind === 'hash' ? [] : t.kind === 'read' ? [...t.out, t.next] : t.kind === 'rhythm' ? [t.signal] : t.kind === 'qrs' ? [...t.signals, t.next] : t.signals;
  return arrays.every((a) => a.buffer instanceof SharedArrayBuffer);
}
