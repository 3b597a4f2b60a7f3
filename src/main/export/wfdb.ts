// The review as a WFDB annotation file and back: beats with the standard code of their class
// (N, A for S, V, F, Q; X "not a beat" as an artifact mark |), rhythm episodes as rhythm changes
// ("(AFIB", "(VT", "(VF", "(N"), written as `analyze` writes them: rhythm annotations are a state,
// so where episodes overlap the higher-ranked rhythm holds and the other resumes after it; pauses and
// unreadable stretches as notes (noise inside AF or VT would have no rhythm state of its own).
// Read back, an episode interrupted by a higher-ranked one is one episode again.
import type { Annotation } from '../wfdb/annotations';
import * as C from '../wfdb/codes';
import { CLASS_CODE, aamiClassOf } from '../evaluation/labels';
import { noteSeconds, rhythmChanges } from '../analysis/outputs';
import { MODEL_CALLS_NOTE, REVIEW_FORMAT, type ReviewExport, type ReviewedBeat, type ReviewedEpisode } from '../../shared/review';
import { episodeOfRhythmAux, vfMarkSpans, withVfMarks, type EpisodeType } from '../../shared/analysis';

function ann(sample: number, code: number, aux: string | null = null): Annotation {
  return { sample, code, subtype: 0, chan: 0, num: 0, aux };
}

export function reviewToAnnotations(r: ReviewExport): Annotation[] {
  const out: Annotation[] = [];
  for (const b of r.beats) {
    if (b.status === 'deleted') continue;
    out.push(ann(b.sample, b.label === 'X' ? C.ARFCT : CLASS_CODE[b.label]));
  }
  const kept = r.episodes.filter((e) => e.status !== 'rejected');
  const first = out.length ? out[0]!.sample : 0;
  // "(N" at the first beat only when some rhythm follows (a review without episodes writes none)
  const rhythms = kept.filter((e) => e.type === 'AF' || e.type === 'VT');
  const changes = rhythms.length ? rhythmChanges(rhythms, first) : [];
  const marks = [
    ...changes.map((c) => ann(c.sample, C.RHYTHM, c.aux)),
    ...kept
      .filter((e) => e.type === 'PAUSE' || e.type === 'NOISE')
      .map((e) => ann(e.onsetSample, C.NOTE, `${e.type} ${noteSeconds(e.offsetSample - e.onsetSample, r.record.fs)}`)),
  ];
  // By time; at one sample the rhythm change and notes before the beat. The first note says the
  // labels of unreviewed beats are the model's (an import takes them as labels, not decisions); a
  // review made before any analysis (threshold null) carries the reference's and the reviewer's only.
  return [
    ...(r.threshold !== null ? [ann(0, C.NOTE, MODEL_CALLS_NOTE)] : []),
    ...[...marks, ...out]
      .map((a, i) => [a, i] as const)
      .sort((x, y) => x[0].sample - y[0].sample || x[1] - y[1])
      .map(([a]) => a),
  ];
}

/** Whether this app wrote the annotations (their MODEL_CALLS_NOTE): an analysis's .pvc or a review's WFDB export, whose unreviewed beats are the model's calls. */
export function writtenByApp(anns: readonly Annotation[]): boolean {
  return anns.some((a) => a.code === C.NOTE && (a.aux ?? '').replace(/\0+$/, '') === MODEL_CALLS_NOTE);
}

/** AF, VT, AF read back from rhythm changes is one AF with a VT inside it: the pieces joined across the run that interrupted them. */
function rejoin(episodes: ReviewedEpisode[]): void {
  for (let i = 0; i + 2 < episodes.length; i++) {
    const [a, mid, b] = [episodes[i]!, episodes[i + 1]!, episodes[i + 2]!];
    const same = a.type === b.type && a.rhythm === b.rhythm && a.type !== mid.type;
    if (same && a.offsetSample === mid.onsetSample && mid.offsetSample === b.onsetSample) {
      a.offsetSample = b.offsetSample;
      episodes.splice(i + 2, 1);
    }
  }
}

/**
 * Reads an annotation file back into a review, each beat a confirmed one: a reference (an .atr, another
 * tool's file) is the reviewer's decisions; a file this app wrote (MODEL_CALLS_NOTE) holds the model's
 * calls too, and is labels only.
 */
export function annotationsToReview(
  anns: readonly Annotation[],
  record: {
    name: string;
    hash: string;
    fs: number;
    /** The record's length: an episode left open runs to it, as in the reference view; else to the last annotation. */
    nFrames?: number;
  }
): ReviewExport {
  const beats: ReviewedBeat[] = [];
  const rhythms: ReviewedEpisode[] = [];
  const notes: ReviewedEpisode[] = [];
  let open: { type: EpisodeType; rhythm?: 'VT' | 'VF'; onset: number } | null = null;
  const episode = (type: EpisodeType, onsetSample: number, offsetSample: number, rhythm?: 'VT' | 'VF'): ReviewedEpisode => ({
    type,
    onsetSample,
    offsetSample,
    confidence: 1,
    explanation: 'imported from an annotation file',
    status: 'confirmed',
    ...(rhythm ? { rhythm } : {}),
  });
  const close = (at: number) => {
    if (open && at >= open.onset) rhythms.push(episode(open.type, open.onset, at, open.rhythm));
    open = null;
  };
  for (const a of anns) {
    const cls = aamiClassOf(a.code);
    if (cls) beats.push({ sample: a.sample, label: cls, status: 'confirmed' });
    else if (a.code === C.ARFCT) beats.push({ sample: a.sample, label: 'X', status: 'confirmed' });
    else if (a.code === C.RHYTHM) {
      close(a.sample);
      const r = episodeOfRhythmAux(a.aux ?? '');
      if (r) open = { ...r, onset: a.sample };
    } else if (a.code === C.NOTE) {
      // NOISE notes: exports made before noise was written as a rhythm
      const m = /^(PAUSE|NOISE) ([0-9.]+)s$/.exec((a.aux ?? '').replace(/\0+$/, ''));
      if (m) notes.push(episode(m[1] as EpisodeType, a.sample, a.sample + Math.round(Number(m[2]) * record.fs)));
    }
  }
  const last = anns.length ? anns[anns.length - 1]!.sample : 0;
  // a rhythm or a "[" left open runs to the record's end where it is known (the reference view's
  // reading, episodes.ts referenceEpisodes): cudb ends 7 records with VF marked "[" and never closed
  const end = Math.max(last, record.nFrames ?? last);
  close(end);
  rejoin(rhythms);
  const vf = vfMarkSpans(
    anns.map((a) => a.code),
    anns.map((a) => a.sample),
    end
  );
  const episodes = [...withVfMarks(rhythms, vf, (on, off) => episode('VT', on, off, 'VF')), ...notes].sort((x, y) => x.onsetSample - y.onsetSample);
  const ours = writtenByApp(anns);
  return {
    format: REVIEW_FORMAT,
    version: 1,
    record: { name: record.name, hash: record.hash, fs: record.fs },
    threshold: null,
    exportedAt: '',
    reviewer: '',
    beats,
    episodes,
    ...(ours ? { labelsOnly: true as const } : {}),
  };
}
