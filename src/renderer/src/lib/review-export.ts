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
  /** The models of the analysis under the review (none for a review on the reference beats alone). */
  models?: readonly { task: string; id: string; version: string }[];
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
  // each with the source of the episode under its decision (a decision's own record of it has none)
  const episodes = x.episodes.map(({ base, key: _k, source: _s, ...e }) => ({ ...e, ...(base ? { source: base.source } : {}) }));
  return {
    format: REVIEW_FORMAT,
    version: 1,
    record: x.record,
    threshold: x.analysed ? t : null,
    exportedAt: x.exportedAt,
    reviewer: x.reviewer,
    beats,
    episodes,
    ...(x.models?.length ? { models: x.models.map(({ task, id, version }) => ({ task, id, version })) } : {}),
  };
}

/** Who found an episode on screen: its base episode's source, else its key's (the reviewer's own: 'reviewer'). */
const sourceOfView = (x: ReviewEpisodeView): string => x.base?.source ?? x.key.slice(0, x.key.indexOf(':'));

export interface ImportTarget {
  beats: ReviewBeats;
  /** The threshold the review shows its labels at: an annotation file's label the review already shows is no decision. */
  threshold: number;
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
 * unreviewed rows and beats past the record's end skipped). A row goes on the beat at its sample;
 * else (the export made on other beats of the same signals: the .atr's, the detector's) on the
 * nearest beat within 150 ms that no row of the export sits on and no other row took, the nearest
 * pairs first; else it is added. A deletion never moves (moved, it would remove a real beat).
 */
export function importedChanges(r: ReviewExport, to: ImportTarget): Change[] {
  const b = to.beats;
  const scale = r.record.fs > 1 && r.record.fs !== to.fs ? to.fs / r.record.fs : 1;
  const window = Math.round(0.15 * to.fs);
  const rows = r.beats
    .filter((rb) => rb.status !== 'unreviewed')
    .map((rb) => ({ rb, wanted: Math.round(rb.sample * scale) }))
    .filter((x) => x.wanted >= 0 && x.wanted < to.nFrames);
  // the beat each row goes on (its sample), or the row's own sample for an added beat
  const placed = new Map<(typeof rows)[number], { sample: number; onBeat: boolean }>();
  const taken = new Set<number>();
  for (const x of rows)
    if (b.isBeatAt(x.wanted) && !taken.has(x.wanted)) {
      placed.set(x, { sample: x.wanted, onBeat: true });
      taken.add(x.wanted);
    }
  const listed = new Set(rows.map((x) => x.wanted));
  const pairs = rows
    .filter((x) => !placed.has(x) && x.rb.status !== 'deleted')
    .map((x) => {
      const i = b.nearest(x.wanted);
      return { x, to: i >= 0 ? b.sample[i]! : -1 };
    })
    .filter((p) => p.to >= 0 && Math.abs(p.to - p.x.wanted) <= window && !listed.has(p.to))
    .sort((p, q) => Math.abs(p.to - p.x.wanted) - Math.abs(q.to - q.x.wanted));
  for (const { x, to: s } of pairs)
    if (!taken.has(s)) {
      placed.set(x, { sample: s, onBeat: true });
      taken.add(s);
    }
  const changes: Change[] = [];
  for (const x of rows) {
    const { rb } = x;
    const p = placed.get(x) ?? (rb.status === 'deleted' || taken.has(x.wanted) ? null : { sample: x.wanted, onBeat: false });
    if (!p) continue;
    taken.add(p.sample);
    if (r.labelsOnly && p.onBeat && b.label(b.indexAt(p.sample), to.threshold) === rb.label) continue;
    // an added beat of the export on one of this review's beats is a decision on that beat
    const status = !p.onBeat ? 'added' : rb.status === 'added' || r.labelsOnly ? 'relabelled' : rb.status;
    changes.push({
      kind: 'beat',
      sample: p.sample,
      before: p.onBeat ? b.edit(b.indexAt(p.sample)) : undefined,
      // an annotation file names no reviewer or time (''): the decision is the importing reviewer's, now
      after: { sample: p.sample, label: rb.label, status, who: rb.reviewer || r.reviewer || to.reviewer, when: rb.reviewedAt || r.exportedAt || to.now },
    });
  }
  for (const re of r.episodes) {
    if (re.status === 'unreviewed') continue;
    // of the source the export names, where it names one: a decision on the rhythm model's noise made
    // before it was clipped starts within a second of a signal-quality stretch, and is no decision on it
    const match = to.episodes.find(
      (x) => x.type === re.type && Math.abs(x.onsetSample - re.onsetSample) <= to.fs && (re.source === undefined || sourceOfView(x) === re.source)
    );
    // an annotation file's episode the review shows is no decision; one it does not show is added
    if (r.labelsOnly && match) continue;
    const status = r.labelsOnly ? 'added' : re.status;
    const k = match?.key ?? episodeKey({ source: status === 'added' ? 'reviewer' : to.episodeSource, type: re.type, onsetSample: re.onsetSample });
    const who = { reviewer: re.reviewer || r.reviewer || to.reviewer, reviewedAt: re.reviewedAt || r.exportedAt || to.now };
    changes.push({ kind: 'episode', key: k, before: to.episodeEdits.get(k), after: { ...re, ...who, status, key: k } });
  }
  return changes;
}
