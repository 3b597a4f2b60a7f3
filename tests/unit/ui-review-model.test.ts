// The review model on a plain state object (no Svelte): commands and what they save, undo/redo,
// the flagged-beat queue, the selection spent once applied or undone, bulk actions held for a
// confirmation, a beat add held near a T wave, episode decisions, and the export/import round trip.
import { describe, expect, it } from 'vitest';
import type { RecordInfo } from '../../src/shared/contract';
import type { Episode } from '../../src/shared/analysis';
import type { BaseBeats } from '../../src/renderer/src/lib/beats';
import type { Change } from '../../src/renderer/src/lib/history';
import { ReviewModel, type ReviewState } from '../../src/renderer/src/lib/review-model';
import { importedChanges, reviewExportOf, type ImportTarget } from '../../src/renderer/src/lib/review-export';

const FS = 360;
const RR = 288; // 0.8 s
const N = 20;
// P(V) per beat: flagged at 0.5 are beats 3 (0.9), 7 (0.55), 12 (0.7), 15 (0.95)
const SCORES: Record<number, number> = { 3: 0.9, 7: 0.55, 12: 0.7, 15: 0.95 };

function source(): BaseBeats {
  const sample = Int32Array.from({ length: N }, (_, i) => 100 + i * RR);
  const pvcScore = Float32Array.from({ length: N }, (_, i) => SCORES[i] ?? 0.02);
  const probs = new Float32Array(N * 5);
  for (let i = 0; i < N; i++) {
    probs[i * 5] = 1 - pvcScore[i]!;
    probs[i * 5 + 2] = pvcScore[i]!;
  }
  return { origin: 'analysis', sample, probs, pvcScore, baseLabel: new Uint8Array(N) };
}

const AF: Episode = { type: 'AF', onsetSample: 1000, offsetSample: 4000, confidence: 0.8, explanation: 'irregular', source: 'model' };

function setup(over: Partial<ReviewState> = {}) {
  const state: ReviewState = {
    info: { fs: FS, nFrames: 100 + N * RR, path: '/r/x', name: 'x' } as RecordInfo,
    analysis: null,
    beats: null,
    version: 0,
    labelVersion: 0,
    threshold: 0.5,
    queueOrder: 'time',
    current: -1,
    selection: new Set(),
    pending: null,
    baseEpisodes: [AF],
    episodeEdits: new Map(),
    reviewer: 'ana',
    autoAdvance: true,
    error: null,
    notice: null,
    ...over,
  };
  const saved: { label: string; changes: Change[] }[] = [];
  const cursors: number[] = [];
  const model = new ReviewModel(
    state,
    { save: async (changes, label) => void saved.push({ label, changes }), saveCursor: (c) => cursors.push(c) },
    () => '2026-12-04T00:00:00Z'
  );
  model.setBeats(source(), null, []);
  const at = (i: number) => 100 + i * RR;
  return { state, model, saved, cursors, at };
}

