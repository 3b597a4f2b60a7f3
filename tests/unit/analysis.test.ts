import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AAMI_CLASSES, V_INDEX, type Analysis } from '../../src/shared/analysis';
import { AnalysisWorker, analyzeInWorker, analyzeRecord, decodeAnalysis, encodeAnalysis, applyThreshold, type AnalyzeSettings } from '../../src/main/analysis';
import { analysisAnnotations, analysisJson, beatsCsv } from '../../src/main/analysis/outputs';
import { writeSynthRecord } from '../../src/main/synth';
import { readAnnotationFile, writeAnnotations, mnemonic } from '../../src/main/wfdb';
import { dispatch, type HandlerContext } from '../../src/main/handlers';
import { createHandlerTable } from '../../src/main/table';
import { writeTinyModels } from './inference-tiny-model';
import { endWorker, isLoaded } from '../../src/main/jobs/worker-loaded';
import { createWorker } from '../../src/main/analysis/spawn';
import { startDetection } from '../../src/main/analysis/record';

let dir: string;
let record: string;
let modelsDir: string;
const SYNTH = { scenario: 'demo', minutes: 4, seed: 3 } as const;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbs-analysis-'));
  record = join(dir, 'rec', 'demo4');
  await writeSynthRecord(record, SYNTH);
  modelsDir = join(dir, 'models');
  await import('node:fs/promises').then((f) => f.mkdir(modelsDir));
  await writeTinyModels(modelsDir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noTimings = (a: Analysis) => ({ ...a, timingsMs: {} });

describe('rule-based analysis of a synthetic record with known events', () => {
  let a: Analysis;
  beforeAll(async () => {
    a = await analyzeRecord(record, { useRules: true, cacheDir: null, beats: 'reference' });
  });

  it('records that the rules ran and why', () => {
    expect(a.models.map((m) => [m.task, m.id, m.provider, m.note])).toEqual([
      ['beat', 'rules', 'rules', 'rule-based fallback requested'],
      ['rhythm', 'rules', 'rules', 'rule-based fallback requested'],
    ]);
  });

  it('finds the 8-beat VT run, the 2.5-s pause and the AF episode of the synthetic truth', () => {
    // Truth (synth demo, 4 min, seed 3): VT 34943–36184 (8 beats), pause 42299–43199, AF 47638–64994.
    const vt = a.episodes.filter((e) => e.type === 'VT');
    expect(vt).toHaveLength(1);
    expect(vt[0]!.explanation).toMatch(/^8 consecutive ventricular beats/);
    expect(vt[0]!.onsetSample).toBeGreaterThanOrEqual(34943);
    expect(vt[0]!.offsetSample).toBeLessThan(36184);
    const pause = a.episodes.filter((e) => e.type === 'PAUSE');
    expect(pause.map((e) => [e.onsetSample, e.offsetSample])).toEqual([[42299, 43199]]);
    const af = a.episodes.filter((e) => e.type === 'AF');
    expect(af).toHaveLength(1);
    expect(af[0]!.onsetSample).toBeGreaterThanOrEqual(47638 - 3600);
    expect(af[0]!.offsetSample).toBeLessThanOrEqual(64994 + 3600);
    expect(a.summary.longestVtRunBeats).toBe(8);
    expect(a.summary.longestPauseSec).toBeCloseTo(2.5, 2);
    expect(a.summary.afBurden).toBeGreaterThan(0.08);
  });

  it('labels the synthetic PVCs V (32 V beats in the truth) and explains them', () => {
    expect(a.summary.pvcCount).toBeGreaterThanOrEqual(29);
    expect(a.summary.pvcCount).toBeLessThanOrEqual(36);
    const vNotes = (a.beatNotes ?? []).filter(([k]) => a.beats.label[k] === V_INDEX);
    expect(vNotes.length).toBe(a.summary.pvcCount);
    expect(vNotes[0]![1]).toMatch(/QRS \d+ ms/);
  });
});

describe('model analysis, fallback, cache and re-labelling', () => {
  const base = (): AnalyzeSettings => ({ modelsDir, beats: 'reference', threads: 1 });

  it('runs both models, recording ids, versions, provider and embeddings', async () => {
    const a = await analyzeRecord(record, { ...base(), cacheDir: null });
    expect(a.models.map((m) => [m.task, m.id, m.version, m.provider])).toEqual([
      ['beat', 'beat-pvc', '0.0.1', 'cpu'],
      ['rhythm', 'rhythm', '0.0.1', 'cpu'],
    ]);
    const n = a.beats.sample.length;
    expect(a.beats.embeddingDim).toBe(8);
    expect(a.beats.embedding!.length).toBe(n * 8);
    for (let k = 0; k < n; k += 17) {
      let s = 0;
      for (let c = 0; c < AAMI_CLASSES.length; c++) s += a.beats.probs[k * 5 + c]!;
      expect(s).toBeCloseTo(1, 5);
      expect(a.beats.pvcScore[k]).toBe(a.beats.probs[k * 5 + V_INDEX]);
    }
    // the CSV's score is the score itself, so pvc_score >= threshold gives the label it lists
    const rows = new TextDecoder().decode(beatsCsv(a)).trim().split('\n').slice(1);
    rows.forEach((row, k) => {
      const [, , label, score] = row.split(',');
      expect(Number(score)).toBe(a.beats.pvcScore[k]);
      expect(Number(score) >= a.threshold).toBe(label === 'V');
    });
  });

  it('a corrupt beat model falls back to the rules with the reason; the rhythm model still runs', async () => {
    const d = join(dir, 'models-corrupt');
    await import('node:fs/promises').then((f) => f.mkdir(d));
    await writeTinyModels(d);
    const bytes = readFileSync(join(d, 'beat.onnx'));
    bytes[100] ^= 0x55;
    writeFileSync(join(d, 'beat.onnx'), bytes);
    const a = await analyzeRecord(record, { ...base(), modelsDir: d, cacheDir: null });
    const beat = a.models.find((m) => m.task === 'beat')!;
    expect(beat.provider).toBe('rules');
    expect(beat.note).toMatch(/beat\.onnx: sha256 does not match/);
    expect(a.models.find((m) => m.task === 'rhythm')!.provider).toBe('cpu');
    expect(a.beatNotes!.length).toBeGreaterThan(0);
  });

  it('a beat model that fails once planned leaves the rule labels at the rule threshold, not the model threshold', async () => {
    const d = join(dir, 'models-failing');
    await import('node:fs/promises').then((f) => f.mkdir(d));
    await writeTinyModels(d, 7, '0.0.1', 0.1);
    // hash and file fine (so planned), but the manifest leaves out the "rr" input: the model cannot be used
    const manifest = JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8')) as { models: { task: string; inputs: { name: string }[] }[] };
    const beatEntry = manifest.models.find((m) => m.task.startsWith('beat'))!;
    beatEntry.inputs = beatEntry.inputs.filter((i) => i.name !== 'rr');
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest));
    const a = await analyzeRecord(record, { ...base(), modelsDir: d, cacheDir: null });
    expect(a.models.find((m) => m.task === 'beat')!.provider).toBe('rules');
    const rules = await analyzeRecord(record, { ...base(), useRules: true, cacheDir: null });
    expect(a.threshold).toBe(rules.threshold);
    // the labels, not the summary's counts: the rhythm model's noise episodes (which ectopy counts leave out) are not the rules'
    expect(Array.from(a.beats.label)).toEqual(Array.from(rules.beats.label));
  });

  it('does not cache a rules result under the key of a model that failed once planned', async () => {
    const d = join(dir, 'models-mended');
    const cacheDir = join(dir, 'cache-mended');
    await import('node:fs/promises').then((f) => f.mkdir(d));
    await writeTinyModels(d);
    const good = readFileSync(join(d, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(good) as { models: { task: string; inputs: { name: string }[] }[] };
    const beatEntry = manifest.models.find((m) => m.task.startsWith('beat'))!;
    beatEntry.inputs = beatEntry.inputs.filter((i) => i.name !== 'rr');
    writeFileSync(join(d, 'manifest.json'), JSON.stringify(manifest));
    const s = { ...base(), modelsDir: d, cacheDir };
    const failed = await analyzeRecord(record, s);
    expect(failed.models.find((m) => m.task === 'beat')!.provider).toBe('rules');
    // the manifest mended: same file, same id, version and hash, so the same key
    writeFileSync(join(d, 'manifest.json'), good);
    const mended = await analyzeRecord(record, s);
    expect(mended.fromCache).toBeFalsy();
    expect(mended.models.find((m) => m.task === 'beat')!.provider).toBe('cpu');
    expect((await analyzeRecord(record, s)).fromCache).toBe(true);
  });

  it('re-labelling at a threshold equals a fresh run at that threshold', async () => {
    const a = await analyzeRecord(record, { ...base(), cacheDir: null, threshold: 0.5 });
    const sorted = Float32Array.from(a.beats.pvcScore).sort();
    const t = sorted[Math.floor(sorted.length * 0.7)]!;
    const b = await analyzeRecord(record, { ...base(), cacheDir: null, threshold: t });
    const r = applyThreshold(a, t);
    expect(b.summary.pvcCount).not.toBe(a.summary.pvcCount); // the threshold matters here
    expect(noTimings(r)).toEqual(noTimings(b));
    expect(a.threshold).toBe(0.5); // the input is not modified
  });

  it('the cache answers a repeat, and is invalidated by a settings or model change', async () => {
    const cacheDir = join(dir, 'cache');
    const md = join(dir, 'models-cache');
    await import('node:fs/promises').then((f) => f.mkdir(md));
    await writeTinyModels(md, 7, '1.0.0');
    const s = { ...base(), modelsDir: md, cacheDir };
    const first = await analyzeRecord(record, s);
    expect(first.fromCache).toBeFalsy();
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.hbsa'))).toHaveLength(1);
    expect(readdirSync(cacheDir).some((f) => f.endsWith('.tmp'))).toBe(false);
    const again = await analyzeRecord(record, { ...s, threshold: 0.9 });
    expect(again.fromCache).toBe(true);
    expect(noTimings({ ...again, fromCache: undefined })).toEqual(noTimings(applyThreshold(first, 0.9)));
    const detector = await analyzeRecord(record, { ...s, beats: 'detector' });
    expect(detector.fromCache).toBeFalsy();
    await writeTinyModels(md, 8, '1.0.1'); // new model version and weights
    const newModel = await analyzeRecord(record, s);
    expect(newModel.fromCache).toBeFalsy();
    expect(newModel.models[0]!.version).toBe('1.0.1');
    const rules = await analyzeRecord(record, { ...s, rules: { pauseSec: 3 } });
    expect(rules.fromCache).toBeFalsy();
    expect(rules.episodes.some((e) => e.type === 'PAUSE')).toBe(false);
  });

  it('the cache knows the .atr the beats came from, and caches nothing read while a file changed', async () => {
    const { copyFileSync, mkdirSync, utimesSync } = await import('node:fs');
    const cacheDir = join(dir, 'cache-atr');
    const copy = join(dir, 'atr-copy');
    mkdirSync(copy);
    for (const ext of ['hea', 'dat', 'atr']) copyFileSync(`${record}.${ext}`, join(copy, `demo4.${ext}`));
    const rec = join(copy, 'demo4');
    const s = { ...base(), cacheDir };
    const first = await analyzeRecord(rec, s);
    // another .atr (every other beat): the signals' content hash is the same, the beats are not
    const anns = await readAnnotationFile(`${rec}.atr`);
    await writeAnnotations(
      `${rec}.atr`,
      anns.filter((a, i) => i % 2 === 0 || a.code !== 1)
    );
    const other = await analyzeRecord(rec, s);
    expect(other.fromCache).toBeFalsy();
    expect(other.beats.sample.length).toBeLessThan(first.beats.sample.length);
    expect((await analyzeRecord(rec, s)).fromCache).toBe(true);
    // a signal file touched while it was read (a copy finishing, a recorder writing): the result is not cached
    const touched = { ...s, cacheDir: join(dir, 'cache-touched') };
    const t = Date.now() / 1000 + 5;
    await analyzeRecord(rec, touched, { onProgress: (e) => e.stage === 'windows' && utimesSync(`${rec}.dat`, t, t) });
    expect((await analyzeRecord(rec, touched)).fromCache).toBeFalsy();
    expect((await analyzeRecord(rec, touched)).fromCache).toBe(true);
    // an entry that decodes but does not hold together (its probabilities cut short) is a miss, made again
    const entry = join(
      touched.cacheDir,
      readdirSync(touched.cacheDir).find((f) => f.endsWith('.hbsa'))!
    );
    const cached = decodeAnalysis(readFileSync(entry))!;
    writeFileSync(entry, encodeAnalysis({ ...cached, beats: { ...cached.beats, probs: cached.beats.probs.slice(0, 10) } }));
    const again = await analyzeRecord(rec, touched);
    expect(again.fromCache).toBeFalsy();
    expect(again.beats.probs.length).toBe(5 * again.beats.sample.length);
  });

  it('a damaged cache entry is ignored, never returned', () => {
    const a: Analysis = {
      record: 'x',
      recordHash: 'h',
      fs: 360,
      durationSec: 1,
      threshold: 0.5,
      beats: {
        sample: Int32Array.of(1, 2),
        probs: new Float32Array(10),
        pvcScore: new Float32Array(2),
        label: new Uint8Array(2),
        rrMs: Float32Array.of(NaN, 2.7),
        source: 'detector',
      },
      episodes: [],
      summary: {
        beats: 2,
        pvcCount: 0,
        pvcBurden: 0,
        pvcPerHour: 0,
        couplets: 0,
        triplets: 0,
        bigeminyEpisodes: 0,
        longestVtRunBeats: 0,
        afBurden: 0,
        longestPauseSec: 0,
        meanHr: 0,
        minHr: 0,
        maxHr: 0,
      },
      models: [],
      timingsMs: { totalMs: 1 },
    };
    const bytes = encodeAnalysis(a);
    const inFile = Buffer.concat([Buffer.from('padding'), bytes]).subarray(7); // a Buffer view, as readFile may give
    const back = decodeAnalysis(inFile)!;
    expect(back.beats.sample).toEqual(a.beats.sample);
    expect(Number.isNaN(back.beats.rrMs[0]!)).toBe(true);
    expect(decodeAnalysis(bytes.subarray(0, bytes.length - 4))).toBeNull();
    const bad = bytes.slice();
    bad[0] = 0;
    expect(decodeAnalysis(bad)).toBeNull();
  });
});

describe('worker and cancellation', () => {
  it('the worker returns the same analysis as an in-process run', async () => {
    const settings: AnalyzeSettings = { modelsDir, cacheDir: null, beats: 'reference', threads: 1 };
    const stages: string[] = [];
    const w = await analyzeInWorker(record, settings, (p) => stages.push(p.stage)).promise;
    const a = await analyzeRecord(record, settings);
    expect(noTimings(w)).toEqual(noTimings(a));
    expect(stages[0]).toBe('open');
    expect(stages).toContain('beat model');
  });

  it('cancelling stops the worker with CancelledError and no result', async () => {
    let cancel = () => {};
    let progressAfterCancel = 0;
    let cancelled = false;
    const run = analyzeInWorker(record, { modelsDir, cacheDir: null, beats: 'detector' }, (p) => {
      if (cancelled) progressAfterCancel++;
      if (p.stage === 'read' && !cancelled) {
        cancelled = true;
        cancel();
      }
    });
    cancel = run.cancel;
    const err = await run.promise.then(
      () => null,
      (e: unknown) => e
    );
    expect(cancelled).toBe(true);
    expect((err as Error).name).toBe('CancelledError');
    expect(progressAfterCancel).toBe(0);
  });

  it('one worker serves consecutive analyses, and a new one replaces it after a cancel', async () => {
    const w = new AnalysisWorker();
    try {
      const s: AnalyzeSettings = { useRules: true, cacheDir: null, beats: 'reference' };
      const a = await w.analyze(record, s).promise;
      const running = w.analyze(record, { ...s, beats: 'detector' });
      expect(() => w.analyze(record, s)).toThrow(/already running/);
      const b = await running.promise;
      expect(b.beats.source).toBe('detector');
      const c = w.analyze(record, s);
      c.cancel();
      expect(((await c.promise.catch((e: unknown) => e)) as Error).name).toBe('CancelledError');
      const d = await w.analyze(record, s).promise;
      expect(noTimings(d)).toEqual(noTimings(a));
    } finally {
      await w.close();
    }
  });

  it('a worker is ended only once its modules are loaded, and at once when it has exited', async () => {
    // ended at once after its start, a worker still ends only once its modules (ONNX Runtime's among them) are loaded
    const w0 = createWorker();
    expect(isLoaded(w0)).toBe(false);
    await endWorker(w0);
    expect(isLoaded(w0)).toBe(true);
    // one that has exited without loading is ended at once, not after the wait's limit
    const w1 = createWorker();
    await w1.terminate();
    const t0 = performance.now();
    await endWorker(w1);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('in process, an aborted signal stops the analysis between stages', async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const err = await analyzeRecord(
      record,
      { modelsDir, cacheDir: null },
      {
        cancel: ac.signal,
        onProgress: (p) => {
          seen.push(p.stage);
          if (p.stage === 'windows') ac.abort();
        },
      }
    ).then(
      () => null,
      (e: unknown) => e
    );
    expect((err as Error).name).toBe('CancelledError');
    expect(seen).not.toContain('beat model');
  });

  it('QRS detection over a long record lets the event loop turn between its 30-min chunks, and stops there once cancelled', async () => {
    // 70 min at 250 Hz (3 chunks): a narrow bump every 0.8 s
    const fs = 250;
    const x = new Float32Array(70 * 60 * fs);
    for (let r = 100; r < x.length - 10; r += 200) for (let k = -6; k <= 6; k++) x[r + k] = Math.exp(-(k * k) / 8);
    const all = await startDetection([x], fs).finish();
    expect(Math.abs(all.length - x.length / 200)).toBeLessThan(x.length / 200 / 50);
    const ac = new AbortController();
    setImmediate(() => ac.abort()); // a Ctrl-C handler: it runs at the event loop's first turn, after the first chunk
    const err = await startDetection([x], fs)
      .finish(ac.signal)
      .then(
        () => null,
        (e: unknown) => e
      );
    expect((err as Error | null)?.name).toBe('CancelledError');
  });

  it("in process, an abort that waits for a turn of the event loop (the CLI's Ctrl-C handler) stops the rules' analysis too", async () => {
    // the rules scorer never waits on a native call: only the pipeline's checkpoints let the abort in
    const ac = new AbortController();
    let asked = false;
    const err = await analyzeRecord(
      record,
      { useRules: true, cacheDir: null, beats: 'reference' },
      {
        cancel: ac.signal,
        onProgress: (p) => {
          if (p.stage === 'windows' && !asked) {
            asked = true;
            setImmediate(() => ac.abort());
          }
        },
      }
    ).then(
      () => null,
      (e: unknown) => e
    );
    expect(asked).toBe(true);
    expect((err as Error | null)?.name).toBe('CancelledError');
  });
});

describe('outputs of analyze', () => {
  it('annotation file round-trips: one beat per beat, rhythm changes, pause notes', async () => {
    const a = await analyzeRecord(record, { useRules: true, cacheDir: null, beats: 'reference' });
    const file = join(dir, 'out.pvc');
    await writeAnnotations(file, analysisAnnotations(a));
    const back = await readAnnotationFile(file);
    const beats = back.filter((x) => ['N', 'A', 'V', 'F', 'Q'].includes(mnemonic(x.code)));
    expect(beats.map((x) => x.sample)).toEqual(Array.from(a.beats.sample));
    expect(beats.filter((x) => mnemonic(x.code) === 'V')).toHaveLength(a.summary.pvcCount);
    const rhythm = back.filter((x) => mnemonic(x.code) === '+').map((x) => x.aux?.replace(/\0/g, ''));
    expect(rhythm).toEqual(['(N', '(VT', '(N', '(AFIB', '(N']);
    expect(back.filter((x) => x.aux?.startsWith('PAUSE'))).toHaveLength(1);
    const csv = new TextDecoder().decode(beatsCsv(a)).trim().split('\n');
    expect(csv).toHaveLength(a.beats.sample.length + 1);
    expect(csv[0]).toBe('sample,time_s,label,pvc_score,rr_ms,explanation');
    const json = analysisJson(a);
    for (const k of ['record', 'durationSec', 'beats', 'pvcCount', 'pvcBurden', 'afBurden', 'episodes', 'threshold', 'models', 'provider', 'timingsMs'])
      expect(json).toHaveProperty(k);
    expect(json.provider).toBe('rules');
  });
});

describe('analysis:* channels', () => {
  it('run → progress events → result → threshold, through the handler table', async () => {
    const cache = join(dir, 'ipc-cache');
    process.env.HEARTBEAT_CACHE_DIR = cache;
    process.env.HEARTBEAT_MODELS_DIR = modelsDir;
    try {
      const table = createHandlerTable('bridge', { resourcesDir: join(dir, 'none'), dataDir: dir });
      const events: { jobId: string; fraction: number }[] = [];
      const ctx: HandlerContext = { transport: 'bridge', emit: (_n, p) => events.push(p) };
      const { jobId } = (await dispatch(table, 'analysis:run', { path: record, beats: 'reference' }, ctx)) as { jobId: string };
      const a = (await dispatch(table, 'analysis:result', { jobId }, ctx)) as Analysis;
      expect(a.record).toBe('demo4');
      expect(a.models[0]!.id).toBe('beat-pvc');
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((e) => e.jobId === jobId)).toBe(true);
      const b = (await dispatch(table, 'analysis:threshold', { jobId, threshold: 0.99 }, ctx)) as Analysis;
      expect(b.threshold).toBe(0.99);
      expect(noTimings(b)).toEqual(noTimings(applyThreshold(a, 0.99)));
      expect(await dispatch(table, 'analysis:cancel', { jobId }, ctx)).toEqual({ cancelled: false });
      await expect(dispatch(table, 'analysis:result', { jobId: 'nope' }, ctx)).rejects.toThrow(/No analysis job/);
      await expect(dispatch(table, 'analysis:run', { path: record, beats: 'sometimes' }, ctx)).rejects.toThrow(/Invalid request/);
      expect(existsSync(cache)).toBe(true);
    } finally {
      delete process.env.HEARTBEAT_CACHE_DIR;
      delete process.env.HEARTBEAT_MODELS_DIR;
    }
  });
});
