// The CPU time of a child process's busiest thread, read from /proc while it runs (Linux only).
// On a shared machine the wall time of a two-thread analysis depends on whether a second core
// is free; the busiest thread's CPU is its serial chain: about the wall time on two idle cores.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ: the unit of utime/stime in /proc/*/stat on Linux

export class ThreadCpu {
  private readonly seconds = new Map<number, number>();
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly pid: number,
    everyMs = 100
  ) {
    this.timer = process.platform === 'linux' ? setInterval(() => this.sample(), everyMs) : null;
  }

  /** Stops sampling; the busiest thread's CPU seconds seen (null off Linux). */
  stop(): number | null {
    if (!this.timer) return null;
    clearInterval(this.timer);
    return Math.max(0, ...this.seconds.values());
  }

  private sample(): void {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${this.pid}/task`);
    } catch {
      return; // exited
    }
    for (const tid of tids) {
      try {
        const s = readFileSync(`/proc/${this.pid}/task/${tid}/stat`, 'utf8');
        const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
        // fields 14 and 15 of stat (utime, stime) are 11 and 12 after the name
        this.seconds.set(Number(tid), (Number(f[11]) + Number(f[12])) / TICKS_PER_S);
      } catch {
        // the thread ended between the listing and the read
      }
    }
  }
}
