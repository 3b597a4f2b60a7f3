// The beat model's inputs on other hospitals' records: single-lead records, low-rate twins of a
// record (dataset --via-fs), and the record-level confidence.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BEAT_FLAG,
  BEAT_LEADS,
  BEAT_WINDOW,
  defaultThresholdOf,
  extractBeatWindows,
  gatherTemplates,
  modelInputFor,
  singleLeadInputOf,
  singleLeadModelInput,
  singleLeadPolarityOf,
} from '../../src/main/beats';
import { analyzeRecord } from '../../src/main/analysis';
import { ambiguousShare, beatConfidence } from '../../src/main/analysis/confidence';
import { defaultModelsDir, loadCatalog } from '../../src/main/inference';
import { parseNpy, resolveRecords, writeBeatDataset } from '../../src/main/dataset';
import { confidenceText } from '../../src/shared/confidence';
import { dataPath, needData } from '../helpers/data';

const ROW = BEAT_LEADS * BEAT_WINDOW;

/** A 20-s single-lead signal at fs with a spike-and-wave beat every 0.8 s. */
function strip(fs: number): { x: Float32Array; r: Int32Array } {
  const x = new Float32Array(20 * fs);
  const r: number[] = [];
  for (let t = 0.5; t < 19.5; t += 0.8) r.push(Math.round(t * fs));
  for (const k of r) for (let j = -5; j <= 5; j++) x[k + j] = 1 - Math.abs(j) / 6;
  return { x, r: Int32Array.from(r) };
}

describe('single-lead input', () => {
  const { x, r } = strip(250);
  const bw = extractBeatWindows([x], 250, r);

  it('flags a one-signal record and keeps lead 0 copied in the windows (what the rules read)', () => {
    expect(bw.singleLead).toBe(true);
    expect(bw.flags.every((f) => (f & BEAT_FLAG.LEAD1_COPIED) !== 0)).toBe(true);
    expect(Array.from(bw.windows.subarray(BEAT_WINDOW, ROW))).toEqual(Array.from(bw.windows.subarray(0, BEAT_WINDOW)));
  });

  it('gives a zeros-mode model lead 1 zeroed in windows and templates, lead 0 untouched, the input not modified', () => {
    const before = bw.windows.slice();
    const z = singleLeadModelInput(bw, 'zeros');
    for (let i = 0; i < r.length; i++) {
      expect(z.windows.subarray(i * ROW + BEAT_WINDOW, (i + 1) * ROW).every((v) => v === 0)).toBe(true);
      expect(Array.from(z.windows.subarray(i * ROW, i * ROW + BEAT_WINDOW))).toEqual(Array.from(bw.windows.subarray(i * ROW, i * ROW + BEAT_WINDOW)));
    }
    const t = z.templates.templates;
    for (let o = 0; o < t.length; o += ROW) expect(t.subarray(o + BEAT_WINDOW, o + ROW).every((v) => v === 0)).toBe(true);
    expect(t.subarray(0, BEAT_WINDOW).some((v) => v !== 0)).toBe(true);
    expect(Array.from(bw.windows)).toEqual(Array.from(before));
    expect(singleLeadModelInput(bw, 'copy')).toBe(bw);
  });

  it('turns the lead so that its QRS points one way for a qrs-up or qrs-down model, whichever way it was recorded', () => {
    const inverted = extractBeatWindows([x.map((v) => -v)], 250, r);
    // the conditioning rounds a negated signal's values a little differently (1e-9 of a QRS)
    const apart = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    for (const [polarity, sign] of [
      ['qrs-up', 1],
      ['qrs-down', -1],
    ] as const) {
      const fromUpright = singleLeadModelInput(bw, 'zeros', polarity);
      const fromInverted = singleLeadModelInput(inverted, 'zeros', polarity);
      expect(apart(fromInverted.windows, fromUpright.windows)).toBeLessThan(1e-6);
      expect(apart(fromInverted.templates.templates, fromUpright.templates.templates)).toBeLessThan(1e-6);
      // every beat's R sample (index 90) and the template's point that way; lead 1 stays zeros
      for (let i = 0; i < r.length; i++) expect(Math.sign(fromInverted.windows[i * ROW + 90]!)).toBe(sign);
      expect(Math.sign(fromInverted.templates.templates[90]!)).toBe(sign);
      expect(fromInverted.windows.subarray(BEAT_WINDOW, ROW).every((v) => v === 0)).toBe(true);
      expect(modelInputFor(inverted, r.length, inverted.flags, true, 'zeros', polarity).windows).toEqual(fromInverted.windows);
    }
    // as recorded, each keeps its own way up
    expect(singleLeadModelInput(inverted, 'zeros').windows[90]).toBeLessThan(0);
    expect(singleLeadModelInput(bw, 'zeros').windows[90]).toBeGreaterThan(0);
    expect(singleLeadPolarityOf({ singleLeadPolarity: 'qrs-down' })).toBe('qrs-down');
    expect(singleLeadPolarityOf({ singleLeadPolarity: 'qrs-up' })).toBe('qrs-up');
    expect(singleLeadPolarityOf({})).toBe('as-recorded');
  });

  it('reads the mode from the manifest entry, copy for models without one', () => {
    expect(singleLeadInputOf({ singleLeadInput: 'zeros' })).toBe('zeros');
    expect(singleLeadInputOf({})).toBe('copy');
    expect(singleLeadInputOf({ singleLeadInput: 'other' })).toBe('copy');
  });
});

