// The reviewed state a report reads, in the review model's own terms (the renderer's ReviewBeats and
// summary episodes, plain TypeScript): from an analysis alone (nothing reviewed: the model's labels
// at its threshold, every episode kept) or from a review export (the reviewer's final labels,
// deletions, additions and episode decisions, as the app exports them).
import { AAMI_CLASSES, type Analysis, type AamiClass } from '../../shared/analysis';
import type { ReviewExport } from '../../shared/review';
import { ReviewBeats } from '../../renderer/src/lib/beats';
import type { SummaryEpisode } from '../../renderer/src/lib/review-summary';

export interface ReviewedState {
  beats: ReviewBeats;
  /** The operating threshold the unreviewed beats' labels follow. */
  threshold: number;
  /** False for a review made before any analysis (its labels the reference's and the reviewer's: no threshold applied). */
  analysed: boolean;
  episodes: SummaryEpisode[];
  /** Who signed the review (null without a review; '' when the review file names no one) and its last decision's time (else its export's). */
  reviewer: string | null;
  reviewedAt: string | null;
  /** How much of the record the review decided; null without a review. */
  decided: { beats: number; beatsTotal: number; episodes: number; episodesTotal: number } | null;
}

export function stateOfAnalysis(a: Analysis): ReviewedState {
  const beats = new ReviewBeats(
    { origin: 'analysis', sample: a.beats.sample, probs: a.beats.probs, pvcScore: a.beats.pvcScore, baseLabel: a.beats.label },
    null,
    0
  );
  const episodes = a.episodes.map((e) => ({
    type: e.type,
    rhythm: e.rhythm,
    onsetSample: e.onsetSample,
    offsetSample: e.offsetSample,
    status: 'unreviewed' as const,
    base: { onsetSample: e.onsetSample, offsetSample: e.offsetSample, source: e.source },
  }));
  return { beats, threshold: a.threshold, analysed: true, episodes, reviewer: null, reviewedAt: null, decided: null };
}

const CLASS = new Map<string, number>(AAMI_CLASSES.map((c, i) => [c, i]));

/**
 * From a review export of a record at `fs` Hz (samples of an export at another rate are scaled).
 * The export lists every beat with its final label, so the model's call is `predicted` where the
 * export has it, else the label of an unreviewed beat.
 */
export function stateOfReview(r: ReviewExport, fs: number, fallbackThreshold: number): ReviewedState {
  const scale = r.record.fs !== fs ? fs / r.record.fs : 1;
  const at = (s: number) => Math.round(s * scale);
  const rows = [...r.beats].sort((a, b) => a.sample - b.sample);
  const base = rows.filter((b) => b.status !== 'added');
  const baseLabel = Uint8Array.from(base, (b) => CLASS.get(b.predicted ?? (b.label === 'X' ? 'Q' : (b.label as AamiClass)))!);
  const beats = new ReviewBeats({ origin: 'reference', sample: Int32Array.from(base, (b) => at(b.sample)), probs: null, pvcScore: null, baseLabel }, null, 0);
  for (const b of rows) {
    if (b.status === 'unreviewed') continue;
    const s = at(b.sample);
    beats.setEdit(s, { sample: s, label: b.label, status: b.status, who: b.reviewer ?? r.reviewer, when: b.reviewedAt ?? r.exportedAt });
  }
  beats.rebuild();
  const episodes = r.episodes.map((e) => ({
    type: e.type,
    rhythm: e.rhythm,
    onsetSample: at(e.onsetSample),
    offsetSample: at(e.offsetSample),
    status: e.status,
    // the source the export carries (the app's; none in an older file): the rhythm model's noise then hides no pause, as in the panel
    base: e.status === 'added' ? null : { onsetSample: at(e.onsetSample), offsetSample: at(e.offsetSample), ...(e.source ? { source: e.source } : {}) },
  }));
  // when the review was made: its last decision (ISO times sort as text), else when it was exported
  const times = [...r.beats, ...r.episodes].flatMap((x) => (x.status !== 'unreviewed' && x.reviewedAt ? [x.reviewedAt] : [])).sort();
  return {
    beats,
    threshold: r.threshold ?? fallbackThreshold,
    analysed: r.threshold !== null,
    episodes,
    reviewer: r.reviewer,
    reviewedAt: times.at(-1) ?? r.exportedAt,
    decided: {
      beats: r.beats.filter((b) => b.status !== 'unreviewed').length,
      beatsTotal: r.beats.length,
      episodes: r.episodes.filter((e) => e.status !== 'unreviewed').length,
      episodesTotal: r.episodes.length,
    },
  };
}
