import { HeartbeatError, type ErrorCode } from '../../shared/errors';

/** A dataset could not be read or written: names the file and the problem. */
export class DatasetError extends HeartbeatError {
  override name = 'DatasetError';
  declare readonly file: string;
  constructor(file: string, message: string, code: ErrorCode = 'PARSE') {
    super(code, `${file}: ${message}`, file);
  }
}
