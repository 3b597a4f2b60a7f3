// A progress bar on stderr, drawn only when stderr is a terminal (never pollutes pipes or logs).
export interface Progress {
  update(fraction: number, label?: string): void;
  done(): void;
}

export function progressBar(title: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update() {}, done() {} };
  const start = Date.now();
  let last = 0;
  const draw = (f: number, label = '') => {
    const width = 30;
    const filled = Math.round(Math.max(0, Math.min(1, f)) * width);
    const elapsed = (Date.now() - start) / 1000;
    const eta = f > 0.01 ? ` eta ${Math.max(0, elapsed / f - elapsed).toFixed(0)}s` : '';
    stream.write(`\r${title} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}%${eta} ${label}\x1b[K`);
  };
  return {
    update(f, label) {
      const now = Date.now();
      if (now - last < 100 && f < 1) return;
      last = now;
      draw(f, label);
    },
    done() {
      draw(1);
      stream.write('\n');
    },
  };
}
