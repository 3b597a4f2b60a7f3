// Runs a CLI call in process with its console and stdout captured (stderr progress silenced), so a
// test can read what the command printed.
export async function quiet<T>(fn: () => Promise<T>): Promise<{ value: T; out: string; err: string }> {
  const [log, error, write, outWrite] = [console.log, console.error, process.stderr.write, process.stdout.write];
  let out = '';
  let err = '';
  console.log = (...a: unknown[]) => void (out += a.join(' ') + '\n');
  console.error = (...a: unknown[]) => void (err += a.join(' ') + '\n');
  process.stderr.write = (() => true) as typeof process.stderr.write;
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  try {
    return { value: await fn(), out, err };
  } finally {
    [console.log, console.error, process.stderr.write, process.stdout.write] = [log, error, write, outWrite];
  }
}
