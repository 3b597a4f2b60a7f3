// The CLI's argument parsing: node:util parseArgs in strict mode (flags are declared, unknown flags
// are errors), its errors as one-line CliErrors.
import { parseArgs as parseNodeArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './errors';

export interface FlagSpec {
  /** 'string' takes a value, 'boolean' does not; 'list' may repeat. */
  type: 'string' | 'boolean' | 'list';
  /** A one-letter short form (-o). */
  alias?: string;
}

export interface Parsed {
  positionals: string[];
  flags: Record<string, string | boolean | string[] | undefined>;
}

export function parseArgs(argv: string[], spec: Record<string, FlagSpec>): Parsed {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, s] of Object.entries(spec)) {
    options[name] = {
      type: s.type === 'boolean' ? 'boolean' : 'string',
      ...(s.type === 'list' ? { multiple: true } : {}),
      ...(s.alias ? { short: s.alias } : {}),
    };
  }
  try {
    const { values, positionals } = parseNodeArgs({ args: argv, options, allowPositionals: true, strict: true });
    // no flag is a repeated boolean, so a list holds strings
    return { positionals, flags: values as Parsed['flags'] };
  } catch (e) {
    throw cliErrorOf(e);
  }
}

/** node:util's parse errors in the CLI's words (its own messages run over several lines). */
function cliErrorOf(e: unknown): unknown {
  const code = (e as { code?: unknown }).code;
  const message = (e as Error).message ?? '';
  // '-a, --annotator <value>' (a short form and its long one) is said as -a/--annotator, not "-a,"
  const option = (/'(-[^']*?)(?: <value>)?'/.exec(message)?.[1] ?? '').replace(', ', '/');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return new CliError(`unknown option ${option}`);
  if (code !== 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return e;
  if (/argument missing/.test(message)) return new CliError(`option ${option} needs a value`);
  if (/ambiguous/.test(message)) return new CliError(`option ${option} needs a value (one that starts with "-" is written ${option}=VALUE)`);
  return new CliError(`option ${option} takes no value`);
}

export function numberFlag(p: Parsed, name: string, fallback?: number): number | undefined {
  const v = p.flags[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  // Number('') and Number(' ') are 0: an empty value would pass as zero (e.g. --threshold= flags every beat)
  if (typeof v !== 'string' || v.trim() === '' || !Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${String(v)}"`);
  return n;
}

export function stringFlag(p: Parsed, name: string, fallback?: string): string | undefined {
  const v = p.flags[name];
  if (v === undefined) return fallback;
  if (typeof v !== 'string') throw new CliError(`--${name} needs a value`);
  return v;
}

/**
 * A comma-separated list of signal numbers (--leads 0,1): each part a whole number >= 0, none empty
 * (Number('') is 0: "0," would read lead 0 twice) or repeated, at most `max` of them.
 */
export function leadsList(text: string, max = Infinity): number[] {
  const leads = text.split(',').map((x) => (x.trim() === '' ? NaN : Number(x.trim())));
  const how = max === 2 ? 'one or two signal numbers (e.g. 0 or 0,1)' : 'signal numbers separated by commas (e.g. 0,1)';
  if (leads.length > max || leads.some((i) => !Number.isInteger(i) || i < 0) || new Set(leads).size !== leads.length)
    throw new CliError(`--leads takes ${how}, each once, got "${text}"`);
  return leads;
}
