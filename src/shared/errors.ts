// The one error base. Every error meant for a person carries a code from `ErrorCode` (what went
// wrong, stable across versions and transports) and, when it concerns a file, that file. The
// same codes cross IPC (`WireError`), give the bridge its HTTP status and the CLI its exit code.
import * as z from './zod';

export const ErrorCode = z.enum([
  // the request itself
  'BAD_REQUEST',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN',
  'TOO_LARGE',
  'UNSUPPORTED',
  'USAGE',
  // the renderer's transport: the loopback bridge did not answer
  'UNREACHABLE',
  // files a person names: records, reviews, exports, datasets
  'NOT_FOUND',
  'IO',
  'PARSE',
  'BAD_HEADER',
  'BAD_ANNOTATION',
  'UNSUPPORTED_FORMAT',
  'TRUNCATED',
  'IMPLAUSIBLE',
  'BAD_RANGE',
  'BAD_VALUE',
  'BAD_REVIEW_FILE',
  'BAD_TARGET',
  'CONFIRM_OVERWRITE',
  // model files and sessions
  'MANIFEST',
  'MISSING',
  'HASH',
  'LOAD',
  'INCOMPATIBLE',
  'RUN',
  'TYPE',
  'SHAPE',
  'EXTERNAL',
  'WRITE',
  // jobs (analyses, fine-tunes)
  'BUSY',
  'UNKNOWN_JOB',
  'CANCELLED',
  'WORKER_MISSING',
  'WORKER_EXIT',
  'WORKER_FAILED',
  'ANALYSIS_FAILED',
  'FINETUNE_FAILED',
  'WRITE_FAILED',
  'COLLISION',
  // fine-tuning
  'NO_MODEL',
  'NO_HEAD',
  'NO_DATA',
  'TOO_FEW',
  'NOTHING_TO_LEARN',
  'RECORD',
  'REGISTRY',
  'SHIPPED',
  'UNKNOWN_VERSION',
  // printing the report
  'NO_BROWSER',
  // anything else: a fault, not the person's mistake
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export class HeartbeatError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** The file or folder the error concerns. */
    readonly file?: string
  ) {
    super(message);
    // Subclasses name themselves explicitly: bundlers may rename classes.
    this.name = 'HeartbeatError';
  }
}

/** An error that crossed the boundary: a stable code plus a message meant for a person. */
export const WireError = z.object({ code: ErrorCode, message: z.string(), file: z.optional(z.string()) });
export type WireError = z.infer<typeof WireError>;

/** The code of anything thrown: its own when it is one of ErrorCode, else `fallback` (a Node errno such as ENOENT is not). */
export function errorCodeOf(err: unknown, fallback: ErrorCode = 'INTERNAL'): ErrorCode {
  const parsed = ErrorCode.safeParse((err as { code?: unknown } | null)?.code);
  return parsed.success ? parsed.data : fallback;
}

/** What crosses IPC (or a worker's port) for a thrown value. */
export function toWireError(err: unknown, fallback: ErrorCode = 'INTERNAL'): WireError {
  const e = err as { message?: unknown; file?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : String(err);
  return { code: errorCodeOf(err, fallback), message, ...(typeof e?.file === 'string' ? { file: e.file } : {}) };
}

/** The receiving side: the error a WireError stands for; one that does not parse is an INTERNAL error saying so. */
export function fromWireError(value: unknown): HeartbeatError {
  const parsed = WireError.safeParse(value);
  if (!parsed.success) return new HeartbeatError('INTERNAL', `malformed error from the main process: ${JSON.stringify(value)?.slice(0, 200)}`);
  return new HeartbeatError(parsed.data.code, parsed.data.message, parsed.data.file);
}
