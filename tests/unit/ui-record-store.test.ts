// The record store on a plain session state with a scripted main process (the Api) and the real
// review store (fake-indexeddb): opening lays the reference beats under the review with the saved
// edits, the analysis replaces them keeping the edits, a threshold change is re-cut in main, and an
// export refused for overwriting a file confirms that file, and no other, on the next try.
import { describe, expect, it } from 'vitest';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Analysis } from '../../src/shared/analysis';
import type { Api, RecordInfo } from '../../src/shared/contract';
import type { AnnotationSet } from '../../src/shared/review';
import { DEFAULT_SCAN_SETTINGS } from '../../src/shared/scan-settings';
import { ReviewDb, ReviewStore } from '../../src/renderer/src/lib/db';
import { ReviewModel } from '../../src/renderer/src/lib/review-model';
import { RecordStore, defaultThresholdKey, type SessionState } from '../../src/renderer/src/lib/record-store';

const FS = 360;
const N = 10;
const samples = Int32Array.from({ length: N }, (_, i) => 200 + i * 300);
const info: RecordInfo = {
  path: '/d/rec.hea',
  name: 'rec',
  fs: FS,
  nFrames: 4000,
  durationSec: 4000 / FS,
  baseTime: null,
  baseDate: null,
  signals: [],
  annotators: ['atr'],
  warnings: [],
};
const atr: AnnotationSet = {
  annotator: 'atr',
  sample: samples,
  code: new Uint8Array(N).fill(1),
  aami: Int8Array.from({ length: N }, (_, i) => (i === 4 ? 2 : 0)),
  symbol: Array(N).fill('N'),
  aux: Array(N).fill(''),
};
const pvc = Float32Array.from({ length: N }, (_, i) => (i === 4 ? 0.9 : i === 6 ? 0.4 : 0.05));
const probs = new Float32Array(N * 5);
pvc.forEach((p, i) => ((probs[i * 5] = 1 - p), (probs[i * 5 + 2] = p)));
const analysis = {
  record: 'rec',
  recordHash: 'h1',
  fs: FS,
  threshold: 0.5,
  beats: { sample: samples, probs, pvcScore: pvc, label: new Uint8Array(N) },
  episodes: [],
  summary: {},
  models: [],
} as unknown as Analysis;

/** Main's side: answers each channel, records what was asked. */
function fakeApi(result: () => Analysis = () => analysis) {
  const calls: { channel: string; request: Record<string, unknown> }[] = [];
  let refuse: string | null = null;
  /** With held(), each analysis runs until analysis:cancel, which rejects it as main does (CANCELLED). */
  let hold = false;
  let jobs = 0;
  const running = new Map<string, () => void>();
  const answers: Record<string, (r: Record<string, unknown>) => unknown> = {
    'record:list': () => ({ folder: false, dir: '', records: [] }),
    'record:open': () => info,
    'record:hash': () => ({ hash: 'h1' }),
    'record:annotations': () => atr,
    'analysis:run': () => ({ jobId: `job${++jobs}` }),
    'analysis:result': (r) =>
      hold ? new Promise((_, fail) => running.set(r.jobId as string, () => fail(Object.assign(new Error('cancelled'), { code: 'CANCELLED' })))) : result(),
    'analysis:cancel': (r) => {
      running.get(r.jobId as string)?.();
      return {};
    },
    'analysis:threshold': (r) => ({
      summary: {},
      episodes: [{ type: 'VT', onsetSample: 10, offsetSample: 900, confidence: 1, explanation: 'x', source: 'model' }],
      threshold: r.threshold,
      recording: { label: 'VT', confidence: 1, sample: 10, explanation: `VT at ${r.threshold as number}` },
    }),
    'export:write': (r) => {
      if (refuse && r.confirmOverwrite !== refuse) throw Object.assign(new Error(`${refuse} exists`), { code: 'CONFIRM_OVERWRITE', file: refuse });
      return { file: '/d/rec.rev', beats: (r.review as { beats: unknown[] }).beats.length, episodes: 0 };
    },
  };
  const api: Api = {
    invoke: async (channel, request) => {
      calls.push({ channel, request: request as Record<string, unknown> });
      const answer = answers[channel];
      if (!answer) throw new Error(`unexpected ${channel}`);
      return answer(request as Record<string, unknown>) as never;
    },
    on: () => () => {},
  };
  return { api, calls, refuseOverwriteOf: (file: string) => (refuse = file), held: (on = true) => (hold = on), running };
}