describe('review model', () => {
  it('J walks the flagged beats in time order, saves the cursor, and says when the queue ends', () => {
    const { state, model, cursors, at } = setup();
    expect([...model.queue()]).toEqual([3, 7, 12, 15]);
    model.next();
    expect(state.current).toBe(at(3));
    expect(model.currentIndex()).toBe(3);
    model.next();
    model.next();
    model.next();
    expect(state.current).toBe(at(15));
    model.next();
    expect(state.current).toBe(at(15));
    expect(state.notice).toBe('End of the flagged-beat queue.');
    expect(cursors).toEqual([at(3), at(7), at(12), at(15)]);
    model.next(-1);
    expect(state.current).toBe(at(12));
  });

  it('a relabel is one saved, undoable step that moves on; undo and redo restore it and go back to the beat', async () => {
    const { state, model, saved, at } = setup();
    model.next();
    const labelVersion = state.labelVersion;
    await model.relabel('N');
    expect(state.beats!.label(3, 0.5)).toBe('N');
    expect(state.beats!.edit(3)).toMatchObject({ status: 'relabelled', who: 'ana' });
    expect(state.labelVersion).toBe(labelVersion + 1);
    expect(state.current).toBe(at(7));
    expect(saved.map((s) => s.label)).toEqual(['relabel N']);
    expect(model.reviewedInQueue()).toBe(1);

    await model.undo();
    expect(state.beats!.label(3, 0.5)).toBe('V');
    expect(state.beats!.edit(3)).toBeUndefined();
    expect(state.current).toBe(at(3));
    expect(state.notice).toBe('undo relabel N');
    await model.redo();
    expect(state.beats!.label(3, 0.5)).toBe('N');
    expect(saved.map((s) => s.label)).toEqual(['relabel N', 'undo relabel N', 'relabel N']);
  });

  it('confirming the predicted label keeps it and counts as reviewed without a label change', async () => {
    const { state, model } = setup();
    model.next();
    const labelVersion = state.labelVersion;
    await model.confirm();
    expect(state.beats!.edit(3)).toMatchObject({ label: 'V', status: 'confirmed' });
    expect(state.labelVersion).toBe(labelVersion);
    expect(model.reviewedTotal()).toBe(1);
  });

  it('an action on more than five selected beats waits for a confirmation; the selection is spent once applied or undone', async () => {
    const { state, model, saved, at } = setup();
    model.select([0, 1, 2, 4, 5, 6, 8].map(at));
    await model.relabel('S');
    expect(state.pending).toMatchObject({ action: { kind: 'relabel', label: 'S' } });
    expect(state.pending!.samples).toHaveLength(7);
    expect(saved).toHaveLength(0);
    await model.confirmPending();
    expect(saved.map((s) => s.label)).toEqual(['relabel 7 beats S']);
    expect(state.selection.size).toBe(0);
    expect(state.pending).toBeNull();

    // an undo leaves nothing armed: the next label key acts on the current beat alone
    model.select([9, 10, 11].map(at));
    await model.undo();
    expect(state.selection.size).toBe(0);
    expect(state.current).toBe(at(0));
    await model.relabel('V');
    expect(saved.at(-1)!.changes).toHaveLength(1);
  });

  it("undoing a relabel of a day's beats (150k) goes back to its first beat", async () => {
    const { state, model } = setup();
    const n = 150_000;
    const sample = Int32Array.from({ length: n }, (_, i) => 100 + i * RR);
    model.setBeats({ origin: 'analysis', sample, probs: new Float32Array(n * 5), pvcScore: new Float32Array(n), baseLabel: new Uint8Array(n) }, null, []);
    state.info = { ...state.info!, nFrames: 100 + n * RR };
    model.select(Array.from(sample));
    await model.relabel('S');
    await model.confirmPending();
    state.current = sample[n - 1]!;
    await model.undo();
    expect(state.current).toBe(sample[0]);
    expect(state.notice).toMatch(/relabel 150000 beats S/);
  });

  it('an action on several beats leaves out the beats the reviewer deleted (a morphology group holds them too)', async () => {
    const { state, model, saved, at } = setup();
    state.current = at(4);
    await model.deleteBeat();
    expect(state.beats!.isDeleted(4)).toBe(true);
    model.select([2, 4, 6, 8, 10, 11, 13].map(at));
    await model.relabel('N');
    expect(state.pending!.samples).toHaveLength(6); // the count the confirmation shows
    await model.confirmPending();
    expect(saved.at(-1)!.label).toBe('relabel 6 beats N');
    expect(state.beats!.isDeleted(4)).toBe(true);
    model.select([4, 6].map(at));
    await model.confirm();
    expect(state.beats!.isDeleted(4)).toBe(true);
    // the deleted beat by itself, chosen on purpose, can still be relabelled
    state.current = at(4);
    await model.relabel('V');
    expect(state.beats!.edit(4)).toMatchObject({ label: 'V' });
  });

  it("edits made on other beats of the same signals (the .atr's, on a copy without it) go on the nearest beat within 150 ms", () => {
    const { state, model, at } = setup();
    const edit = (sample: number, label: 'N' | 'V' | 'X', status: 'relabelled' | 'deleted' | 'confirmed' = 'relabelled') =>
      ({ sample, label, status, who: 'ana', when: 'w' }) as const;
    const edits = [
      edit(at(3) + 7, 'N'), // 19 ms off: on beat 3
      edit(at(5) + 7, 'X', 'deleted'), // a deletion never moves: beat 5 stays
      edit(at(8), 'V'), // exactly on beat 8
      edit(at(8) + 3, 'N'), // near beat 8, which has its own: not laid
      edit(at(11) - 30, 'X', 'deleted'), // a double detection deleted...
      edit(at(11) + 5, 'V', 'confirmed'), // ...and the real beat confirmed: the nearest pair wins
      edit(at(14) + 144, 'V'), // half a beat from any: not laid
    ];
    model.setBeats(source(), null, edits);
    const b = state.beats!;
    expect(b.edit(3)).toMatchObject({ sample: at(3), label: 'N' });
    expect(b.isDeleted(5)).toBe(false);
    expect(b.edit(8)).toMatchObject({ label: 'V' });
    expect(b.edit(11)).toMatchObject({ label: 'V', status: 'confirmed' });
    expect(b.edit(14)).toBeUndefined();
    expect(state.notice).toContain('2 reviewed beats of this record lie where these beats have none');
    expect(model.reviewedTotal()).toBe(3);
    // laid on no beat (a record opened without an .atr: no reference beats yet), each comes back on the analysis's beats
    model.setBeats(
      { ...source(), sample: new Int32Array(0), probs: new Float32Array(0), pvcScore: new Float32Array(0), baseLabel: new Uint8Array(0) },
      null,
      edits
    );
    expect(model.reviewedTotal()).toBe(0);
    model.setBeats(source(), null, [...state.beats!.edits.values()]);
    expect(state.beats!.edit(3)).toMatchObject({ label: 'N' });
    expect(state.beats!.edit(11)).toMatchObject({ status: 'confirmed' });
    expect(model.reviewedTotal()).toBe(3);
  });

  it('a beat added before the analysis (no beats yet) is the analysis beat it lies on, not a second beat', () => {
    const { state, model, at } = setup();
    const added = (sample: number, label: 'N' | 'V') => ({ sample, label, status: 'added', who: 'ana', when: 'w' }) as const;
    // beat 3 added on its R peak, beat 7 a few ms off, and a missed beat between 12 and 13; beat 9 deleted, then a beat added beside it
    const edits = [
      added(at(3), 'V'),
      added(at(7) + 4, 'N'),
      added(at(12) + RR / 2, 'V'),
      { sample: at(9), label: 'X', status: 'deleted', who: 'ana', when: 'w' } as const,
      added(at(9) + 10, 'V'),
    ];
    const none = { ...source(), sample: new Int32Array(0), probs: new Float32Array(0), pvcScore: new Float32Array(0), baseLabel: new Uint8Array(0) };
    model.setBeats(none, null, edits);
    expect(state.beats!.count).toBe(4);
    model.setBeats(source(), null, [...state.beats!.edits.values()]);
    const b = state.beats!;
    expect(b.count).toBe(N + 2); // the missed beat and the one beside the deleted beat join; the other two are beats 3 and 7
    expect(b.edit(b.indexAt(at(3)))).toMatchObject({ label: 'V', status: 'relabelled' });
    expect(b.edit(b.indexAt(at(7)))).toMatchObject({ label: 'N', status: 'relabelled' });
    expect(b.sample.filter((x) => x === at(3) || x === at(7))).toHaveLength(2);
    expect(b.edit(b.indexAt(at(12) + RR / 2))).toMatchObject({ status: 'added' });
    expect(b.edit(b.indexAt(at(9) + 10))).toMatchObject({ status: 'added' });
    expect(model.reviewedTotal()).toBe(5);
  });

  it('a label on a one-beat selection elsewhere leaves the cursor where it is (auto-advance moves on from the beat under it only)', async () => {
    const { state, model, at } = setup();
    state.current = at(3);
    model.select([at(10)]);
    await model.relabel('N');
    expect(state.beats!.edit(10)).toMatchObject({ label: 'N' });
    expect(state.current).toBe(at(3));
  });

  it('other beats laid under the review forget the undo steps and a held action (their samples named the old beats)', async () => {
    const { state, model, at } = setup();
    model.select([0, 1, 2, 4, 5, 6, 8].map(at));
    await model.relabel('S');
    expect(state.pending).not.toBeNull();
    model.forgetSteps();
    expect(state.pending).toBeNull();
    expect(state.selection.size).toBe(0);
    expect(model.history.canUndo).toBe(false);
  });

  it('a held bulk action can be cancelled', async () => {
    const { state, model, saved, at } = setup();
    model.select([0, 1, 2, 4, 5, 6].map(at));
    await model.deleteBeat();
    expect(state.pending?.action.kind).toBe('delete');
    model.cancelPending();
    expect(state.pending).toBeNull();
    expect(saved).toHaveLength(0);
  });

  it('Shift+→ grows the selection; a plain step spends it', () => {
    const { state, model, at } = setup({ current: 100 });
    model.step(1, true);
    model.step(1, true);
    expect([...state.selection].sort((a, b) => a - b)).toEqual([at(0), at(1), at(2)]);
    model.step(1);
    expect(state.selection.size).toBe(0);
    expect(state.current).toBe(at(3));
  });

  it('Shift+← after Shift+→ shrinks the range, and crossing its first beat turns it round; a new selection starts a new range', () => {
    const { state, model, at } = setup();
    state.current = at(5);
    const sel = () => [...state.selection].sort((a, b) => a - b);
    model.step(1, true);
    model.step(1, true);
    model.step(1, true);
    model.step(-1, true);
    expect(sel()).toEqual([at(5), at(6), at(7)]);
    model.step(-1, true);
    model.step(-1, true);
    model.step(-1, true);
    expect(sel()).toEqual([at(4), at(5)]);
    // a group selected elsewhere, then a range: the range adds to it from the current beat
    model.select([at(12), at(14)]);
    state.current = at(16);
    model.step(1, true);
    model.step(-1, true);
    expect(sel()).toEqual([at(12), at(14), at(16)]);
  });

  it('a jump from another view spends the selection; the morphology panel keeps it among its own beats', () => {
    const { state, model, at } = setup();
    model.select([at(2), at(3)]);
    model.goTo(at(2), true);
    expect(state.selection.size).toBe(2);
    model.goTo(at(10) + 5);
    expect(state.selection.size).toBe(0);
    expect(state.current).toBe(at(10));
  });

  it('adding a beat on a T wave (under 300 ms after a beat) takes a second press; one on a beat is refused', async () => {
    const { state, model, saved, at } = setup();
    await model.addBeat(at(4) + 0.25 * FS);
    expect(saved).toHaveLength(0);
    expect(state.notice).toContain('Press A again');
    await model.addBeat(at(4) + 0.25 * FS);
    expect(saved.map((s) => s.label)).toEqual(['add beat N']);
    expect(state.beats!.count).toBe(N + 1);
    expect(state.current).toBe(at(4) + 90);
    await model.addBeat(at(6) + 10);
    expect(saved).toHaveLength(1);
    expect(state.notice).toContain('already a beat');
    // deleting the added beat removes it altogether
    await model.deleteBeat();
    expect(state.beats!.count).toBe(N);
  });

  it('switching the queue order starts the new order at its first unreviewed beat', async () => {
    const { state, model, at } = setup();
    model.next();
    model.next();
    model.setQueueOrder('uncertainty');
    // by |P(V) − 0.5|: 7 (0.55), 12 (0.7), 3 (0.9), 15 (0.95)
    expect([...model.queue()]).toEqual([7, 12, 3, 15]);
    model.next();
    expect(state.current).toBe(at(7));
  });

  it('episode decisions lay over the base episodes and undo as one step', async () => {
    const { state, model } = setup();
    const [af] = model.episodes();
    await model.decideEpisode(af!.key, 'rejected');
    expect(model.episodes()[0]).toMatchObject({ status: 'rejected', reviewer: 'ana' });
    await model.resizeEpisode(af!.key, 1500, 900);
    expect(model.episodes()[0]).toMatchObject({ onsetSample: 900, offsetSample: 1500, status: 'resized' });
    await model.addEpisode('VT', 2000, 2500);
    expect(
      model
        .episodes()
        .map((e) => e.type)
        .sort()
    ).toEqual(['AF', 'VT']);
    await model.undo();
    await model.undo();
    expect(model.episodes()).toHaveLength(1);
    expect(model.episodes()[0]).toMatchObject({ status: 'rejected', onsetSample: 1000 });
    expect(state.episodeEdits.size).toBe(1);
  });

  it('a failed save keeps the change on screen and says it is not stored', async () => {
    const { state, at } = setup();
    const model = new ReviewModel(state, { save: async () => Promise.reject(new Error('quota')), saveCursor: () => {} });
    state.current = at(3);
    await model.relabel('N');
    expect(state.beats!.label(3, 0.5)).toBe('N');
    expect(state.error).toContain('quota');
  });
});

