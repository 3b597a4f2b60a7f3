// Beat windows: the beat model's input, made the same way for training data and at inference.
//
// For each R peak (sample index at the record's rate fs):
//  1. leads: signals[0] and signals[1]; a single-lead record gets lead 0 copied into lead 1
//     (flag LEAD1_COPIED) — the model then sees a plausible input rather than a flat line it was
//     never trained on;
//  2. each lead is resampled to 360 Hz (dsp.resampleBlock: zero-delay polyphase FIR) and
//     conditioned (dsp.conditionForBeats: de Chazal baseline removal + 35 Hz zero-phase low-pass),
//     chunk by chunk with enough context that the result equals processing the whole record;
//  3. the R peak maps to round(r · 360 / fs); the window is the 216 samples [R − 90, R + 126):
//     250 ms before the R peak, R at index 90, 347 ms after it. Samples off the record repeat the
//     nearest conditioned sample (flag EDGE, valid = 0);
//  4. amplitude: per lead, the window's median is subtracted (its isoelectric level), then it is
//     divided by the lead's typical QRS amplitude: the running median, over the 257 beats centred
//     on it (all beats when fewer), of the beats' peak-to-peak amplitude within ±100 ms of R,
//     floored at 0.1 mV. This removes the gain differences between patients and electrode
//     positions (the main inter-patient shift) while keeping the contrast between a beat and
//     its neighbours (a PVC twice as tall as the dominant beats stays twice as tall); a running
//     rather than whole-record scale follows the slow amplitude drift of a 24-hour Holter, and
//     recovers after a stretch of the lead off (./stats.ts).
//     The divisor of each beat and lead is returned (`scale`, mV) so mV can be restored.
//     Give it all the beats of a record (as the dataset does): a beat's divisor depends on its
//     256 neighbours, so scoring a subset of beats alone gives slightly different windows.
//
// The windows come out in groups of BEAT_GROUP beats, each as soon as its amplitude scales and
// templates (./template.ts, which read the windows of the blocks either side) are known, so a
// 24-hour Holter's 114 k windows (200 MB) never sit in memory at once: only the conditioned
// chunk and the few thousand windows still waiting for their neighbours do.
import { asLead, conditionContext, conditionForBeats, mapIndex, resampleBlock, resampleInputSpan, resampleRatio, resampledLength } from '../dsp';
import type { Lead, LeadInput } from '../dsp/lead';
import { medianOf } from '../dsp/select';
import { scratchFloat32 } from '../dsp/scratch';
import { BEAT_FLAG, BEAT_FS, BEAT_LEADS, BEAT_WINDOW, LEAD_OFF_MV, N_RR, R_INDEX } from './constants';
import { BeatsError, requireIncreasing } from './errors';
import { intervalsOverLeadOff } from './gaps';
import { rrFeatures, type RrOptions } from './rr';
import { RunningMedianOf } from './stats';
import { TEMPLATE_BLOCK, templateOfBlock, templateScratch, templateSpan, type BeatTemplates } from './template';

export interface BeatOptions {
  /** Length of the conditioned chunks, seconds at 360 Hz (bounds memory). Default 300. */
  chunkSec?: number;
  /** Beats in the running median of the amplitude scale (odd). Default 257. */
  scaleBeats?: number;
  /** Lowest amplitude scale, mV. Default 0.1. */
  minScaleMv?: number;
  /** Half-width of the QRS region whose peak-to-peak is the beat's amplitude, seconds. Default 0.1. */
  qrsHalfSec?: number;
  rr?: RrOptions;
}

/** Beats per group: a whole number of template blocks and of the V rule's dominant-beat blocks (1024). */
export const BEAT_GROUP = 8 * TEMPLATE_BLOCK;

/** The windows of beats [from, from + count): count × 2 × 216, normalised as described above. */
export interface BeatGroup {
  from: number;
  count: number;
  /** A view into the stream's working memory: read it before asking for the next group. */
  windows: Float32Array;
}

/**
 * One conditioned piece of the record: the beats [b, e) whose R peaks fall in it, cut from the
 * conditioned 360-Hz samples [a, z) (their windows plus filter context); a === z when it holds no beat.
 */
export interface BeatChunk {
  b: number;
  e: number;
  a: number;
  z: number;
}

/**
 * Conditioned samples made elsewhere (another thread): lead l's samples [a, z) of chunk c, or null
 * for this stream to condition them itself; `release(c)` once chunk c's samples are read.
 */