describe('lead 0 off on a two-lead record', () => {
  // lead 1 a smaller copy of lead 0; lead 0 flat (its electrode off) from 10 s on
  const fs = 250;
  const { x, r } = strip(fs);
  const lead0 = Float32Array.from(x);
  lead0.fill(0, 10 * fs);
  const lead1 = x.map((v) => 0.5 * v);
  const bw = extractBeatWindows([lead0, lead1], fs, r);
  const n = r.length;
  const off = Array.from(r, (k) => k - 0.4 * fs >= 10 * fs); // the whole window past 10 s
  const on = Array.from(r, (k) => k + 0.4 * fs < 10 * fs);

  it('flags the beats whose lead 0 is flat while lead 1 is not, and no other', () => {
    for (let i = 0; i < n; i++) {
      const flagged = (bw.flags[i]! & BEAT_FLAG.LEAD0_OFF) !== 0;
      if (off[i]) expect([i, flagged]).toEqual([i, true]);
      if (on[i]) expect([i, flagged]).toEqual([i, false]);
    }
    expect(off.filter(Boolean).length).toBeGreaterThan(8);
    // a record with both leads live, or with one lead, has none
    expect(extractBeatWindows([x, lead1], fs, r).flags.some((f) => (f & BEAT_FLAG.LEAD0_OFF) !== 0)).toBe(false);
    expect(extractBeatWindows([lead0], fs, r).flags.some((f) => (f & BEAT_FLAG.LEAD0_OFF) !== 0)).toBe(false);
  });

  it('gives those beats lead 1 as their single lead (window and template), the other beats as they were', () => {
    const before = bw.windows.slice();
    const tpl = gatherTemplates(bw.templates, 0, n);
    for (const mode of ['zeros', 'copy'] as const) {
      const m = modelInputFor(bw, n, bw.flags, false, mode);
      expect(m.templates.block).toBe(1);
      for (let i = 0; i < n; i++) {
        const row = (a: Float32Array, lead: number) => Array.from(a.subarray(i * ROW + lead * BEAT_WINDOW, i * ROW + (lead + 1) * BEAT_WINDOW));
        const flagged = (bw.flags[i]! & BEAT_FLAG.LEAD0_OFF) !== 0;
        for (const [got, was] of [
          [m.windows, bw.windows],
          [m.templates.templates, tpl],
        ] as const) {
          if (!flagged) expect([row(got, 0), row(got, 1)]).toEqual([row(was, 0), row(was, 1)]);
          else expect([row(got, 0), row(got, 1)]).toEqual([row(was, 1), mode === 'zeros' ? row(was, 1).map(() => 0) : row(was, 1)]);
        }
      }
    }
    expect(Array.from(bw.windows)).toEqual(Array.from(before));
    // no beat off: the arrays as they are; a one-lead record: the single-lead input
    const live = extractBeatWindows([x, lead1], fs, r);
    expect(modelInputFor(live, n, live.flags, false, 'zeros')).toBe(live);
    const one = extractBeatWindows([x], fs, r);
    expect(modelInputFor(one, n, one.flags, true, 'zeros').windows).toEqual(singleLeadModelInput(one, 'zeros').windows);
  });
});

describe('record-level confidence', () => {
  // 4 beats × 5 classes: two sure, two torn between N and V
  const probs = Float32Array.from([0.97, 0, 0.03, 0, 0, 0.5, 0, 0.5, 0, 0, 0.1, 0, 0.9, 0, 0, 0.6, 0.1, 0.3, 0, 0]);
  it('counts beats whose top class is below the level', () => {
    expect(ambiguousShare(probs, 5, 0.8)).toBe(0.5);
    expect(ambiguousShare(probs, 5, 0.5)).toBe(0);
    expect(ambiguousShare(new Float32Array(0), 5, 0.8)).toBe(0);
  });
  it('is unsure above the manifest alert and says so in words', () => {
    const c = beatConfidence(probs, 5, { level: 0.8, alert: 0.2 })!;
    expect(c).toMatchObject({ ambiguousShare: 0.5, unsure: true });
    expect(confidenceText(c)).toMatch(/unsure of this record: 50\.0 %/);
    expect(beatConfidence(probs, 5, { level: 0.8, alert: 0.6 })!.unsure).toBe(false);
    expect(beatConfidence(probs, 5, undefined)).toBeUndefined();
  });
});

