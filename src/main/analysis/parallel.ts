// The second core: a helper analysis worker takes the parts of a long record's analysis that the
// beat windows do not wait on: a share of the record's parts to read, its content hash, a share of the QRS detector's chunks (both threads claim chunks from
// one shared counter), the leads' per-second signal quality, and the rhythm model over lead 0
// (its 10-s windows are cut and scored there and never cross back), while this worker cuts and
// scores the beat windows; and, taking turns with those two, the leads' conditioning for the beat
// windows, chunk by chunk ahead of this worker (conditioned-chunks.ts). The leads are in shared memory, so the helper reads them where they are.
// Each result is the output of the same call made here; a task the helper cannot do (it failed to
// start, died, or threw) rejects, and the caller computes it on this thread instead.
import type { Worker } from 'node:worker_threads';
import type { ProviderPreference, ResolvedModel } from '../inference';
import type { QrsChunk } from '../qrs';
import type { FrameSpan, StoredSamples } from '../wfdb';
import type { LeadInput } from '../dsp/lead';
import type { LeadFlags } from '../quality';
import type { HelperMessage, HelperReply, HelperResults, HelperTask } from './protocol';
import type { RhythmScores } from './rhythm-scores';
import { createWorker } from './spawn';
import { endWorker } from '../jobs/worker-loaded';
import { toWire, wireArray, type WireLead } from './wire-lead';
import type { ChunkRing } from './conditioned-chunks';

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
  read(recordPath: string, which: number[], out: StoredSamples[], spans: FrameSpan[], next: Int32Array): Promise<number[]> {
    return this.ask({ kind: 'read', recordPath, which, out, spans, next }) as Promise<number[]>;
  }

  /** SHA-256 of the files (record.ts hashFiles), while this thread reads the record. */
  hash(files: string[]): Promise<string> {
    return this.ask({ kind: 'hash', files }) as Promise<string>;
  }

  /** Detects the chunks it claims from `next` (shared with this thread's own claims). */
  detect(signals: readonly LeadInput[], fs: number, chunks: QrsChunk[], next: Int32Array): Promise<HelperResults['qrs']> {
    return this.askWith(signals, (w) => ({ kind: 'qrs', signals: w, fs, chunks, next })) as Promise<HelperResults['qrs']>;
  }

  quality(signals: readonly LeadInput[], names: string[], fs: number): Promise<LeadFlags[]> {
    return this.askWith(signals, (w) => ({ kind: 'quality', signals: w, names, fs })) as Promise<LeadFlags[]>;
  }

  rhythm(signal: LeadInput, fs: number, t: RhythmTask): Promise<RhythmScores> {
    return this.askWith([signal], ([w]) => ({ kind: 'rhythm', signal: w!, fs, ...t })) as Promise<RhythmScores>;
  }

  /** Conditions the chunks of the leads it claims in `ring` (conditioned-chunks.ts), taking turns with its other tasks. */
  condition(signals: readonly LeadInput[], fs: number, ring: ChunkRing): Promise<number> {
    return this.askWith(signals, (w) => ({ kind: 'condition', signals: w, fs, ring })) as Promise<number>;
  }

  /** Ends the helper (its unfinished tasks reject); idempotent. */
  stop(): void {
    const w = this.worker;
    this.worker = null;
    this.fail(new Error('analysis helper stopped'));
    if (w) void endWorker(w); // once loaded: a cache hit can stop it while it is still loading
  }

  /** A task on leads, sent in their wire form (a lead of another kind: computed here). */
  private askWith(leads: readonly LeadInput[], task: (w: WireLead[]) => HelperTask): Promise<HelperResults[HelperTask['kind']]> {
    const w = leads.map(toWire);
    if (w.some((x) => x === null)) return this.refuse(new Error('the leads cannot be sent to the helper'));
    return this.ask(task(w as WireLead[]));
  }

  private refuse(e: Error): Promise<never> {
    const p = Promise.reject(e);
    p.catch(() => undefined); // the caller handles it
    return p;
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
  return sharedArraysOf(t).every((a) => a.buffer instanceof SharedArrayBuffer);
}

/** The arrays a task hands the helper, which must be in shared memory (not copied). */
function sharedArraysOf(t: HelperTask): ArrayBufferView[] {
  switch (t.kind) {
    case 'hash':
      return [];
    case 'read':
      return [...t.out.map(wireArray), t.next];
    case 'rhythm':
      return [wireArray(t.signal)];
    case 'quality':
      return t.signals.map(wireArray);
    case 'qrs':
      return [...t.signals.map(wireArray), t.next];
    case 'condition':
      return [...t.signals.map(wireArray), t.ring.control, t.ring.slots, t.ring.spans];
  }
}
