// heartbeat-sensei: the command-line face of the same modules the app uses (no Electron).
// Each command lives in ./commands/<name>.ts and exports a CliCommand: `run(argv): Promise<number>`, its `usage` and a
// `summary` (shown by `<command> --help`); `--help` lists each with its line from `lines` below.
import { CliError } from './errors';
import { cliVersion } from './version';

export interface CliCommand {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands = {
  analyze: () => import('./commands/analyze').then((m) => m.default),
  info: () => import('./commands/info').then((m) => m.default),
  dump: () => import('./commands/dump').then((m) => m.default),
  ann: () => import('./commands/ann').then((m) => m.default),
  evaluate: () => import('./commands/evaluate').then((m) => m.default),
  synth: () => import('./commands/synth').then((m) => m.default),
  dataset: () => import('./commands/dataset').then((m) => m.default),
  detect: () => import('./commands/detect').then((m) => m.default),
  finetune: () => import('./commands/finetune').then((m) => m.default),
  report: () => import('./commands/report').then((m) => m.default),
  summarize: () => import('./commands/summarize').then((m) => m.default),
} satisfies Record<string, () => Promise<CliCommand>>;
type CommandName = keyof typeof commands;

/** One line per command for `--help` (the command's own `--help` says more); typed so a new command needs one. */
const lines: Record<CommandName, string> = {
  analyze: 'detect beats, score them, mark AF/VT/pauses; write <record>.pvc/.csv/.json',
  info: 'show a record: signals, rate, duration, formats, annotators (--verify: checksums)',
  dump: 'print the samples of a record (rdsamp -H)',
  ann: 'print the annotations of a record (rdann)',
  evaluate: 'EC57 beat (bxb, sumstats) and episode (epic) evaluation against the reference',
  synth: 'write a synthetic ECG record with ground-truth annotations',
  dataset: 'write beat or rhythm datasets (.npy + meta.json) for training',
  detect: 'detect QRS complexes and write them as a WFDB annotation file',
  finetune: 'fine-tune the beat model on reviewed beats; list, use, roll back versions',
  report: 'write the Holter report of a record as a PDF',
  summarize: 'one table (CSV, Parquet) of every record analysed into a folder (analyze --out)',
};

/** Exit codes, the same for every command (README, "Command line"). */
export const EXIT = {
  ok: 0,
  /** The command ran but something it checked did not hold (a checksum differs, a record failed). */
  failed: 1,
  /** Bad input or usage: one line names the file or argument and the problem. */
  usage: 2,
  /** A bug: the stack is printed. */
  internal: 70,
  /** analyze: a record failed in a way another try may fix (EX_TEMPFAIL; src/main/batch/status.ts, docs/scale.md). */
  retry: 75,
  /** Stopped by Ctrl-C (SIGINT). */
  interrupted: 130,
} as const;

function help(): string {
  const names = (Object.keys(commands) as CommandName[]).sort();
  const width = Math.max(...names.map((n) => n.length));
  return [
    'usage: heartbeat-sensei <command> [options]',
    '       heartbeat-sensei --help | --version',
    '',
    'commands:',
    ...names.map((n) => `  ${n.padEnd(width)}  ${lines[n]}`),
    '',
    "Run `heartbeat-sensei <command> --help` for a command's options.",
    `Exit codes: ${EXIT.ok} done, ${EXIT.failed} a check failed, ${EXIT.usage} bad input or usage, ${EXIT.internal} internal error, ${EXIT.retry} try again (analyze), ${EXIT.interrupted} interrupted.`,
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === '--version' || name === '-V') {
    console.log(`heartbeat-sensei ${cliVersion()}`);
    return EXIT.ok;
  }
  const load = Object.hasOwn(commands, name) ? commands[name as CommandName] : undefined;
  if (!load) {
    console.error(`heartbeat-sensei: unknown command "${name}"\n${help()}`);
    return EXIT.usage;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: heartbeat-sensei ${cmd.usage}\n\n${cmd.summary}`);
    return EXIT.ok;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    // a usage error, or one naming the file at fault (a bad record, review or model): the person's to fix
    if (err instanceof CliError || (err instanceof Error && typeof (err as { file?: unknown }).file === 'string')) {
      console.error(`heartbeat-sensei ${name}: ${err.message}`);
      return EXIT.usage;
    }
    throw err;
  }
}
