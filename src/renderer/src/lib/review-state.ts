// The state the review model reads and writes, and where its changes go. The app gives it Svelte
// runes (session.svelte.ts), the unit tests a plain object.
import type { RecordInfo } from '../../../shared/contract';
import type { Analysis } from '../../../shared/analysis';
import type { ReviewBeats } from './beats';
import type { Change, EpisodeEdit } from './history';
import type { PendingBulk } from './bulk';

export type QueueOrder = 'time' | 'uncertainty';

/** What the review model reads and writes; every field a view draws from. */
export interface ReviewState {
  info: RecordInfo | null;
  analysis: Analysis | null;
  beats: ReviewBeats | null;
  /** Bumped on every change to beats or episodes: views redraw on it. */
  version: number;
  /** Bumped only when a change alters a beat's shown label (not on a confirmation): views coloured by label redraw on it. */
  labelVersion: number;
  threshold: number;
  queueOrder: QueueOrder;
  /** Sample of the current beat (-1: none). */
  current: number;
  /** Samples of selected beats (Poincaré box, range selection). */
  selection: ReadonlySet<number>;
  /** An action on more beats than BULK_CONFIRM_ABOVE, waiting for the reviewer's confirmation. */
  pending: PendingBulk | null;
  /** The episodes under review before any decision (the analysis's, else the reference's). */
  baseEpisodes: Analysis['episodes'];
  episodeEdits: ReadonlyMap<string, EpisodeEdit>;
  reviewer: string;
  /** After a label, on to the next flagged beat. */
  autoAdvance: boolean;
  error: string | null;
  notice: string | null;
}

/** Where the model's changes go: the review store (IndexedDB) and the record's cursor. */
export interface ReviewSink {
  save(changes: Change[], label: string): Promise<void>;
  saveCursor(sample: number): void;
}

/** A selection or edit map is replaced on every change, never mutated: views redraw on a new one. */
export const noSelection = (): ReadonlySet<number> => new Set();
export const noEpisodeEdits = (): ReadonlyMap<string, EpisodeEdit> => new Map();
