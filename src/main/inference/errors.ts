/** Why a model could not be used. The analysis falls back to the rules and shows `message`. */
export type ModelErrorCode = 'MANIFEST' | 'MISSING' | 'HASH' | 'LOAD' | 'INCOMPATIBLE' | 'RUN';

export class ModelError extends Error {
  constructor(
    readonly code: ModelErrorCode,
    readonly file: string,
    message: string
  ) {
    super(`${file}: ${message}`);
    this.name = 'ModelError';
  }
}
