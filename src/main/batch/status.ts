// The per-record outcome of `analyze` in a batch: one JSON line per record (--status) and the exit
// code a scheduler acts on. 'bad-input' will fail again (a broken or missing record file);
// 'retry' may pass on another try (I/O error, full disk).
import { readFile } from 'node:fs/promises';
import * as z from '../../shared/zod';
import { errorCodeOf, type ErrorCode } from '../../shared/errors';

export const RECORD_STATUSES = ['done', 'skipped', 'bad-input', 'retry'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const StatusLine = z.object({
  record: z.string(),
  recordPath: z.string(),
  status: z.enum(RECORD_STATUSES),
  /** The analysis JSON (done, skipped). */
  json: z.optional(z.string()),
  seconds: z.optional(z.number()),
  code: z.optional(z.string()),
  message: z.optional(z.string()),
});
export type StatusLine = z.infer<typeof StatusLine>;

/** Error codes that name a problem with the input itself (a record's or a model's file): retrying cannot help. */
const BAD_INPUT_CODES = new Set<ErrorCode>([
  'NOT_FOUND',
  'BAD_HEADER',
  'UNSUPPORTED_FORMAT',
  'TRUNCATED',
  'BAD_ANNOTATION',
  'BAD_RANGE',
  'BAD_VALUE',
  'IMPLAUSIBLE',
  'PARSE',
  'MISSING',
  'TYPE',
  'SHAPE',
  'EXTERNAL',
]);

/** 'bad-input' for a known input problem, else 'retry' (I/O, anything unexpected). */
export function failureStatus(code: string | undefined): 'bad-input' | 'retry' {
  return BAD_INPUT_CODES.has(errorCodeOf({ code })) ? 'bad-input' : 'retry';
}

/** EX_TEMPFAIL (sysexits.h): try again later. */
export const EXIT_RETRY = 75;
/** Bad input or usage: the CLI's usual code for it. */
export const EXIT_BAD_INPUT = 2;

/** The call's exit code: retry wins (a scheduler re-runs the call, skipping what is done), then bad input, else 0. */
export function exitCodeOf(statuses: readonly RecordStatus[]): number {
  if (statuses.includes('retry')) return EXIT_RETRY;
  if (statuses.includes('bad-input')) return EXIT_BAD_INPUT;
  return 0;
}

/**
 * The status line an error file (<record>.error.json) holds; null when there is none or the file holds
 * something else: the analysis JSON of a record named `<record>.error` has that name too.
 */
export async function readErrorFile(file: string): Promise<StatusLine | null> {
  try {
    const line = StatusLine.safeParse(JSON.parse(await readFile(file, 'utf8')));
    return line.success ? line.data : null;
  } catch {
    return null;
  }
}
