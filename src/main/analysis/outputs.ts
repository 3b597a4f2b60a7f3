// What `analyze` writes per record: a WFDB annotation file (<record>.pvc), a CSV of beats and a
// JSON summary. The JSON field names are a contract other tools read: add fields, rename none.
import { AAMI_CLASSES, type Analysis, type Episode } from '../../shared/analysis';
import { MODEL_CALLS_NOTE } from '../../shared/review';
import { Utf8Text } from '../files/utf8-text';
import { codeOf, withTimeResolution, type Annotation } from '../wfdb';

/** WFDB code written for each AAMI class: N, A (for S), V, F, Q. */
const CLASS_CODE = ['N', 'A', 'V', 'F', 'Q'].map((m) => {
  const c = codeOf(m);
  if (c === undefined) throw new Error(`WFDB code table lacks "${m}"`);
  return c;
});
const RHYTHM = codeOf('+')!;
const NOTE = codeOf('"')!;

/** Rhythm state priority where episodes overlap. */
const RHYTHM_AUX: Partial<Record<Episode['type'], { aux: string; rank: number }>> = {
  VT: { aux: '(VT', rank: 3 },
  AF: { aux: '(AFIB', rank: 2 },
  NOISE: { aux: '(NOISE', rank: 1 },
};

const VF_AUX = { aux: '(VF', rank: 3 };
const auxOf = (e: Pick<Episode, 'type' | 'rhythm'>) => (e.type === 'VT' && e.rhythm === 'VF' ? VF_AUX : RHYTHM_AUX[e.type]);

/** Rhythm-change points: "(AFIB", "(VT", "(VF", "(NOISE" where an episode starts, "(N" where it ends. */
export function rhythmChanges(
  episodes: readonly Pick<Episode, 'type' | 'onsetSample' | 'offsetSample' | 'rhythm'>[],
  firstSample: number
): { sample: number; aux: string }[] {
  const bounds = new Set<number>([firstSample]);
  const eps = episodes.filter((e) => RHYTHM_AUX[e.type]);
  for (const e of eps) {
    bounds.add(e.onsetSample);
    bounds.add(e.offsetSample);
  }
  const out: { sample: number; aux: string }[] = [];
  let state = '';
  for (const s of [...bounds].sort((a, b) => a - b)) {
    let best: { aux: string; rank: number } = { aux: '(N', rank: 0 };
    for (const e of eps) {
      const r = auxOf(e)!;
      if (e.onsetSample <= s && s < e.offsetSample && r.rank > best.rank) best = r;
    }
    if (best.aux !== state) {
      out.push({ sample: s, aux: best.aux });
      state = best.aux;
    }
  }
  return out;
}

/** A duration for a note, in seconds with the decimals that give its samples back at `fs` ("PAUSE 2.778s" at 360 Hz). */
export function noteSeconds(samples: number, fs: number): string {
  return `${(samples / fs).toFixed(Math.max(2, Math.floor(Math.log10(fs)) + 1))}s`;
}

/** Beat annotations (predicted class at the analysis threshold), rhythm changes and pause notes, in sample order. */
export function analysisAnnotations(a: Analysis): Annotation[] {
  const anns: Annotation[] = [];
  const { sample, label } = a.beats;
  for (let k = 0; k < sample.length; k++) anns.push({ sample: sample[k]!, code: CLASS_CODE[label[k]!]!, subtype: 0, chan: 0, num: 0, aux: null });
  const rhythm: Annotation[] = rhythmChanges(a.episodes, sample.length ? sample[0]! : 0).map((r) => ({
    sample: r.sample,
    code: RHYTHM,
    subtype: 0,
    chan: 0,
    num: 0,
    aux: r.aux,
  }));
  const pauses: Annotation[] = a.episodes
    .filter((e) => e.type === 'PAUSE')
    .map((e) => ({ sample: e.onsetSample, code: NOTE, subtype: 0, chan: 0, num: 0, aux: `PAUSE ${noteSeconds(e.offsetSample - e.onsetSample, a.fs)}` }));
  // Stable sort: at one sample, rhythm changes and notes come before the beat. The first note says the
  // labels are the model's (an import of the file takes them as labels, not a reviewer's decisions).
  const mark: Annotation = { sample: 0, code: NOTE, subtype: 0, chan: 0, num: 0, aux: MODEL_CALLS_NOTE };
  const all = [mark, ...[...rhythm, ...pauses, ...anns].sort((x, y) => x.sample - y.sample)];
  // a multi-frequency record's beats count its leads' samples, not frames: the file says so first, as WFDB writes it
  return a.frameFs ? withTimeResolution(all, a.fs, a.frameFs) : all;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * sample,time_s,label,pvc_score,rr_ms[,explanation] — one row per beat, as UTF-8 bytes. Each row is
 * encoded as it is made: a 24-hour Holter's 114 k row strings kept until a join cost ~2× the time,
 * most of it in garbage collection, at the end of the analysis where nothing runs beside it.
 */
/** The first line of the beats CSV (also how `analyze` knows a .csv it may write over). */
export const BEATS_CSV_HEADER = 'sample,time_s,label,pvc_score,rr_ms,explanation\n';

export function beatsCsv(a: Analysis): Uint8Array {
  const notes = new Map(a.beatNotes ?? []);
  const out = new Utf8Text();
  out.push(BEATS_CSV_HEADER);
  const { sample, label, pvcScore, rrMs } = a.beats;
  for (let k = 0; k < sample.length; k++) {
    const rr = rrMs[k]!;
    out.push(
      `${sample[k]},${(sample[k]! / a.fs).toFixed(3)},${AAMI_CLASSES[label[k]!]},${pvcScore[k]!},${Number.isFinite(rr) ? rr.toFixed(1) : ''},${csvField(notes.get(k) ?? '')}\n`
    );
  }
  return out.bytes();
}

/** The JSON summary (contract: record, fs (the analysed leads' rate; frameFs beside it when that is a multiple of the record's frame rate), durationSec, beats, pvcCount, pvcBurden, afBurden, recording {label, confidence, sample, explanation}, episodes, threshold, models, provider, timingsMs). */
export function analysisJson(a: Analysis): Record<string, unknown> {
  const beatUse = a.models.find((m) => m.task === 'beat');
  return {
    record: a.record,
    recordHash: a.recordHash,
    fs: a.fs,
    ...(a.frameFs ? { frameFs: a.frameFs } : {}),
    durationSec: a.durationSec,
    beats: a.summary.beats,
    beatSource: a.beats.source,
    ...(a.leads ? { leads: a.leads } : {}),
    ...(a.leadsLeftOut ? { leadsLeftOut: a.leadsLeftOut } : {}),
    ...(a.recordWarnings ? { recordWarnings: a.recordWarnings } : {}),
    pvcCount: a.summary.pvcCount,
    pvcBurden: a.summary.pvcBurden,
    afBurden: a.summary.afBurden,
    recording: a.recording ?? null,
    episodes: a.episodes.map(({ type, onsetSample, offsetSample, confidence, explanation, source, rhythm }) => ({
      type,
      onsetSample,
      offsetSample,
      confidence,
      explanation,
      source,
      ...(rhythm ? { rhythm } : {}),
    })),
    threshold: a.threshold,
    models: a.models,
    provider: beatUse?.provider ?? 'rules',
    providers: Object.fromEntries(a.models.map((m) => [m.task, m.provider])),
    summary: a.summary,
    timingsMs: a.timingsMs,
    fromCache: a.fromCache ?? false,
  };
}
