// How focus got where it is (lib/focus-origin.ts): the review keys leave Enter and Space to a
// button only when the keyboard put focus on it, never to one a click focused.
import { describe, expect, it } from 'vitest';
import { FocusOrigin } from '../../src/renderer/src/lib/focus-origin';

describe('focus origin', () => {
  it("a focus after Tab is the keyboard's; after a click, the pointer's; a key on a clicked button changes nothing", () => {
    const win = new EventTarget();
    const origin = new FocusOrigin(win);
    const fire = (type: string) => win.dispatchEvent(new Event(type));
    expect(origin.byKeyboard).toBe(false);
    fire('keydown'); // Tab
    fire('focusin');
    expect(origin.byKeyboard).toBe(true);
    fire('pointerdown'); // a click on another button focuses it
    fire('focusin');
    expect(origin.byKeyboard).toBe(false);
    fire('keydown'); // Enter on the clicked button: still the click's focus
    expect(origin.byKeyboard).toBe(false);
    fire('focusin'); // a key whose action moved focus (Esc closing a dialog, focus back on its button)
    expect(origin.byKeyboard).toBe(true);
  });
});