export interface ConditionedSource {
  take(lead: number, chunk: number): Float32Array | null;
  release(chunk: number): void;
}

/** The per-beat arrays (whole record; small) and the groups of windows. */
export interface BeatWindowStream {
  n: number;
  /** n × N_RR RR features (RR_FEATURES order; an interval across a stretch with every lead off left out: ./gaps.ts), known from the start. */
  rr: Float32Array;
  /** R peak index at 360 Hz, known from the start. */
  r360: Int32Array;
  /** True when lead 1 is a copy of lead 0. */
  singleLead: boolean;
  /** 1 when the whole window lies inside the record; final for a beat once its group is out. */
  valid: Uint8Array;
  /** BEAT_FLAG bits per beat; final once its group is out. */
  flags: Uint8Array;
  /** n × 2 amplitude divisor per beat and lead, mV; final once its group is out. */
  scale: Float32Array;
  /** The dominant beat around each beat; a group's blocks are final once it is out. */
  templates: BeatTemplates;
  /** The record's pieces, conditioned one after the other as the groups are cut, known from the start. */
  chunks: BeatChunk[];
  /** The groups in order; call once (`source`: conditioned samples another thread made). */
  groups(source?: ConditionedSource): Generator<BeatGroup, void, undefined>;
}

const ROW = BEAT_LEADS * BEAT_WINDOW;
const AFTER = BEAT_WINDOW - R_INDEX; // 126 samples from R (inclusive) to the window's end

/** Conditioned samples [a, z) at 360 Hz of a lead at fs: resampled (./stream.ts, step 2), then conditioned for beats. */
export function conditionedSpan(x: Lead, fs: number, a: number, z: number): Float32Array {
  // the span read into reused memory: conditionForBeats and resampleBlock read it and return new arrays
  const { up, down } = resampleRatio(fs, BEAT_FS);
  if (up !== down) {
    const span = resampleInputSpan(a, z, fs, BEAT_FS, x.length);
    const filled = x.filledSpan(span.start, span.end, scratchFloat32('span', span.end - span.start));
    return conditionForBeats(resampleBlock(filled, span.start, x.length, fs, BEAT_FS, a, z), BEAT_FS);
  }
  const into = scratchFloat32('span', z - a);
  const stored = x.rankedSpan?.(a, z, into); // ranks from the stored integers spare quantise's hashing
  return stored ? conditionForBeats(stored.values, BEAT_FS, stored.ranks) : conditionForBeats(x.filledSpan(a, z, into), BEAT_FS);
}

/** The record's pieces of chunkSec seconds at 360 Hz (see BeatChunk); beats off the record go to the first/last. */
export function beatChunks(r360: Int32Array, n360: number, chunkSec = 300): BeatChunk[] {
  const n = r360.length;
  const chunk = Math.max(1, Math.round(chunkSec * BEAT_FS));
  const ctx = conditionContext(BEAT_FS);
  const out: BeatChunk[] = [];
  let b = 0;
  for (let from = 0; from < Math.max(n360, 1) && b < n; from += chunk) {
    const to = Math.min(n360, from + chunk);
    const last = to >= n360;
    let e = b;
    while (e < n && (last || r360[e]! < to)) e++;
    if (e === b || n360 === 0) out.push({ b, e, a: 0, z: 0 });
    else
      out.push({
        b,
        e,
        // conditioned samples [a, z) at 360 Hz cover every window of beats b..e-1 plus filter context
        a: Math.max(0, Math.min(from, r360[b]! - R_INDEX) - ctx),
        z: Math.min(n360, Math.max(to, r360[e - 1]! + AFTER) + ctx),
      });
    b = e;
  }
  return out;
}

/** Windows of beats [first, first + count), appended at the end and dropped from the start. */
class WindowRows {
  buf = new Float32Array(0);
  first = 0;
  count = 0;

  /** Adds zeroed rows for the next `k` beats. */
  append(k: number): void {
    const need = (this.count + k) * ROW;
    if (need > this.buf.length) {
      const grown = new Float32Array(Math.max(need, 2 * this.buf.length));
      grown.set(this.buf.subarray(0, this.count * ROW));
      this.buf = grown;
    }
    this.buf.fill(0, this.count * ROW, need);
    this.count += k;
  }

  /** Offset of beat i's row in buf. */
  at(i: number): number {
    return (i - this.first) * ROW;
  }

