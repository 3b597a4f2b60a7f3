// Train/serve parity of the rhythm model: the windows an analysis feeds the ONNX session (captured at
// session.run) equal, window for window, the rows `heartbeat-sensei dataset --kind rhythm` writes for
// the same record at the training stride (5 s), matched by their start sample at the record's rate
// (the sample the training label was taken from). Long records are scored every 10 s, so their
// windows are a subset of the training rows, filtered in other chunks (float rounding only); strips
// use the training stride and give the same bits. Cases: 360 Hz AF (mitdb 201), 128 Hz (svdb 800),
// 250 Hz one lead with invalid samples filled (cudb cu05), a 60-s and a 9-s CinC 2017 strip at
// 300 Hz (the short one zero-padded to one window on both sides).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { recordRhythm, resolveRecords } from '../../src/main/dataset';
import { ort } from '../../src/main/inference/ort';
import { RHYTHM_WINDOW, RHYTHM_WINDOW_SEC } from '../../src/main/rhythm/windows';
import { dataPath, needData } from '../helpers/data';

type Feeds = Record<string, { data: unknown }>;
type Runnable = { run: (feeds: Feeds, ...rest: unknown[]) => Promise<unknown> };
const sessionProto = (ort.InferenceSession as unknown as { prototype: Runnable }).prototype;

interface Served {
  x: Float32Array;
  startSample: Int32Array;
  windowSamples: number;
  fs: number;
}

/** Every rhythm-model feed of one analysis, in window order, with the windows' starts and length as the episodes read them. */
async function servedWindows(path: string): Promise<Served> {
  const parts: Float32Array[] = [];
  const run = sessionProto.run;
  sessionProto.run = function (this: unknown, feeds: Feeds, ...rest: unknown[]) {
    if (feeds.ecg) parts.push(Float32Array.from(feeds.ecg.data as Float32Array));
    return run.call(this, feeds, ...rest);
  };
  let seen: Omit<Served, 'x'> | null = null;
  try {
    await analyzeRecord(
      path,
      { beats: 'detector', cacheDir: null, threads: 1, parallel: false },
      { onRhythm: (r) => (seen = { startSample: Int32Array.from(r.startSample), windowSamples: r.windowSamples, fs: r.fs }) }
    );
  } finally {
    sessionProto.run = run;
  }
  const x = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  parts.reduce((o, p) => (x.set(p, o), o + p.length), 0);
  return { x, ...seen! };
}

const cases = [
  { db: 'mitdb', name: '201', tol: 1e-5 },
  { db: 'svdb', name: '800', tol: 1e-5 },
  { db: 'cudb', name: 'cu05', tol: 1e-5 },
  { db: 'cinc2017', name: 'A00003', tol: 0 },
  { db: 'cinc2017', name: 'A05493', tol: 0 },
];

describe.each(cases)('train/serve parity of the rhythm model inputs, $db $name', ({ db, name, tol }) => {
  const has = needData(db);
  let served: Served;
  let trained: Awaited<ReturnType<typeof recordRhythm>>;
  const original = sessionProto.run;

  beforeAll(async () => {
    if (!has) return;
    const path = dataPath(db, name);
    served = await servedWindows(path);
    trained = await recordRhythm(resolveRecords([path])[0]!);
  }, 120_000);
  afterAll(() => expect(sessionProto.run).toBe(original));

  it.skipIf(!has)('feeds the model the dataset row that starts at the same sample, and reads it over the labelled span', () => {
    const n = served.startSample.length;
    expect(n).toBeGreaterThan(0);
    expect(served.x.length).toBe(n * RHYTHM_WINDOW);
    // the episodes span each window over the samples its training label covered
    expect(served.windowSamples).toBe(Math.round(RHYTHM_WINDOW_SEC * trained.meta.fs));
    const row = new Map<number, number>();
    trained.start.forEach((s, i) => row.set(s, i));
    let matched = 0;
    let maxDiff = 0;
    for (let w = 0; w < n; w++) {
      const i = row.get(served.startSample[w]!);
      if (i === undefined) continue; // a window without a majority class is not in the dataset
      matched++;
      for (let j = 0; j < RHYTHM_WINDOW; j++) maxDiff = Math.max(maxDiff, Math.abs(served.x[w * RHYTHM_WINDOW + j]! - trained.x[i * RHYTHM_WINDOW + j]!));
    }
    expect(matched).toBeGreaterThanOrEqual(n - trained.meta.skipped);
    expect(maxDiff).toBeLessThanOrEqual(tol);
  });
});