function session(): SessionState {
  return {
    info: null,
    analysis: null,
    beats: null,
    version: 0,
    labelVersion: 0,
    threshold: 0.5,
    queueOrder: 'time',
    current: -1,
    selection: new Set(),
    pending: null,
    baseEpisodes: [],
    episodeEdits: new Map(),
    reviewer: 'ana',
    autoAdvance: true,
    error: null,
    notice: null,
    hash: '',
    reference: null,
    scan: { ...DEFAULT_SCAN_SETTINGS },
    reportStrips: [],
    folder: null,
    busy: null,
    progress: null,
    recent: [],
    job: null,
    exportFormat: 'wfdb',
    exportAnnotator: 'rev',
    exportDir: '',
    lastExport: null,
    confirmAtr: false,
    confirmFile: null,
  };
}

// analyses by the shipped beat model and by a version fine-tuned from it (each with its own threshold)
const beat = { task: 'beat', id: 'beat-pvc', version: '3.7.0', provider: 'cpu' } as const;
const shipped = { ...analysis, threshold: 0.095, models: [beat] } as unknown as Analysis;
const tuned = { ...analysis, threshold: 0.005, models: [{ ...beat, id: 'beat-pvc-ft1', version: '3.7.0-ft.1' }] } as unknown as Analysis;

async function setup(dbName: string, indexedDB = new IDBFactory(), result?: () => Analysis) {
  const s = session();
  const main = fakeApi(result);
  const store = new ReviewStore(new ReviewDb(dbName, { indexedDB, IDBKeyRange }));
  let record: RecordStore | null = null;
  const review = new ReviewModel(s, {
    save: (changes, label) => store.applySoon({ hash: s.hash, changes, who: s.reviewer, action: label }),
    saveCursor: (c) => record!.saveCursor(c),
  });
  record = new RecordStore(s, review, main.api, store);
  await record.init();
  return { s, main, store, review, record };
}

const until = async (ok: () => boolean) => {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
};

