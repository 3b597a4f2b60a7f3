import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/shared/analysis';
import { analyzeRecord } from '../../src/main/analysis';
import { AnalysisHelper } from '../../src/main/analysis/parallel';
import { hashFiles } from '../../src/main/analysis/record';
import { scoreRhythm } from '../../src/main/analysis/rhythm-scores';
import { detectQrsInChunks, joinChunkBeats, qrsChunks } from '../../src/main/qrs';
import { qualityOfLeads } from '../../src/main/quality';
import { loadCatalog } from '../../src/main/inference';
import { synthesize, writeSynthRecord } from '../../src/main/synth';
import { StoredLead, allocStoredLeads, frameSpans, openRecord } from '../../src/main/wfdb';
import { writeTinyModels } from './inference-tiny-model';
import { beatWindowStream, conditionedSpan, type ConditionedSource } from '../../src/main/beats/stream';
import { CHUNK, RingSource, SLOTS, chunkRing, conditionChunks, stateAt } from '../../src/main/analysis/conditioned-chunks';
import { ArrayLead } from '../../src/main/dsp/lead';
import { expectTask, otherTasksDone, taskProgress } from '../../src/main/analysis/helper-pace';
import { isBeatCode } from '../../src/main/evaluation/labels';

function shared(x: Float32Array): Float32Array {
  const s = new Float32Array(new SharedArrayBuffer(x.byteLength));
  s.set(x);
  return s;
}

