import { HeartbeatError } from '../../shared/errors';

/** Bad input to an evaluation function (unsorted annotations, impossible interval, ...). */
export class EvaluationError extends HeartbeatError {
  override name = 'EvaluationError';
  constructor(message: string) {
    super('BAD_VALUE', message);
  }
}
