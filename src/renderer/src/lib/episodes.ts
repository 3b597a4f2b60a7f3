// Rhythm episodes under review: the analysis's (or the reference annotations' rhythm changes)
// with the reviewer's decisions laid over them, plus episodes the reviewer added.
import type { Episode, EpisodeType } from '../../../shared/analysis';
import type { AnnotationSet } from '../../../shared/review';
import type { EpisodeEdit } from './history';

export type ReviewEpisodeView = EpisodeEdit & { base: Episode | null };

export function episodeKey(e: Pick<Episode, 'source' | 'type' | 'onsetSample'>): string {
  return `${e.source}:${e.type}:${e.onsetSample}`;
}

const RHYTHMS: Record<string, EpisodeType> = { '(AFIB': 'AF', '(AFL': 'AF', '(VT': 'VT' };

/** Rhythm episodes from an annotation file's rhythm-change annotations (code 28, aux "(AFIB", "(VT", ...). */
export function referenceEpisodes(set: AnnotationSet, nFrames: number): Episode[] {
  const out: Episode[] = [];
  let open: { type: EpisodeType; onset: number } | null = null;
  for (let i = 0; i < set.sample.length; i++) {
    if (set.code[i] !== 28) continue;
    const s = set.sample[i]!;
    if (open)
      out.push({
        type: open.type,
        onsetSample: open.onset,
        offsetSample: s,
        confidence: 1,
        explanation: `reference annotation ${set.annotator}`,
        source: 'reference',
      });
    const t = RHYTHMS[set.aux[i]!.trim()];
    open = t ? { type: t, onset: s } : null;
  }
  if (open)
    out.push({
      type: open.type,
      onsetSample: open.onset,
      offsetSample: nFrames,
      confidence: 1,
      explanation: `reference annotation ${set.annotator}`,
      source: 'reference',
    });
  return out;
}

const RECUT_PAUSE = episodeKey({ source: 'rules', type: 'PAUSE', onsetSample: 0 }).replace(/0$/, '');

/** The episodes shown: each base episode with its decision, then the reviewer's own, by onset. */
export function mergeEpisodes(base: readonly Episode[], edits: ReadonlyMap<string, EpisodeEdit>): ReviewEpisodeView[] {
  const out: ReviewEpisodeView[] = [];
  const used = new Set<string>();
  for (const e of base) {
    const key = episodeKey(e);
    used.add(key);
    const ed = edits.get(key);
    out.push(ed ? { ...ed, base: e } : { ...e, key, status: 'unreviewed', base: e });
  }
  // A decision on a rule pause the current pause limit no longer finds stays stored (it returns
  // with the pause) but is not shown: the list holds what the scan settings find.
  for (const [key, ed] of edits) if (!used.has(key) && !key.startsWith(RECUT_PAUSE)) out.push({ ...ed, base: null });
  return out.sort((a, b) => a.onsetSample - b.onsetSample);
}

/** The annotations within the first `nFrames` frames: a recording cut short keeps only the reference it still has signal for. */
export function clipAnnotations(set: AnnotationSet, nFrames: number): AnnotationSet {
  let n = set.sample.length;
  while (n > 0 && set.sample[n - 1]! >= nFrames) n--;
  if (n === set.sample.length) return set;
  return {
    ...set,
    sample: set.sample.slice(0, n),
    code: set.code.slice(0, n),
    aami: set.aami.slice(0, n),
    symbol: set.symbol.slice(0, n),
    aux: set.aux.slice(0, n),
  };
}