const dir = mkdtempSync(join(tmpdir(), 'hbs-parallel-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the analysis helper worker', () => {
  // 12 min of a synthetic two-lead ECG, in shared memory as an analysis reads it for the helper
  const fs = 360;
  const syn = synthesize({ scenario: 'demo', minutes: 12, seed: 5, fs });
  const leads = syn.signals.slice(0, 2).map((x) => shared(Float32Array.from(x, (v) => v / 200)));

  it('detects the chunks it claims; joined with this thread’s, the beats of a one-thread pass', async () => {
    const helper = new AnalysisHelper();
    try {
      const chunks = qrsChunks(leads[0]!.length, fs, { chunkSeconds: 60 });
      const next = new Int32Array(new SharedArrayBuffer(4));
      const parts: Int32Array[] = [];
      for (const [i, b] of await helper.detect(leads, fs, chunks, next)) parts[i] = b; // the helper alone claims every chunk
      expect(parts.filter(Boolean).length).toBe(chunks.length);
      const one = await detectQrsInChunks((a, b) => leads.map((s) => s.subarray(a, b)), leads[0]!.length, fs, {}, { chunkSeconds: 60 });
      expect(Array.from(joinChunkBeats(parts, fs))).toEqual(Array.from(one));
      expect(next[0]).toBeGreaterThanOrEqual(chunks.length);
    } finally {
      helper.stop();
    }
  }, 60_000);

  it('reads the spans it claims, and gives the signal quality, the rhythm scores and the hash this thread computes', async () => {
    const modelsDir = join(dir, 'models-h');
    mkdirSync(modelsDir);
    await writeTinyModels(modelsDir);
    const model = (await loadCatalog(modelsDir)).models.rhythm!;
    const record = join(dir, 'rec-h', 'r');
    await writeSynthRecord(record, { scenario: 'demo', minutes: 1, seed: 2 });
    const helper = new AnalysisHelper();
    try {
      const flags = await helper.quality(leads, ['a', 'b'], fs);
      expect(flags).toEqual(qualityOfLeads(leads, ['a', 'b'], fs));
      const o = { model, provider: 'cpu' as const, strideSec: 10, threads: 1 };
      const got = await helper.rhythm(leads[0]!, fs, o);
      const want = await scoreRhythm(model, leads[0]!, fs, 10, { provider: 'cpu', threads: 1 });
      expect(got.probs).toEqual(want.probs);
      expect(Array.from(got.startSample)).toEqual(Array.from(want.startSample));
      expect(got.use).toEqual(want.use);
      const files = [`${record}.hea`, `${record}.dat`];
      expect(await helper.hash(files)).toBe(await hashFiles(files));
      const rec = await openRecord(record);
      try {
        const out = allocStoredLeads(rec, [1, 0], true);
        const spans = frameSpans(rec.nFrames, 1000);
        const next = new Int32Array(new SharedArrayBuffer(4));
        expect((await helper.read(record, [1, 0], out, spans, next)).sort((a, b) => a - b)).toEqual(spans.map((_, i) => i)); // alone: every span
        const want = await rec.readPhysical(0, rec.nFrames);
        expect(out.map((s) => new StoredLead(s).span(0, rec.nFrames))).toEqual([want[1], want[0]]);
      } finally {
        await rec.close();
      }
    } finally {
      helper.stop();
    }
  }, 60_000);

  it('refuses leads outside shared memory (they would be copied), and rejects once stopped or when a task throws', async () => {
    const helper = new AnalysisHelper();
    await expect(helper.quality([new Float32Array(3600)], ['a'], fs)).rejects.toThrow(/shared memory/);
    await expect(helper.hash([join(dir, 'no-such-file')])).rejects.toThrow(/ENOENT/);
    helper.stop();
    helper.stop();
    await expect(helper.quality(leads, ['a', 'b'], fs)).rejects.toThrow(/stopped/);
  }, 60_000);
});

describe('analysis with a helper worker', () => {
  it('gives the same Analysis as with everything on one thread (reference beats, detected beats)', async () => {
    // 11 minutes: three 300-s chunks of beat windows (the ring of lead 1's chunks set up; on a record
    // this short the helper is rarely free in time to condition one: the tests below make it)
    const record = join(dir, 'rec', 'demo11');
    await writeSynthRecord(record, { scenario: 'demo', minutes: 11, seed: 3 });
    const modelsDir = join(dir, 'models');
    mkdirSync(modelsDir);
    await writeTinyModels(modelsDir);
    const noTimings = (a: Analysis) => ({ ...a, timingsMs: {} });
    for (const beats of ['reference', 'detector'] as const) {
      const base = { modelsDir, beats, threads: 1, cacheDir: null };
      const one = await analyzeRecord(record, { ...base, parallel: false });
      const two = await analyzeRecord(record, { ...base, parallel: true });
      expect(two.models.find((m) => m.task === 'rhythm')!.provider).toBe('cpu'); // the rhythm model ran
      expect(noTimings(two)).toEqual(noTimings(one));
    }
  }, 90_000);
});

describe('beat-window chunks conditioned by the helper worker', () => {
  const fs = 360;
  const syn = synthesize({ scenario: 'demo', minutes: 12, seed: 8, fs });
  const leads = syn.signals.slice(0, 2).map((x) => shared(Float32Array.from(x, (v) => v / 200)));
  const rPeaks = Int32Array.from(syn.annotations.filter((a) => isBeatCode(a.code)).map((a) => a.sample));
  const opts = { chunkSec: 60 }; // 12 chunks
  /** SHA-256 of a group's windows (a digest: a diff of millions of floats would not print). */
  const digest = (w: Float32Array) =>
    createHash('sha256')
      .update(new Uint8Array(w.buffer, w.byteOffset, w.byteLength))
      .digest('hex');
  const windowsOf = (source?: ConditionedSource, of = leads) => [...beatWindowStream(of, fs, rPeaks, opts).groups(source)].map((g) => digest(g.windows));
  const oneThread = windowsOf();

  for (const n of [2, 1]) {
    it(`gives the windows of a one-thread pass; the helper conditions chunks ahead of the cut (${n} lead${n > 1 ? 's' : ''})`, async () => {
      const of = leads.slice(0, n);
      const ring = chunkRing(beatWindowStream(of, fs, rPeaks, opts).chunks, n);
      const helper = new AnalysisHelper();
      try {
        const made = helper.condition(of, fs, ring);
        // the helper gets to chunk 0 first: wait until it is ready (never longer than the test's limit)
        while (Atomics.load(ring.control, stateAt(ring, 0, 0)) !== CHUNK.READY) await new Promise((r) => setTimeout(r, 10));
        const source = new RingSource(ring);
        const got = windowsOf(source, of);
        source.stop();
        expect(got).toEqual(windowsOf(undefined, of));
        expect(await made).toBeGreaterThanOrEqual(SLOTS * n);
      } finally {
        helper.stop();
      }
    }, 60_000);
  }

  it('gives every chunk from the helper when this thread waits for it (slots reused, a chunk without beats)', async () => {
    // no beats in minute 5: that chunk holds none and is released without being conditioned
    const gapped = Int32Array.from(syn.annotations.filter((a) => isBeatCode(a.code) && (a.sample < 300 * fs || a.sample >= 360 * fs)).map((a) => a.sample));
    const hashes = (source?: ConditionedSource) => [...beatWindowStream(leads, fs, gapped, opts).groups(source)].map((g) => digest(g.windows));
    const chunks = beatWindowStream(leads, fs, gapped, opts).chunks;
    expect(chunks.filter((c) => c.a === c.z).length).toBe(1);
    const ring = chunkRing(chunks, 2);
    const helper = new AnalysisHelper();
    try {
      const made = helper.condition(leads, fs, ring);
      const fromRing = new RingSource(ring);
      // wait (at most 5 s a lead's chunk) until the helper has taken it, so each comes from a slot
      const waiting: ConditionedSource = {
        take(l, c) {
          const at = stateAt(ring, c, l);
          for (let t = 0; t < 50 && Atomics.load(ring.control, at) === CHUNK.FREE; t++) Atomics.wait(ring.control, at, CHUNK.FREE, 100);
          return fromRing.take(l, c);
        },
        release: (c) => fromRing.release(c),
      };
      const got = hashes(waiting);
      fromRing.stop();
      expect(got).toEqual(hashes());
      expect(await made).toBe(2 * chunks.filter((c) => c.a !== c.z).length);
    } finally {
      helper.stop();
    }
  }, 60_000);

  it('keeps pace with its other tasks: while they are behind the chunks read, it leaves the chunks to this thread', async () => {
    const chunks = beatWindowStream(leads, fs, rPeaks, opts).chunks;
    const asLeads = leads.map((x) => new ArrayLead(x));
    /** Reads every chunk as the beat stream does, with a turn for the helper (here, on this thread) after each. */
    const readAll = async (othersDone: () => number, onRead: (c: number) => void = () => {}) => {
      const ring = chunkRing(chunks, 2);
      const made = conditionChunks(ring, asLeads, fs, othersDone);
      const source = new RingSource(ring);
      let here = 0;
      for (const [c, { a, z }] of chunks.entries()) {
        for (let l = 0; l < 2; l++) {
          const own = conditionedSpan(asLeads[l]!, fs, a, z);
          const got = source.take(l, c);
          if (got) expect(got).toEqual(own);
          else here++;
        }
        source.release(c);
        onRead(c);
        await new Promise((r) => setTimeout(r, 20));
      }
      source.stop();
      return { made: await made, here };
    };
    expect(await readAll(() => 1)).toEqual({ made: 2 * chunks.length, here: 0 }); // nothing else to do: every chunk ahead
    expect(await readAll(() => 0)).toEqual({ made: 2 * SLOTS, here: 2 * (chunks.length - SLOTS) }); // the ring's first fill, before any chunk is read
    // its other tasks catching up half-way: it conditions ahead again
    let share = 0;
    const { made, here } = await readAll(
      () => share,
      (c) => (share = c >= 5 ? 1 : 0)
    );
    expect(made + here).toBe(2 * chunks.length);
    expect(made).toBeGreaterThan(2 * SLOTS);
    expect(here).toBeGreaterThan(0);
  }, 60_000);

  it('stops the helper when told, chunks left; conditions here a chunk the helper claimed and never finished', async () => {
    const ring = chunkRing(beatWindowStream(leads, fs, rPeaks, opts).chunks, 2);
    const helper = new AnalysisHelper();
    try {
      const made = helper.condition(leads, fs, ring);
      // its last before the ring is full: lead 0 of chunk SLOTS - 1
      while (Atomics.load(ring.control, stateAt(ring, SLOTS - 1, 0)) !== CHUNK.READY) await new Promise((r) => setTimeout(r, 10));
      new RingSource(ring).stop(); // nothing read: the helper, its ring full, stops waiting
      expect(await made).toBe(2 * SLOTS);
    } finally {
      helper.stop();
    }
    const stale = chunkRing(beatWindowStream(leads, fs, rPeaks, opts).chunks, 2);
    Atomics.store(stale.control, stateAt(stale, 2, 1), CHUNK.CLAIMED); // a helper that died inside lead 1 of chunk 2
    expect(windowsOf(new RingSource(stale, 50))).toEqual(oneThread);
  }, 60_000);
});

describe("the helper's pace", () => {
  it('is the mean share done of the tasks that arrived, 1 with none', () => {
    expect(otherTasksDone()).toBe(1);
    expectTask(1);
    expectTask(2);
    expect(otherTasksDone()).toBe(0); // arrived, not started
    taskProgress(1, 0.5);
    taskProgress(3, 1); // never expected: not counted
    expect(otherTasksDone()).toBe(0.25);
    taskProgress(2, 2);
    expect(otherTasksDone()).toBe(0.75);
  });
});
