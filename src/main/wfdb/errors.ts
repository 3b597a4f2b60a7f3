// The one error type of the WFDB module: every problem with a record, header, signal or
// annotation file is reported as a WfdbError whose message starts with the file it concerns.
export type WfdbErrorCode =
  | 'not-found' // a header, signal or annotation file does not exist or cannot be opened
  | 'bad-header' // a header file that does not follow header(5)
  | 'unsupported-format' // a signal format this reader does not decode (unknown, FLAC)
  | 'truncated' // a signal or annotation file shorter than its header or its own structure says
  | 'bad-annotation' // an annotation file that does not follow the MIT format
  | 'bad-range' // a read outside [0, nFrames) or with from > to
  | 'bad-value' // a value that cannot be written in the requested format
  | 'implausible' // parses, but describes no real record (fs, signal count, duration, annotation count)
  | 'io'; // any other file-system failure

export class WfdbError extends Error {
  readonly code: WfdbErrorCode;
  readonly file: string;
  constructor(code: WfdbErrorCode, file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.name = 'WfdbError';
    this.code = code;
    this.file = file;
  }
}

/** Turns a file-system error into a WfdbError naming the file; other errors pass through. */
export function fsError(file: string, err: unknown, what = 'cannot read'): WfdbError {
  if (err instanceof WfdbError) return err;
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT') return new WfdbError('not-found', file, 'file not found');
  if (code === 'EISDIR') return new WfdbError('io', file, 'is a directory, not a file');
  if (code === 'EACCES' || code === 'EPERM') return new WfdbError('io', file, `${what}: permission denied`);
  const msg = err instanceof Error ? err.message : String(err);
  return new WfdbError('io', file, `${what}: ${msg}`);
}
