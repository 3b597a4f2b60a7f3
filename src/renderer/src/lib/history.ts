// Undo/redo of reviewer actions. A command is a list of changes, each holding the record before
// and after (undefined = no edit); undo applies the befores, redo the afters. Nothing is lost:
// the store writes every applied change at once.
import type { BeatEdit } from './beats';
import type { ReviewedEpisode } from '../../../shared/review';

export type EpisodeEdit = ReviewedEpisode & { key: string };

export type Change =
  { kind: 'beat'; sample: number; before?: BeatEdit; after?: BeatEdit } | { kind: 'episode'; key: string; before?: EpisodeEdit; after?: EpisodeEdit };

export interface Command {
  label: string;
  changes: Change[];
}

export function invert(cmd: Command): Command {
  return {
    label: `undo ${cmd.label}`,
    changes: cmd.changes
      .slice()
      .reverse()
      .map((c) =>
        c.kind === 'beat'
          ? { kind: 'beat', sample: c.sample, before: c.after, after: c.before }
          : { kind: 'episode', key: c.key, before: c.after, after: c.before }
      ),
  };
}

export class History {
  private done: Command[] = [];
  private undone: Command[] = [];

  constructor(private readonly limit = 10_000) {}

  push(cmd: Command): void {
    if (!cmd.changes.length) return;
    this.done.push(cmd);
    if (this.done.length > this.limit) this.done.shift();
    this.undone = [];
  }

  /** The changes that undo the last command (to apply), or null. */
  undo(): Command | null {
    const cmd = this.done.pop();
    if (!cmd) return null;
    this.undone.push(cmd);
    return invert(cmd);
  }

  /** The changes that redo the last undone command, or null. */
  redo(): Command | null {
    const cmd = this.undone.pop();
    if (!cmd) return null;
    this.done.push(cmd);
    return cmd;
  }

  get canUndo(): boolean {
    return this.done.length > 0;
  }
  get canRedo(): boolean {
    return this.undone.length > 0;
  }
  clear(): void {
    this.done = [];
    this.undone = [];
  }
}