  /** Forgets the rows of beats before `upTo`. */
  dropBefore(upTo: number): void {
    const k = upTo - this.first;
    if (k <= 0) return;
    this.buf.copyWithin(0, k * ROW, this.count * ROW);
    this.first = upTo;
    this.count -= k;
  }
}

/**
 * The beat windows of a record as a stream (see the top of this file). signals: physical units
 * (mV) at fs, all of one length, read span by span (a chunk and its context at a time); rPeaks: strictly increasing sample indices at fs (indices off the
 * record give fully padded, flagged windows).
 */
export function beatWindowStream(inputs: readonly LeadInput[], fs: number, rPeaks: Int32Array, opts: BeatOptions = {}): BeatWindowStream {
  const signals = inputs.map(asLead);
  if (signals.length === 0) throw new BeatsError('no signal to cut beats from');
  if (!(fs > 0) || !Number.isFinite(fs)) throw new BeatsError(`sampling rate must be a positive number, got ${fs}`);
  requireIncreasing(rPeaks);
  const nIn = signals[0]!.length;
  if (nIn === 0 && rPeaks.length > 0) throw new BeatsError('the signal is empty');
  for (const s of signals) if (s.length !== nIn) throw new BeatsError(`signals differ in length (${s.length} vs ${nIn})`);
  const singleLead = signals.length < 2;
  const n = rPeaks.length;
  const r360 = new Int32Array(n);
  for (let i = 0; i < n; i++) r360[i] = mapIndex(rPeaks[i]!, fs, BEAT_FS);
  const flags = new Uint8Array(n);
  if (singleLead) flags.fill(BEAT_FLAG.LEAD1_COPIED);
  const leads = singleLead ? [signals[0]!] : [signals[0]!, signals[1]!];
  const rr = rrFeatures(rPeaks, fs, opts.rr, intervalsOverLeadOff(leads, fs, rPeaks));
  if (rr.length !== n * N_RR) throw new BeatsError('internal: RR feature count mismatch');
  const s: BeatWindowStream = {
    n,
    rr,
    r360,
    singleLead,
    valid: new Uint8Array(n),
    flags,
    scale: new Float32Array(n * BEAT_LEADS),
    templates: { templates: new Float32Array(Math.ceil(n / TEMPLATE_BLOCK) * ROW), block: TEMPLATE_BLOCK },
    chunks: beatChunks(r360, resampledLength(nIn, fs, BEAT_FS), opts.chunkSec),
    groups: (source) => groupsOf(s, leads, fs, nIn, opts, source),
  };
  return s;
}

function* groupsOf(
  s: BeatWindowStream,
  leads: Lead[],
  fs: number,
  nIn: number,
  opts: BeatOptions,
  source?: ConditionedSource
): Generator<BeatGroup, void, undefined> {
  const { n, r360, flags, valid, rr, templates } = s;
  const rows = new WindowRows();
  const amp = leads.map(() => new Float32Array(n));
  const ampScale = leads.map(() => new Float32Array(n));
  const scaleBeats = opts.scaleBeats ?? 257;
  // a window of flat beats' amplitudes (a lead off for minutes) slides exactly, so the scale recovers after it
  const medians = leads.map((_, l) => new RunningMedianOf(amp[l]!, scaleBeats, ampScale[l]!, LEAD_OFF_MV));
  const minScale = opts.minScaleMv ?? 0.1;
  const scratch = templateScratch();
  const nBlocks = Math.ceil(n / TEMPLATE_BLOCK);
  let normalised = 0; // beats whose windows are divided by their scale
  let blocks = 0; // templates made
  let emitted = 0; // beats handed out

  // Everything that beats [0, cut) being cut makes known, then the groups that are complete.
  function* settle(cut: number): Generator<BeatGroup, void, undefined> {
    let ready = cut;
    for (const m of medians) ready = Math.min(ready, m.advance(cut));
    normaliseWindows(rows, normalised, ready, ampScale, minScale, s);
    normalised = Math.max(normalised, ready);
    while (blocks < nBlocks && templateSpan(blocks, n)[1] <= normalised) {
      templateOfBlock(templates, blocks, rows.buf, rows.first, rr, valid, n, scratch);
      blocks++;
    }
    const templated = Math.min(n, blocks * TEMPLATE_BLOCK);
    while (emitted < n && templated >= Math.min(n, emitted + BEAT_GROUP)) {
      const end = Math.min(n, emitted + BEAT_GROUP);
      yield { from: emitted, count: end - emitted, windows: rows.buf.subarray(rows.at(emitted), rows.at(end)) };
      emitted = end;
      rows.dropBefore(Math.min(emitted, blocks < nBlocks ? templateSpan(blocks, n)[0] : n));
    }
  }

  const n360 = resampledLength(nIn, fs, BEAT_FS);
  const qrsHalf = Math.round((opts.qrsHalfSec ?? 0.1) * BEAT_FS);
  const tmp = new Float64Array(BEAT_WINDOW); // Float64Array as the templates' columns: selectKth then sees one array type

  let b = 0;
  for (let c = 0; c < s.chunks.length; c++) {
    const { e, a, z } = s.chunks[c]!;
    rows.append(e - b);
    if (a === z) {
      source?.release(c);
      b = e;
      yield* settle(b);
      continue;
    }
    for (let l = 0; l < leads.length; l++) {
      const y = source?.take(l, c) ?? conditionedSpan(leads[l]!, fs, a, z);
      cutWindows(y, a, n360, r360, b, e, l, rows, flags, amp[l]!, qrsHalf, tmp);
    }
    source?.release(c);
    if (leads.length === 2) for (let i = b; i < e; i++) if (amp[0]![i]! < LEAD_OFF_MV && amp[1]![i]! >= LEAD_OFF_MV) flags[i]! |= BEAT_FLAG.LEAD0_OFF;
    b = e;
    yield* settle(b);
  }
  rows.append(n - b); // none: the last chunk takes every beat left
  yield* settle(n);
}

