// Train/serve parity of the beat model: what an analysis feeds the ONNX session (windows, templates,
// RR features, captured at session.run) equals, beat for beat, what `heartbeat-sensei dataset`
// writes for the same record and reference beats once the training loader's lead input is applied
// (hbs.beat_model.app_lead_input, whose TypeScript twin is applyLeadInput). A record with beats
// whose lead 0 is off (mitdb 116) and a one-lead 250 Hz record (cudb cu01) cover both lead inputs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEAT_LEADS, BEAT_WINDOW, BEAT_FLAG, N_RR, applyLeadInput } from '../../src/main/beats';
import { analyzeRecord } from '../../src/main/analysis';
import { recordBeats, resolveRecords } from '../../src/main/dataset';
import { ort } from '../../src/main/inference/ort';
import { dataPath, needData } from '../helpers/data';

const ROW = BEAT_LEADS * BEAT_WINDOW;
type Feeds = Record<string, { data: unknown }>;
type Runnable = { run: (feeds: Feeds, ...rest: unknown[]) => Promise<unknown> };
/** The sessions' prototype: run() wrapped to see what the analysis feeds (the factory type hides it). */
const sessionProto = (ort.InferenceSession as unknown as { prototype: Runnable }).prototype;

/** Every beat-model feed of one analysis, concatenated in beat order. */
async function servedInputs(path: string): Promise<{ window: Float32Array; template: Float32Array; rr: Float32Array }> {
  const parts: Record<'window' | 'template' | 'rr', Float32Array[]> = { window: [], template: [], rr: [] };
  const proto = sessionProto;
  const run = proto.run;
  proto.run = function (this: unknown, feeds: Feeds, ...rest: unknown[]) {
    if (feeds.window) for (const k of ['window', 'template', 'rr'] as const) parts[k].push(Float32Array.from(feeds[k]!.data as Float32Array));
    return run.call(this, feeds, ...rest);
  };
  try {
    await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1, beatBatch: 100 });
  } finally {
    proto.run = run;
  }
  const cat = (a: Float32Array[]) => {
    const out = new Float32Array(a.reduce((s, x) => s + x.length, 0));
    a.reduce((o, x) => (out.set(x, o), o + x.length), 0);
    return out;
  };
  return { window: cat(parts.window), template: cat(parts.template), rr: cat(parts.rr) };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

const cases = [
  { db: 'mitdb', name: '116', flag: BEAT_FLAG.LEAD0_OFF },
  { db: 'cudb', name: 'cu01', flag: BEAT_FLAG.LEAD1_COPIED },
];

describe.each(cases)('train/serve parity of the beat model inputs, $db $name', ({ db, name, flag }) => {
  const has = needData(db);
  let served: Awaited<ReturnType<typeof servedInputs>>;
  let trained: { window: Float32Array; template: Float32Array; rr: Float32Array; flags: Uint8Array };
  const original = sessionProto.run;

  beforeAll(async () => {
    if (!has) return;
    const path = dataPath(db, name);
    served = await servedInputs(path);
    const rows = await recordBeats(resolveRecords([path])[0]!);
    const n = rows.labels.length;
    applyLeadInput(rows.windows, rows.flags, n, 'zeros');
    applyLeadInput(rows.template, rows.flags, n, 'zeros');
    trained = { window: rows.windows, template: rows.template, rr: rows.rr, flags: rows.flags };
  }, 120_000);
  afterAll(() => expect(sessionProto.run).toBe(original));

  it.skipIf(!has)('feeds the model exactly the dataset rows the training loader reads', () => {
    const n = trained.rr.length / N_RR;
    expect(trained.flags.some((f) => (f & flag) !== 0)).toBe(true); // the lead input under test is exercised
    expect(served.rr.length / N_RR).toBe(n);
    expect(served.window.length).toBe(n * ROW);
    expect(served.template.length).toBe(n * ROW);
    expect(maxAbsDiff(served.rr, trained.rr)).toBe(0);
    expect(maxAbsDiff(served.window, trained.window)).toBe(0);
    expect(maxAbsDiff(served.template, trained.template)).toBe(0);
  });
});
