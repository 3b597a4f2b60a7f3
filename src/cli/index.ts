// heartbeat-sensei: the command-line face of the same modules the app uses (no Electron).
// Each command lives in ./commands/<name>.ts and exports `run(argv): Promise<number>` and a one-line `summary`.
import { CliError } from './errors';

export interface Command {
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}

const commands: Record<string, () => Promise<Command>> = {
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
};

function help(): string {
  const lines = ['usage: heartbeat-sensei <command> [options]', '', 'commands:'];
  for (const name of Object.keys(commands).sort()) lines.push(`  ${name}`);
  lines.push('', 'Run `heartbeat-sensei <command> --help` for a command\'s options.');
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(help());
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    console.error(`heartbeat-sensei: unknown command "${name}"\n${help()}`);
    return 2;
  }
  const cmd = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(`usage: heartbeat-sensei ${cmd.usage}\n\n${cmd.summary}`);
    return 0;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    if (err instanceof CliError || (err instanceof Error && 'file' in err)) {
      console.error(`heartbeat-sensei ${name}: ${err.message}`);
      return 2;
    }
    throw err;
  }
}
