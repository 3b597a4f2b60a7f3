// The one error type of the WFDB module: every problem with a record, header, signal or
// annotation file is reported as a WfdbError whose message starts with the file it concerns.
import { HeartbeatError, type ErrorCode } from '../../shared/errors';

/** The codes a WfdbError carries: the members of ErrorCode that describe a record's files. */
export type WfdbErrorCode = Extract<
  ErrorCode,
  | 'NOT_FOUND' // a header, signal or annotation file does not exist or cannot be opened
  | 'BAD_HEADER' // a header file that does not follow header(5)
  | 'UNSUPPORTED_FORMAT' // a signal format this reader does not decode (unknown, FLAC)
  | 'TRUNCATED' // a signal or annotation file shorter than its header or its own structure says
  | 'BAD_ANNOTATION' // an annotation file that does not follow the MIT format
  | 'BAD_RANGE' // a read outside [0, nFrames) or with from > to
  | 'BAD_VALUE' // a value that cannot be written in the requested format
  | 'IMPLAUSIBLE' // parses, but describes no real record (fs, signal count, duration, annotation count) or none to analyse (no ECG signal)
  | 'IO' // any other file-system failure
>;

export class WfdbError extends HeartbeatError {
  override name = 'WfdbError';
  declare readonly code: WfdbErrorCode;
  declare readonly file: string;
  constructor(code: WfdbErrorCode, file: string, problem: string) {
    super(code, `${file}: ${problem}`, file);
  }
}

/** Turns a file-system error into a WfdbError naming the file; other errors pass through. */
export function fsError(file: string, err: unknown, what = 'cannot read'): WfdbError {
  if (err instanceof WfdbError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new WfdbError('NOT_FOUND', file, 'file not found');
  // not there as a file: bad input, as a missing file is (IO is kept for what another try may mend)
  if (code === 'EISDIR') return new WfdbError('NOT_FOUND', file, 'is a directory, not a file');
  if (code === 'EACCES' || code === 'EPERM') return new WfdbError('IO', file, `${what}: permission denied`);
  const msg = err instanceof Error ? err.message : String(err);
  return new WfdbError('IO', file, `${what}: ${msg}`);
}
