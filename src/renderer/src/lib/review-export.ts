// The review as a file and back: every beat with its final label and who decided it, the episodes
// with their decisions (what the export writes, fine-tuning learns from and the report reads), and
// an imported review as one undoable list of changes. Pure: the model's state in, data out.
import { AAMI_CLASSES } from '../../../shared/analysis';
import { REVIEW_FORMAT, type ReviewExport } from '../../../shared/review';
import type { ReviewBeats } from './beats';
import type { Change, EpisodeEdit } from './history';
import { episodeKey, type ReviewEpisodeView } from './episodes';

export interface ExportInputs {
  beats: ReviewBeats;
  record: { name: string; hash: string; fs: number };
  threshold: number;
  /** False before an analysis (reference beats only): no model labels or threshold to write. */
  analysed: boolean;
  episodes: readonly ReviewEpisodeView[];
  reviewer: string;
  exportedAt: string;
}

export function reviewExportOf(x: ExportInputs): ReviewExport {
  const b = x.beats;
  const t = x.threshold;
  const beats: ReviewExport['beats'] = [];
  for (let i = 0; i < b.count; i++) {
    const e = b.edit(i);
    const p = b.predicted(i, t);
    const score = b.score(i);
    const ref = b.ref[i]!;
    beats.push({
      sample: b.sample[i]!,
      label: b.label(i, t),
      status: e?.status ?? 'unreviewed',
      ...(p >= 0 && x.analysed ? { predicted: AAMI_CLASSES[p]! } : {}),
      ...(Number.isFinite(score) ? { pvcScore: score } : {}),
      ...(ref >= 0 ? { reference: AAMI_CLASSES[ref]! } : {}),
      ...(e ? { reviewer: e.who, reviewedAt: e.when } : {}),
    });
  }
  const episodes = x.episodes.map(({ base: _b, key: _k, ...e }) => e);
  return {
    format: REVIEW_FORMAT,
    version: 1,
    record: x.record,
    threshold: x.analysed ? t : null,
    exportedAt: x.exportedAt,
    reviewer: x.reviewer,
    beats,
    episodes,
  };
}

export interface ImportTarget {
  beats: ReviewBeats;
  fs: number;
  /** The record's length: a beat past it is left out. */
  nFrames: number;
  episodes: readonly ReviewEpisodeView[];
  episodeEdits: ReadonlyMap<string, EpisodeEdit>;
  /** Whose episodes an imported decision names when it matches none on screen. */
  episodeSource: 'model' | 'reference';
  reviewer: string;
  now: string;
}

/**
 * An exported review's decisions as changes to this review (beats at another rate rescaled;
 * unreviewed rows and beats past the record's end skipped). A reviewed beat goes on this review's
 * nearest beat within 150 ms (the export may have been made on other beats of the same signals: the
 * .atr's, the detector's), one imported beat per beat; one with no beat that near is added, unless it
 * was deleted.
 */
export function importedChanges(r: ReviewExport, to: ImportTarget): Change[] {
  const b = to.beats;
  const scale = r.record.fs > 1 && r.record.fs !== to.fs ? to.fs / r.record.fs : 1;
  const window = Math.round(0.15 * to.fs);
  const taken = new Set<number>();
  const changes: Change[] = [];
  for (const rb of r.beats) {
    if (rb.status === 'unreviewed') continue;
    const wanted = Math.round(rb.sample * scale);
    if (wanted < 0 || wanted >= to.nFrames) continue;
    const i = b.nearest(wanted);
    const near = i >= 0 && Math.abs(b.sample[i]! - wanted) <= window;
    if (!near && rb.status === 'deleted') continue;
    const s = near ? b.sample[i]! : wanted;
    if (taken.has(s)) continue; // a second imported beat near the same beat
    taken.add(s);
    // an added beat of the export on one of this review's beats is a decision on that beat
    const status = !near ? 'added' : rb.status === 'added' ? 'relabelled' : rb.status;
    changes.push({
      kind: 'beat',
      sample: s,
      before: near ? b.edit(i) : undefined,
      after: { sample: s, label: rb.label, status, who: rb.reviewer ?? r.reviewer ?? to.reviewer, when: rb.reviewedAt ?? r.exportedAt ?? to.now },
    });
  }
  for (const re of r.episodes) {
    if (re.status === 'unreviewed') continue;
    const match = to.episodes.find((x) => x.type === re.type && Math.abs(x.onsetSample - re.onsetSample) <= to.fs);
    const k = match?.key ?? episodeKey({ source: re.status === 'added' ? 'reviewer' : to.episodeSource, type: re.type, onsetSample: re.onsetSample });
    changes.push({ kind: 'episode', key: k, before: to.episodeEdits.get(k), after: { ...re, key: k } });
  }
  return changes;
}