const has = needData('mitdb');
describe.skipIf(!has)('dataset --via-fs: the same beats as a 128 Hz recording', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hs-via-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const load = (out: string, f: string) => parseNpy(readFileSync(join(out, f)), f);

  it('keeps the beats, their order and labels; positions at the low rate; windows close to the native ones', async () => {
    const refs = resolveRecords([dataPath('mitdb', '119.hea')]);
    await writeBeatDataset(refs, join(dir, 'native'));
    const meta = await writeBeatDataset(refs, join(dir, 'low'), { viaFs: 128 });
    expect(meta.records[0]!.fs).toBe(128);
    expect(meta.records[0]!.viaFs).toBe(128);
    expect(Array.from(load(join(dir, 'low'), 'labels.npy').data)).toEqual(Array.from(load(join(dir, 'native'), 'labels.npy').data));
    const s360 = load(join(dir, 'native'), 'sample.npy').data as Int32Array;
    const s128 = load(join(dir, 'low'), 'sample.npy').data as Int32Array;
    for (let i = 0; i < s360.length; i += 97) expect(s128[i]).toBe(Math.round((s360[i]! * 128) / 360));
    // the 35 Hz conditioning leaves little for a 128 Hz rate to remove: windows agree closely, not exactly
    const a = load(join(dir, 'native'), 'windows.npy').data as Float32Array;
    const b = load(join(dir, 'low'), 'windows.npy').data as Float32Array;
    let num = 0;
    let den = 0;
    for (let i = 0; i < a.length; i++) {
      num += (a[i]! - b[i]!) ** 2;
      den += a[i]! ** 2;
    }
    expect(Math.sqrt(num / den)).toBeGreaterThan(1e-4);
    expect(Math.sqrt(num / den)).toBeLessThan(0.2);
  });
});

describe('single-lead threshold', () => {
  it("is the manifest's singleLeadThreshold when one lead is analysed, the default threshold otherwise", () => {
    expect(defaultThresholdOf({ defaultThreshold: 0.12, singleLeadThreshold: 0.24 }, true)).toBe(0.24);
    expect(defaultThresholdOf({ defaultThreshold: 0.12, singleLeadThreshold: 0.24 }, false)).toBe(0.12);
    expect(defaultThresholdOf({ defaultThreshold: 0.12 }, true)).toBe(0.12);
    expect(defaultThresholdOf({}, true)).toBe(0.5);
  });

  it.skipIf(!has)(
    'is what an analysis of lead 0 alone applies, with the shipped model',
    async () => {
      const cat = await loadCatalog(defaultModelsDir());
      const entry = cat.models.beat!.entry;
      expect(entry.singleLeadThreshold).toBeGreaterThan(entry.defaultThreshold!);
      const path = dataPath('mitdb', '119');
      const one = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1, leads: [0] });
      const two = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1 });
      expect(one.threshold).toBe(entry.singleLeadThreshold);
      expect(two.threshold).toBe(entry.defaultThreshold);
      // the shipped model takes the lead as recorded (docs/experiments/2026-12-08-beat-polarity.md);
      // a manifest that asks for the lead turned QRS-down gets it, and the analysis says so
      const use = (a: typeof one) => a.models.find((m) => m.task === 'beat')!;
      expect(entry.singleLeadPolarity).toBeUndefined();
      expect(use(one).singleLeadPolarity).toBeUndefined();
      const turned = mkdtempSync(join(tmpdir(), 'hs-polarity-'));
      try {
        cpSync(defaultModelsDir(), turned, { recursive: true });
        const manifest = JSON.parse(readFileSync(join(turned, 'manifest.json'), 'utf8')) as { models: { task: string; singleLeadPolarity?: string }[] };
        for (const m of manifest.models) if (m.task === 'beat') m.singleLeadPolarity = 'qrs-down';
        writeFileSync(join(turned, 'manifest.json'), JSON.stringify(manifest));
        const down = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1, leads: [0], modelsDir: turned });
        expect(use(down).singleLeadPolarity).toBe('qrs-down');
        // MLII's QRS points up: turned, the model sees other input
        expect(down.beats.probs).not.toEqual(one.beats.probs);
        const twoDown = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1, modelsDir: turned });
        expect(use(twoDown).singleLeadPolarity).toBeUndefined();
        expect(twoDown.beats.probs).toEqual(two.beats.probs);
      } finally {
        rmSync(turned, { recursive: true, force: true });
      }
    },
    120_000
  );
});
