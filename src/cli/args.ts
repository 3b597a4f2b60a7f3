// Minimal, strict argument parsing for the CLI: flags are declared, unknown flags are errors.
import { CliError } from './errors';

export interface FlagSpec {
  /** 'string' takes a value, 'boolean' does not; 'list' may repeat. */
  type: 'string' | 'boolean' | 'list';
  alias?: string;
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): Parsed {
  const byAlias = new Map<string, string>();
  for (const [name, s] of Object.entries(spec)) if (s.alias) byAlias.set(s.alias, name);
  const out: Parsed = { positionals: [], flags: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    let name: string | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
      inline = eq >= 0 ? arg.slice(eq + 1) : undefined;
    } else if (arg.startsWith('-') && arg.length > 1 && !/^-\d/.test(arg)) {
      name = byAlias.get(arg.slice(1));
      if (!name) throw new CliError(`unknown option ${arg}`);
    } else {
      out.positionals.push(arg);
      continue;
    }
    const s = spec[name];
    if (!s) throw new CliError(`unknown option --${name}`);
    if (s.type === 'boolean') {
      out.flags[name] = inline === undefined ? true : inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new CliError(`option --${name} needs a value`);
    if (s.type === 'list') {
      const prev = out.flags[name];
      out.flags[name] = [...(Array.isArray(prev) ? prev : []), value];
    } else out.flags[name] = value;
  }
  return out;
}

export function numberFlag(p: Parsed, name: string, fallback?: number): number | undefined {
  const v = p.flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${String(v)}"`);
  return n;
}

export function stringFlag(p: Parsed, name: string, fallback?: string): string | undefined {
  const v = p.flags[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new CliError(`--${name} needs a value`);
  return v;
}
