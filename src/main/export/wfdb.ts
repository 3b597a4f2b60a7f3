// The review as a WFDB annotation file and back: beats with the standard code of their class
// (N, A for S, V, F, Q; X "not a beat" as an artifact mark |), rhythm episodes as rhythm
// annotations "(AFIB" / "(VT" at onset and "(N" at offset, pauses and noise as notes.
import type { Annotation } from '../wfdb/annotations';
import * as C from '../wfdb/codes';
import { CLASS_CODE, aamiClassOf } from '../evaluation/labels';
import { MODEL_CALLS_NOTE, REVIEW_FORMAT, type ReviewExport, type ReviewedBeat, type ReviewedEpisode } from '../../shared/review';
import type { EpisodeType } from '../../shared/analysis';

const RHYTHM_AUX: Partial<Record<EpisodeType, string>> = { AF: '(AFIB', VT: '(VT' };
const NOTE_AUX: Partial<Record<EpisodeType, string>> = { PAUSE: 'PAUSE', NOISE: 'NOISE' };

function ann(sample: number, code: number, aux: string | null = null): Annotation {
  return { sample, code, subtype: 0, chan: 0, num: 0, aux };
}

export function reviewToAnnotations(r: ReviewExport): Annotation[] {
  const out: Annotation[] = [ann(0, C.NOTE, MODEL_CALLS_NOTE)];
  for (const b of r.beats) {
    if (b.status === 'deleted') continue;
    out.push(ann(b.sample, b.label === 'X' ? C.ARFCT : CLASS_CODE[b.label]));
  }
  for (const e of r.episodes) {
    if (e.status === 'rejected') continue;
    const rhythm = RHYTHM_AUX[e.type];
    if (rhythm) {
      out.push(ann(e.onsetSample, C.RHYTHM, rhythm), ann(e.offsetSample, C.RHYTHM, '(N'));
    } else {
      out.push(ann(e.onsetSample, C.NOTE, `${NOTE_AUX[e.type] ?? e.type} ${((e.offsetSample - e.onsetSample) / r.record.fs).toFixed(2)}s`));
    }
  }
  // Stable by time: at equal samples, beats before the rhythm/note marks as written above.
  return out
    .map((a, i) => [a, i] as const)
    .sort((x, y) => x[0].sample - y[0].sample || x[1] - y[1])
    .map(([a]) => a);
}

/**
 * Reads an annotation file back into a review, each beat a confirmed one: a reference (an .atr, another
 * tool's file) is the reviewer's decisions; a file this app wrote (MODEL_CALLS_NOTE) holds the model's
 * calls too, and is labels only.
 */
export function annotationsToReview(anns: readonly Annotation[], record: { name: string; hash: string; fs: number }): ReviewExport {
  const beats: ReviewedBeat[] = [];
  const episodes: ReviewedEpisode[] = [];
  let open: { type: EpisodeType; onset: number } | null = null;
  const close = (at: number) => {
    if (open)
      episodes.push({
        type: open.type,
        onsetSample: open.onset,
        offsetSample: at,
        confidence: 1,
        explanation: 'imported from an annotation file',
        status: 'confirmed',
      });
    open = null;
  };
  for (const a of anns) {
    const cls = aamiClassOf(a.code);
    if (cls) beats.push({ sample: a.sample, label: cls, status: 'confirmed' });
    else if (a.code === C.ARFCT) beats.push({ sample: a.sample, label: 'X', status: 'confirmed' });
    else if (a.code === C.RHYTHM) {
      const aux = (a.aux ?? '').replace(/\0+$/, '');
      close(a.sample);
      const type = (Object.keys(RHYTHM_AUX) as EpisodeType[]).find((k) => RHYTHM_AUX[k] === aux);
      if (type) open = { type, onset: a.sample };
    } else if (a.code === C.NOTE) {
      const m = /^(PAUSE|NOISE) ([0-9.]+)s$/.exec((a.aux ?? '').replace(/\0+$/, ''));
      if (m)
        episodes.push({
          type: m[1] as EpisodeType,
          onsetSample: a.sample,
          offsetSample: a.sample + Math.round(Number(m[2]) * record.fs),
          confidence: 1,
          explanation: 'imported from an annotation file',
          status: 'confirmed',
        });
    }
  }
  const last = anns.length ? anns[anns.length - 1]!.sample : 0;
  close(last);
  const ours = anns.some((a) => a.code === C.NOTE && (a.aux ?? '').replace(/\0+$/, '') === MODEL_CALLS_NOTE);
  return {
    format: REVIEW_FORMAT,
    version: 1,
    record,
    threshold: null,
    exportedAt: '',
    reviewer: '',
    beats,
    episodes,
    ...(ours ? { labelsOnly: true as const } : {}),
  };
}
