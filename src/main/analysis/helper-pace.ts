// The helper worker's tasks besides the beat windows' chunks (signal quality, the rhythm windows),
// as a share done, so that the chunks keep pace with them: the helper conditions chunks ahead of
// the analysis worker only while these are as far along as the chunks read are, and otherwise
// leaves chunks to the analysis worker. Both threads then finish about together: conditioned
// first, the chunks left the rhythm windows alone on the helper at the end; left last, they had the
// analysis worker condition most chunks itself while the helper was busy. Which thread conditions a
// chunk never changes the result.

/** Share done (0..1) per task, from its arrival on. */
const done = new Map<number, number>();

/** Task `id` has arrived and counts in the pace (0 done), before it starts. */
export function expectTask(id: number): void {
  done.set(id, 0);
}

export function taskProgress(id: number, share: number): void {
  if (done.has(id)) done.set(id, Math.min(1, Math.max(0, share)));
}

/** The mean share done of the tasks that arrived (1 when there are none). */
export function otherTasksDone(): number {
  if (done.size === 0) return 1;
  let sum = 0;
  for (const v of done.values()) sum += v;
  return sum / done.size;
}
