import { HeartbeatError, type ErrorCode } from '../../shared/errors';

/** Why a model could not be used. The analysis falls back to the rules and shows `message`. */
export type ModelErrorCode = Extract<ErrorCode, 'MANIFEST' | 'MISSING' | 'HASH' | 'LOAD' | 'INCOMPATIBLE' | 'RUN'>;

export class ModelError extends HeartbeatError {
  override name = 'ModelError';
  declare readonly code: ModelErrorCode;
  declare readonly file: string;
  constructor(code: ModelErrorCode, file: string, message: string) {
    super(code, `${file}: ${message}`, file);
  }
}