/**
 * Cuts lead l's windows of beats [b, e) from y (conditioned samples from a at 360 Hz), less each
 * window's median, into rows, and notes each beat's QRS amplitude. A plain function, not inside
 * groupsOf: V8 compiles a loop inside a generator less well.
 */
function cutWindows(
  y: Float32Array,
  a: number,
  n360: number,
  r360: Int32Array,
  b: number,
  e: number,
  l: number,
  rows: WindowRows,
  flags: Uint8Array,
  amp: Float32Array,
  qrsHalf: number,
  tmp: Float64Array
): void {
  for (let i = b; i < e; i++) {
    const o = rows.at(i) + l * BEAT_WINDOW;
    const w = rows.buf.subarray(o, o + BEAT_WINDOW);
    const w0 = r360[i]! - R_INDEX;
    if (w0 >= 0 && w0 + BEAT_WINDOW <= n360) w.set(y.subarray(w0 - a, w0 - a + BEAT_WINDOW));
    else {
      for (let t = 0; t < BEAT_WINDOW; t++) {
        const k = w0 + t;
        w[t] = y[(k < 0 ? 0 : k >= n360 ? n360 - 1 : k) - a]!;
      }
      flags[i]! |= BEAT_FLAG.EDGE;
    }
    // isoelectric level: the window's median
    tmp.set(w);
    const med = medianOf(tmp, BEAT_WINDOW);
    let lo = Infinity;
    let hi = -Infinity;
    for (let t = 0; t < BEAT_WINDOW; t++) {
      const v = w[t]! - med;
      w[t] = v;
      if (t >= R_INDEX - qrsHalf && t <= R_INDEX + qrsHalf) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    amp[i] = hi - lo;
  }
}

/** Divides the windows of beats [from, to) by their leads' amplitude scales (step 4); a plain function for the reason cutWindows is. */
function normaliseWindows(rows: WindowRows, from: number, to: number, ampScale: Float32Array[], minScale: number, s: BeatWindowStream): void {
  const { scale, valid, flags, singleLead } = s;
  const buf = rows.buf;
  for (let i = from; i < to; i++) {
    const o = rows.at(i);
    for (let l = 0; l < ampScale.length; l++) {
      const d = Math.max(minScale, ampScale[l]![i]!);
      scale[i * BEAT_LEADS + l] = d;
      const inv = 1 / d;
      for (let t = o + l * BEAT_WINDOW, end = t + BEAT_WINDOW; t < end; t++) buf[t]! *= inv;
    }
    if (singleLead) {
      buf.copyWithin(o + BEAT_WINDOW, o, o + BEAT_WINDOW);
      scale[i * BEAT_LEADS + 1] = scale[i * BEAT_LEADS]!;
    }
    valid[i] = flags[i]! & BEAT_FLAG.EDGE ? 0 : 1;
  }
}
