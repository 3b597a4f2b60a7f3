// The HTTP status of a failed call: the person's mistakes (a missing file, a refused target, a
// confirmation needed, a bad header) are 4xx with the error's own message; 500 is left for faults.
const BY_CODE: Record<string, number> = {
  // not found
  'not-found': 404,
  UNKNOWN_CHANNEL: 404,
  UNKNOWN_JOB: 404,
  UNKNOWN_VERSION: 404,
  // the request is fine but the state says no
  CONFIRM_OVERWRITE: 409,
  BUSY: 409,
  SHIPPED: 409,
  CANCELLED: 409,
  io: 409,
  // bad input
  BAD_REQUEST: 400,
  BAD_TARGET: 400,
  BAD_REVIEW_FILE: 400,
  UNSUPPORTED: 400,
  'bad-header': 400,
  'bad-annotation': 400,
  'bad-range': 400,
  'bad-value': 400,
  'unsupported-format': 400,
  truncated: 400,
  implausible: 400,
  NOTHING_TO_LEARN: 400,
  TOO_FEW: 400,
  NO_DATA: 400,
  TOO_LARGE: 413,
};

export function httpStatusOf(err: unknown): number {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (BY_CODE[code] ?? 500) : 500;
}

/** Request bodies: most channels carry a few fields; a review export (export, report) or fine-tune sources may carry a 7-day Holter's beats. */
export const SMALL_BODY_BYTES = 1024 * 1024;
export const LARGE_BODY_CHANNELS = new Set(['export:write', 'finetune:start', 'report:page', 'report:pdf']);
