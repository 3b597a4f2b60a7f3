// Rhythm episodes under review: the analysis's (or the reference annotations' rhythm changes)
// with the reviewer's decisions laid over them, plus episodes the reviewer added.
import { episodeOfRhythmAux, isModelNoise, vfMarkSpans, withVfMarks, type Episode } from '../../../shared/analysis';
import type { AnnotationSet } from '../../../shared/review';
import type { EpisodeEdit } from './history';

/** `rhythm`: the base episode's (a decision keeps what the analysis calls the rhythm: VT or VF). */
export type ReviewEpisodeView = EpisodeEdit & { base: Episode | null; rhythm?: Episode['rhythm'] };

/**
 * A rhythm-model VT episode widened to its run of V beats (apply-threshold.ts, `model`) is keyed by
 * the model's own onset: the widened onset moves with the threshold, the decision must not.
 */
export function episodeKey(e: Pick<Episode, 'source' | 'type' | 'onsetSample' | 'model'>): string {
  return `${e.source}:${e.type}:${e.model?.[0]?.onsetSample ?? e.onsetSample}`;
}

/** The keys a base episode answers to: its own, and those of the model episodes it was joined from. */
function keysOf(e: Episode): string[] {
  const parts = e.model?.map((m) => episodeKey({ source: e.source, type: e.type, onsetSample: m.onsetSample })) ?? [];
  return [episodeKey(e), ...parts.slice(1)];
}

/** Rhythm episodes from an annotation file's rhythm-change annotations (code 28, aux "(AFIB", "(VT", ...) and its VF marks ("[" … "]"). */
export function referenceEpisodes(set: AnnotationSet, nFrames: number): Episode[] {
  const out: Episode[] = [];
  let open: (Pick<Episode, 'type' | 'rhythm'> & { onset: number }) | null = null;
  for (let i = 0; i < set.sample.length; i++) {
    if (set.code[i] !== 28) continue;
    const s = set.sample[i]!;
    if (open) out.push(referenceEpisode(open, s, set.annotator));
    const t = episodeOfRhythmAux(set.aux[i]!);
    open = t ? { ...t, onset: s } : null;
  }
  if (open) out.push(referenceEpisode(open, nFrames, set.annotator));
  return withVfMarks(out, vfMarkSpans(set.code, set.sample, nFrames), (on, off) =>
    referenceEpisode({ type: 'VT', rhythm: 'VF', onset: on }, off, set.annotator)
  );
}

function referenceEpisode(open: Pick<Episode, 'type' | 'rhythm'> & { onset: number }, offset: number, annotator: string): Episode {
  const e: Episode = {
    type: open.type,
    onsetSample: open.onset,
    offsetSample: offset,
    confidence: 1,
    explanation: `reference annotation ${annotator}`,
    source: 'reference',
  };
  if (open.rhythm) e.rhythm = open.rhythm;
  return e;
}

/** Share of their union two episodes have in common (0 when apart). */
function overlapShare(a: Pick<Episode, 'onsetSample' | 'offsetSample'>, b: Pick<Episode, 'onsetSample' | 'offsetSample'>): number {
  const common = Math.min(a.offsetSample, b.offsetSample) - Math.max(a.onsetSample, b.onsetSample);
  if (common <= 0) return 0;
  return common / (Math.max(a.offsetSample, b.offsetSample) - Math.min(a.onsetSample, b.onsetSample));
}

/** An episode decided on and an episode now found are the same one re-cut when they share at least this much of their union. */
export const RECUT_MIN_OVERLAP = 0.5;

const sourceOfKey = (key: string): string => key.slice(0, key.indexOf(':'));

/**
 * The confirmation or rejection of a rhythm-model NOISE episode that `e`, a model NOISE episode, lies
 * inside: the analysis now clips the model's noise to the time the signal quality's stretches leave
 * (clipModelNoise), so a review saved before holds decisions on whole episodes whose pieces match
 * neither by key nor by overlap (vfdb 419: 13 rejected episodes came back as 85 unreviewed pieces, and
 * the review's unreadable time went from 678 to 1224 s). The narrowest such decision; a resized one
 * keeps its own extent and is listed apart, as before.
 */