/** The review of `setup` as an import's target: ben imports at the threshold 0.5. */
function importTarget(state: ReviewState, model: ReviewModel, now: string): ImportTarget {
  return {
    beats: state.beats!,
    threshold: 0.5,
    fs: FS,
    nFrames: state.info!.nFrames,
    episodes: model.episodes(),
    episodeEdits: state.episodeEdits,
    episodeSource: 'model',
    reviewer: 'ben',
    now,
  };
}

describe('review export and import', () => {
  it('an exported review imported into a fresh review gives the same labels and decisions', async () => {
    const a = setup();
    a.state.analysis = {} as ReviewState['analysis'];
    a.model.next();
    await a.model.relabel('N');
    await a.model.addBeat(a.at(10) + 144);
    await a.model.decideEpisode(a.model.episodes()[0]!.key, 'confirmed');
    const file = reviewExportOf({
      beats: a.state.beats!,
      record: { name: 'x', hash: 'h', fs: FS },
      threshold: 0.5,
      analysed: true,
      episodes: a.model.episodes(),
      reviewer: 'ana',
      exportedAt: 'T',
      models: [{ task: 'beat', id: 'beat-pvc', version: '3.7.0', provider: 'cpu' } as { task: string; id: string; version: string }],
    });
    expect(file.models).toEqual([{ task: 'beat', id: 'beat-pvc', version: '3.7.0' }]);
    expect(file.beats).toHaveLength(N + 1);
    expect(file.beats.find((b) => b.sample === a.at(3))).toMatchObject({ label: 'N', predicted: 'V', status: 'relabelled', reviewer: 'ana' });

    const b = setup({ reviewer: 'ben' });
    const changes = importedChanges(file, importTarget(b.state, b.model, 'T'));
    await b.model.commit({ label: 'import', changes });
    for (let i = 0; i < b.state.beats!.count; i++) expect(b.state.beats!.label(i, 0.5)).toBe(a.state.beats!.label(i, 0.5));
    expect(b.model.episodes()[0]).toMatchObject({ status: 'confirmed', reviewer: 'ana' });
    await b.model.undo();
    expect(b.state.beats!.count).toBe(N);
  });

  it("an annotation file (labels, not decisions) makes a decision only of a label the review does not show, in the importing reviewer's name", async () => {
    const { state, model, at } = setup({ reviewer: 'ben' });
    // the app's own WFDB export read back: every beat at the model's label (beat 3 V, the rest N), one relabelled to N, one added
    const beats = Array.from({ length: N }, (_, i) => ({ sample: at(i), label: SCORES[i] && SCORES[i] >= 0.5 ? 'V' : 'N', status: 'confirmed' }) as const);
    const file = {
      format: 'heartbeat-sensei-review' as const,
      version: 1 as const,
      record: { name: 'x', hash: 'h', fs: FS },
      threshold: null,
      exportedAt: '',
      reviewer: '',
      beats: [
        ...beats.map((b, i) => (i === 3 ? { ...b, label: 'N' as const } : b)),
        { sample: at(12) + RR / 2, label: 'V' as const, status: 'confirmed' as const },
      ],
      episodes: [{ type: 'AF' as const, onsetSample: 1000, offsetSample: 4000, confidence: 1, explanation: 'imported', status: 'confirmed' as const }],
      labelsOnly: true as const,
    };
    const changes = importedChanges(file, importTarget(state, model, '2026-12-07T15:00:00Z'));
    expect(changes).toHaveLength(2); // beat 3's new label and the added beat; the AF episode is on screen already
    await model.commit({ label: 'import', changes });
    const b = state.beats!;
    expect(b.edit(b.indexAt(at(3)))).toMatchObject({ label: 'N', status: 'relabelled', who: 'ben', when: '2026-12-07T15:00:00Z' });
    expect(b.edit(b.indexAt(at(12) + RR / 2))).toMatchObject({ label: 'V', status: 'added', who: 'ben' });
    expect(b.edit(b.indexAt(at(7)))).toBeUndefined(); // the model's call at 0.5, still the model's
    expect(model.reviewedTotal()).toBe(2);
  });

  it('imported beats go on the nearest beat within 150 ms (a review made on other beats of the signals), none past the end', async () => {
    const { state, model, at } = setup();
    const beat = (sample: number, label: 'N' | 'V' | 'X', status: 'relabelled' | 'deleted' | 'added') => ({ sample, label, status });
    const file = {
      format: 'heartbeat-sensei-review' as const,
      version: 1 as const,
      record: { name: 'x', hash: 'h', fs: FS },
      threshold: null,
      exportedAt: 'T',
      reviewer: 'ana',
      beats: [
        beat(at(4) + 1, 'V', 'relabelled'), // on beat 4
        beat(at(6) + 9, 'X', 'deleted'), // a deletion never moves: beat 6 stays
        beat(at(8) - 5, 'V', 'added'), // added there, a beat here: a decision on it
        beat(at(10), 'X', 'deleted'), // a misplaced beat deleted...
        beat(at(10) - 30, 'V', 'added'), // ...and the reviewer's own 30 samples away: both kept
        beat(at(12) + 144, 'V', 'added'), // no beat near: added
        beat(state.info!.nFrames + 50, 'V', 'added'), // past the end: left out
      ],
      episodes: [],
    };
    const changes = importedChanges(file, importTarget(state, model, 'T'));
    await model.commit({ label: 'import', changes });
    const b = state.beats!;
    const at2 = (sample: number) => b.indexAt(sample);
    expect(b.count).toBe(N + 2);
    expect(b.edit(at2(at(4)))).toMatchObject({ sample: at(4), label: 'V' });
    expect(b.isDeleted(at2(at(6)))).toBe(false);
    expect(b.edit(at2(at(8)))).toMatchObject({ label: 'V', status: 'relabelled' });
    expect(b.isDeleted(at2(at(10)))).toBe(true);
    expect(b.edit(at2(at(10) - 30))).toMatchObject({ label: 'V', status: 'added' });
    expect(b.isBeatAt(at(12) + 144)).toBe(true);
  });
});
