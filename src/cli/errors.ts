import { HeartbeatError } from '../shared/errors';

/** A usage or input error: the CLI prints its message on one line and exits with code 2. */
export class CliError extends HeartbeatError {
  override name = 'CliError';
  constructor(message: string) {
    super('USAGE', message);
  }
}