function wholeNoiseDecision(e: Episode, edits: ReadonlyMap<string, EpisodeEdit>): EpisodeEdit | undefined {
  if (!isModelNoise(e)) return undefined;
  let found: EpisodeEdit | undefined;
  for (const [k, ed] of edits) {
    if (!isModelNoise({ type: ed.type, source: sourceOfKey(k) }) || (ed.status !== 'confirmed' && ed.status !== 'rejected')) continue;
    if (ed.onsetSample > e.onsetSample || ed.offsetSample < e.offsetSample) continue;
    if (!found || ed.offsetSample - ed.onsetSample < found.offsetSample - found.onsetSample) found = ed;
  }
  return found;
}

/**
 * The episodes shown: each base episode with its decision, then the reviewer's own, by onset.
 * A base episode without a decision of its own takes the decision on an episode of the same source
 * and type that it mostly overlaps (RECUT_MIN_OVERLAP): the same run cut again, its first beat moved
 * by a new threshold or scan setting, or by a re-analysis. It is shown with its current extent (a
 * resized one with the reviewer's) under the decision's key, so a later decision replaces that one.
 * A piece of the rhythm model's noise takes the decision on the noise episode it was cut from
 * (wholeNoiseDecision), under its own key.
 */
export function mergeEpisodes(base: readonly Episode[], edits: ReadonlyMap<string, EpisodeEdit>): ReviewEpisodeView[] {
  const out: ReviewEpisodeView[] = [];
  const used = new Set<string>();
  // decisions a piece of the model's noise took (wholeNoiseDecision): listed through their pieces
  const within = new Set<string>();
  for (const e of base) for (const k of keysOf(e)) if (edits.has(k)) used.add(k);
  for (const e of base) {
    const key = episodeKey(e);
    // its own decision, else one made on a model episode it was since joined with
    const ownKey = keysOf(e).find((k) => edits.has(k));
    const own = ownKey === undefined ? undefined : edits.get(ownKey);
    if (own) {
      out.push(
        own.status === 'resized'
          ? { ...own, rhythm: e.rhythm, base: e }
          : { ...own, onsetSample: e.onsetSample, offsetSample: e.offsetSample, rhythm: e.rhythm, base: e }
      );
      continue;
    }
    let best: EpisodeEdit | null = null;
    let bestShare = RECUT_MIN_OVERLAP;
    for (const [k, ed] of edits) {
      if (used.has(k) || ed.type !== e.type || sourceOfKey(k) !== e.source) continue;
      const share = overlapShare(ed, e);
      if (share >= bestShare) [best, bestShare] = [ed, share];
    }
    if (best) {
      used.add(best.key);
      // a run resized by the reviewer keeps the extent they gave it
      out.push(
        best.status === 'resized'
          ? { ...best, rhythm: e.rhythm, base: e }
          : { ...best, onsetSample: e.onsetSample, offsetSample: e.offsetSample, rhythm: e.rhythm, base: e }
      );
      continue;
    }
    const whole = wholeNoiseDecision(e, edits);
    if (whole) {
      within.add(whole.key);
      out.push({ ...whole, key, onsetSample: e.onsetSample, offsetSample: e.offsetSample, rhythm: e.rhythm, base: e });
    } else out.push({ ...e, key, status: 'unreviewed', base: e });
  }
  // A decision on a rule episode (a pause, a VT run) the current settings no longer find stays stored
  // (it returns with the episode) but is not shown: the list holds what the scan settings find.
  for (const [key, ed] of edits) if (!used.has(key) && !within.has(key) && sourceOfKey(key) !== 'rules') out.push({ ...ed, base: null });
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
