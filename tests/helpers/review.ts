// A review export of an analysis as it stands (every beat and episode unreviewed), as the app
// writes one before the reviewer has changed anything.
import { AAMI_CLASSES, type Analysis } from '../../src/shared/analysis';
import { REVIEW_FORMAT, type ReviewExport } from '../../src/shared/review';

export function unreviewedExport(a: Analysis): ReviewExport {
  return {
    format: REVIEW_FORMAT,
    version: 1,
    record: { name: a.record, hash: a.recordHash, fs: a.fs },
    threshold: a.threshold,
    exportedAt: '2026-12-04T12:00:00.000Z',
    reviewer: 'Dr Test',
    beats: Array.from(a.beats.sample, (s, i) => ({
      sample: s,
      label: AAMI_CLASSES[a.beats.label[i]!]!,
      status: 'unreviewed' as const,
      predicted: AAMI_CLASSES[a.beats.label[i]!]!,
    })),
    episodes: a.episodes.map(({ source: _s, ...e }) => ({ ...e, status: 'unreviewed' as const })),
  };
}
