import { HeartbeatError } from '../../shared/errors';

/** Bad input to the QRS detector (no signal, mismatched lengths, bad rate). */
export class QrsError extends HeartbeatError {
  override name = 'QrsError';
  constructor(message: string) {
    super('BAD_VALUE', message);
  }
}
