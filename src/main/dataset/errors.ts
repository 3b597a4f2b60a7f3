/** A dataset could not be read or written: names the file and the problem. */
export class DatasetError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'DatasetError';
    this.file = file;
  }
}
