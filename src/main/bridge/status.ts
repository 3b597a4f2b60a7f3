// The HTTP status of a failed call: the person's mistakes (a missing file, a refused target, a
// confirmation needed, a bad header) are 4xx with the error's own message; 500 is left for faults.
import { errorCodeOf, type ErrorCode } from '../../shared/errors';

const BY_CODE: Partial<Record<ErrorCode, number>> = {
  // not found
  NOT_FOUND: 404,
  UNKNOWN_CHANNEL: 404,
  UNKNOWN_JOB: 404,
  UNKNOWN_VERSION: 404,
  // the request is fine but the state says no
  CONFIRM_OVERWRITE: 409,
  BUSY: 409,
  SHIPPED: 409,
  CANCELLED: 409,
  IO: 409,
  // bad input
  BAD_REQUEST: 400,
  BAD_TARGET: 400,
  BAD_REVIEW_FILE: 400,
  UNSUPPORTED: 400,
  BAD_HEADER: 400,
  BAD_ANNOTATION: 400,
  BAD_RANGE: 400,
  BAD_VALUE: 400,
  UNSUPPORTED_FORMAT: 400,
  TRUNCATED: 400,
  IMPLAUSIBLE: 400,
  NOTHING_TO_LEARN: 400,
  TOO_FEW: 400,
  NO_DATA: 400,
  TOO_LARGE: 413,
};

export function httpStatusOf(err: unknown): number {
  return BY_CODE[errorCodeOf(err)] ?? 500;
}

/** Request bodies: most channels carry a few fields; a review export (export, report) or fine-tune sources may carry a 7-day Holter's beats. */
export const SMALL_BODY_BYTES = 1024 * 1024;
export const LARGE_BODY_CHANNELS = new Set(['export:write', 'finetune:start', 'report:page', 'report:pdf']);
