/** Bad input to an evaluation function (unsorted annotations, impossible interval, ...). */
export class EvaluationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationError';
  }
}
