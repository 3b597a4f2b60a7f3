// How focus got where it is, for the review keys' focus rules (lib/key-bindings.ts); no DOM types, so
// the unit tests run it on a plain EventTarget.

/**
 * Whether the keyboard or a pointer put focus where it is (the review keys leave a button's Enter to
 * it only when the keyboard went there). `:focus-visible` cannot tell: a key pressed on a clicked
 * button makes it match before the key's handler runs.
 */
export class FocusOrigin {
  private last: 'key' | 'pointer' = 'pointer';
  /** The keyboard put focus on the element that has it (Tab, or a key whose action moved focus). */
  byKeyboard = false;

  constructor(target: Pick<EventTarget, 'addEventListener'>) {
    target.addEventListener('keydown', () => (this.last = 'key'), true);
    target.addEventListener('pointerdown', () => (this.last = 'pointer'), true);
    target.addEventListener('focusin', () => (this.byKeyboard = this.last === 'key'), true);
  }
}
