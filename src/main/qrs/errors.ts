/** Bad input to the QRS detector (no signal, mismatched lengths, bad rate). */
export class QrsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QrsError';
  }
}