describe('record store', () => {
  it("opens a record with its saved edits, on the analysis's beats once it is done, keeping the edits", async () => {
    const idb = new IDBFactory();
    const first = await setup('rs1', idb);
    await first.record.open('/d/rec.dat');
    await until(() => first.s.analysis !== null);
    first.s.current = samples[2]!;
    await first.review.relabel('S');

    // a reload: a new session on the same database
    const { s, main, record } = await setup('rs1', idb);
    await record.open('/d/rec.dat');
    expect(s.info?.name).toBe('rec');
    await until(() => s.analysis !== null);
    expect(s.beats!.source.origin).toBe('analysis');
    expect(s.beats!.label(2, 0.5)).toBe('S');
    expect(s.beats!.label(4, 0.5)).toBe('V');
    expect(s.beats!.ref[4]).toBe(2);
    expect(main.calls.map((c) => c.channel)).toEqual(['record:list', 'record:open', 'record:hash', 'record:annotations', 'analysis:run', 'analysis:result']);
  });

  it('an analysis counting beats at another rate than the trace shows is refused by name, not laid out misplaced', async () => {
    // a multi-frequency record analysed on a lead of other samples per frame than the trace's
    const { s, record } = await setup('rs1b', new IDBFactory(), () => ({ ...analysis, fs: 4 * FS }) as Analysis);
    await record.open(info.path);
    await until(() => s.error !== null);
    expect(s.error).toBe('The analysis of /d/rec.hea counts its beats at 1440 Hz, the trace shows the record at 360 Hz: its beats are not shown.');
    expect(s.analysis).toBeNull();
    expect(s.beats!.source.origin).toBe('reference');
  });

  it('a threshold change is re-cut in main once the slider pauses, and the episodes follow', async () => {
    const { s, main, record } = await setup('rs2');
    await record.open(info.path);
    await until(() => s.analysis !== null);
    record.setThreshold(0.3);
    record.setThreshold(0.35);
    await until(() => s.baseEpisodes.length === 1);
    const recuts = main.calls.filter((c) => c.channel === 'analysis:threshold');
    expect(recuts.map((c) => c.request.threshold)).toEqual([0.35]);
    expect(s.analysis!.threshold).toBe(0.35);
    // the recording's call follows the re-cut episodes (the status bar and the report read it)
    expect(s.analysis!.recording?.explanation).toBe('VT at 0.35');
  });

  it('the threshold keys wait for the analysis; a saved default applies to the beat model version and lead count it was saved for', async () => {
    const oneLead = { ...analysis, threshold: 0.133, models: [{ ...beat, singleLeadInput: 'copy' }] } as unknown as Analysis;
    let result = oneLead;
    const idb = new IDBFactory();
    const { s, main, record, store } = await setup('rs3', idb, () => result);
    main.held();
    await record.open(info.path);
    await until(() => main.running.has('job1'));
    // a ] before the analysis: the placeholder is not the model's threshold, so nothing moves
    record.setThreshold(s.threshold + 0.01);
    expect(s.threshold).toBe(0.5);
    expect(s.notice).toBe('The threshold applies once the record is analysed.');
    main.held(false);
    void record.analyse();
    await until(() => s.analysis !== null);
    expect(s.threshold).toBe(0.133);
    expect(main.calls.filter((c) => c.channel === 'analysis:run').every((c) => c.request.threshold === undefined)).toBe(true);
    record.setThreshold(0.2);
    await record.saveDefaultThreshold();
    expect(s.notice).toBe('Default threshold set to 0.200 for one-lead records analysed by beat-pvc 3.7.0.');
    expect(await store.setting(defaultThresholdKey(oneLead), -1)).toBe(0.2);

    // a record without a threshold of its own, the default saved: applied to one-lead analyses by that model, not to two-lead ones
    const other = await setup('rs3b', idb, () => result);
    await other.store.setSetting(defaultThresholdKey(oneLead), 0.2);
    await other.record.open(info.path);
    await until(() => other.s.analysis !== null);
    await until(() => other.main.calls.some((c) => c.channel === 'analysis:threshold'));
    expect(other.s.threshold).toBe(0.2);
    result = shipped; // two leads
    const third = await setup('rs3c', idb, () => result);
    await third.store.setSetting(defaultThresholdKey(oneLead), 0.2);
    await third.record.open(info.path);
    await until(() => third.s.analysis !== null);
    expect(third.s.threshold).toBe(0.095);
  });

  it("a record's own threshold holds for the beat model it was set for; a fine-tuned version accepted starts from its own", async () => {
    let result = shipped;
    const idb = new IDBFactory();
    const { s, record, store } = await setup('rs8', idb, () => result);
    await record.open(info.path);
    await until(() => s.analysis !== null);
    record.setThreshold(0.3);
    const row = async () => (await store.recent()).find((r) => r.hash === 'h1');
    for (let i = 0; i < 100 && (await row())?.thresholds?.[defaultThresholdKey(shipped)] !== 0.3; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await row())?.thresholds).toEqual({ [defaultThresholdKey(shipped)]: 0.3 });
    // the version accepted: the record is analysed again, at the version's threshold (its card's figures are at it)
    result = tuned;
    await record.analyse();
    expect(s.threshold).toBe(0.005);
    record.setThreshold(0.01); // a nudge under the version is the version's
    // rolled back: the reviewer's threshold for the shipped model again
    result = shipped;
    await record.analyse();
    expect(s.threshold).toBe(0.3);
    result = tuned;
    await record.analyse();
    expect(s.threshold).toBe(0.01);
  });

  it('a threshold saved before thresholds were kept per model is taken by the first model it meets, and only by it', async () => {
    let result = shipped;
    const { s, record, store } = await setup('rs9', new IDBFactory(), () => result);
    await store.openRecord('h1', 'rec', info.path);
    await store.updateRecord('h1', { threshold: 0.4 });
    await record.open(info.path);
    await until(() => s.analysis !== null);
    expect(s.threshold).toBe(0.4);
    result = tuned;
    await record.analyse();
    expect(s.threshold).toBe(0.005);
    const row = (await store.recent()).find((r) => r.hash === 'h1');
    expect([row?.threshold, row?.thresholds]).toEqual([undefined, { [defaultThresholdKey(shipped)]: 0.4 }]);
  });

  it('a threshold saved with the model it was set for holds for that model only', async () => {
    let result = tuned;
    const { s, record, store } = await setup('rs10', new IDBFactory(), () => result);
    await store.openRecord('h1', 'rec', info.path);
    await store.updateRecord('h1', { threshold: 0.7, thresholdKey: defaultThresholdKey(shipped) });
    await record.open(info.path);
    await until(() => s.analysis !== null);
    expect(s.threshold).toBe(0.005);
    result = shipped;
    await record.analyse();
    expect(s.threshold).toBe(0.7);
  });

  it('a default saved before defaults were kept per model is taken by the first two-lead analysis, and only by it', async () => {
    const oneLead = { ...analysis, threshold: 0.133, models: [{ ...beat, singleLeadInput: 'copy' }] } as unknown as Analysis;
    let result = oneLead;
    const idb = new IDBFactory();
    const first = await setup('rs11', idb, () => result);
    await first.store.setSetting('defaultThreshold', 0.25);
    await first.record.open(info.path);
    await until(() => first.s.analysis !== null);
    // one lead: another calibration, the old default is not its own
    expect(first.s.threshold).toBe(0.133);
    expect(await first.store.setting('defaultThreshold', -1)).toBe(0.25);
    result = shipped;
    const second = await setup('rs11', idb, () => result);
    await second.record.open(info.path);
    await until(() => second.s.analysis !== null);
    expect(second.s.threshold).toBe(0.25);
    expect(second.s.notice).toBe('Your saved default threshold 0.250 now applies to two-lead records analysed by beat-pvc 3.7.0.');
    expect(await second.store.setting(defaultThresholdKey(shipped), -1)).toBe(0.25);
    expect(await second.store.setting('defaultThreshold', -1)).toBe(-1);
    // a fine-tuned version analysed next starts from its own threshold
    result = tuned;
    await second.record.analyse();
    expect(second.s.threshold).toBe(0.005);
  });

  it('a default saved before defaults were kept per model is not taken by the rule fallback (another scale of P(V))', async () => {
    // the rules analyse when the beat model cannot (a models folder missing, a model that failed): a two-lead analysis too
    const rules = {
      ...analysis,
      threshold: 0.5,
      models: [{ task: 'beat', id: 'rules', version: '1', provider: 'rules', note: 'no beat model' }],
    } as unknown as Analysis;
    let result = rules;
    const idb = new IDBFactory();
    const first = await setup('rs12', idb, () => result);
    await first.store.setSetting('defaultThreshold', 0.25);
    await first.record.open(info.path);
    await until(() => first.s.analysis !== null);
    expect(first.s.threshold).toBe(0.5);
    expect(await first.store.setting('defaultThreshold', -1)).toBe(0.25);
    expect(await first.store.setting(defaultThresholdKey(rules), -1)).toBe(-1);
    // the model analyses again: the reviewer's default is there for it
    result = shipped;
    const second = await setup('rs12', idb, () => result);
    await second.record.open(info.path);
    await until(() => second.s.analysis !== null);
    expect(second.s.threshold).toBe(0.25);
  });

  it('a default saved before defaults were kept per model is not taken by a fine-tuned version (its threshold is its own)', async () => {
    const idb = new IDBFactory();
    const { s, record, store } = await setup('rs12', idb, () => tuned);
    await store.setSetting('defaultThreshold', 0.25);
    await record.open(info.path);
    await until(() => s.analysis !== null);
    expect(s.threshold).toBe(0.005);
    expect(await store.setting('defaultThreshold', -1)).toBe(0.25);
  });

  it("cancelling the open record's analysis says so; the analysis cancelled by opening another record says nothing", async () => {
    const { s, main, record } = await setup('rs4');
    main.held();
    await record.open(info.path);
    await until(() => s.job === 'job1' && main.running.has('job1'));
    // another record opened while the first is analysed: its analysis is cancelled, no notice about it
    await record.open('/d/other');
    await until(() => s.job === 'job2' && main.running.has('job2'));
    await until(() => main.calls.some((c) => c.channel === 'analysis:cancel' && c.request.jobId === 'job1'));
    await new Promise((r) => setTimeout(r, 20));
    expect(s.notice ?? '').not.toMatch(/cancelled/);
    expect(s.error).toBeNull();
    // the reviewer cancels the open record's analysis: the notice says what is shown
    await record.cancelAnalysis();
    await until(() => s.notice !== null);
    expect(s.notice).toContain('Analysis cancelled: showing the reference annotations');
  });

  it('a re-analysis (a model accepted or rolled back) replaces a running one, which is cancelled without a word', async () => {
    const { s, main, record } = await setup('rs5');
    await record.open(info.path);
    await until(() => s.analysis !== null);
    main.held();
    void record.analyse();
    await until(() => s.job === 'job2' && main.running.has('job2'));
    void record.analyse();
    await until(() => s.job === 'job3' && main.running.has('job3'));
    await until(() => main.calls.some((c) => c.channel === 'analysis:cancel' && c.request.jobId === 'job2'));
    await new Promise((r) => setTimeout(r, 20));
    expect(s.notice ?? '').not.toMatch(/cancelled/);
    // cancelling the running one keeps the analysis on screen, and says so
    await record.cancelAnalysis();
    await until(() => s.notice !== null && /cancelled/.test(s.notice));
    expect(s.notice).toContain('keeping the analysis before it');
    expect(s.analysis).not.toBeNull();
  });

  it('a recent-records list that cannot be written says so and still analyses the record', async () => {
    const { s, store, record } = await setup('rs6');
    store.setSetting = async () => {
      throw new Error('quota exceeded');
    };
    await record.open(info.path);
    await until(() => s.analysis !== null);
    expect(s.error).toContain('Could not update the list of recent records: quota exceeded');
    expect(s.info?.name).toBe('rec');
  });

  it('a threshold, scan setting or cursor that cannot be saved says so', async () => {
    const { s, store, record } = await setup('rs7');
    await record.open(info.path);
    await until(() => s.analysis !== null);
    store.updateRecord = async () => {
      throw new Error('quota exceeded');
    };
    store.setSetting = async () => {
      throw new Error('disk full');
    };
    record.setThreshold(0.4);
    await until(() => s.error !== null);
    expect(s.error).toBe("Could not save this record's threshold (quota exceeded): it holds until the app is closed.");
    s.error = null;
    record.setScan({ pauseSec: 3 });
    await until(() => s.error !== null);
    expect(s.error).toContain('Could not save the scan settings (disk full)');
    s.error = null;
    record.saveCursor(1234);
    await until(() => s.error !== null);
    expect(s.error).toContain('Could not save where you are in the record');
  });

  it('an export refused for overwriting a file confirms that file on the next click, not by the E key', async () => {
    const { s, main, record } = await setup('rs3');
    await record.open(info.path);
    await until(() => s.analysis !== null);
    main.refuseOverwriteOf('/d/rec.rev');
    expect(await record.exportReview()).toBeNull();
    expect(s.confirmAtr).toBe(true);
    expect(s.error).toContain('/d/rec.rev exists');
    // the E key does not confirm it (pressed twice it would replace a file unseen): the armed confirmation stays
    expect(await record.exportReview(false)).toBeNull();
    expect(s.notice).toContain('click "Replace rec.rev"');
    expect(s.confirmAtr).toBe(true);
    expect(main.calls.filter((c) => c.channel === 'export:write')).toHaveLength(1);
    // another annotator: another file, so the confirmation no longer holds (and E exports again)
    s.exportAnnotator = 'rev2';
    expect(record.confirmArmed()).toBe(false);
    s.exportAnnotator = 'rev';
    expect(record.confirmArmed()).toBe(true);
    const res = await record.exportReview();
    expect(res?.beats).toBe(N);
    const writes = main.calls.filter((c) => c.channel === 'export:write');
    expect(writes[0]!.request.confirmOverwrite).toBeUndefined();
    expect(writes[1]!.request.confirmOverwrite).toBe('/d/rec.rev');
    expect(s.lastExport).toBe('/d/rec.rev');
  });
});
