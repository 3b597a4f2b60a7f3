// The key table: each action's handler reaches the review model, the record store, the view or
// the app's panels; focus rules (text fields keep their keys, a clicked button does not take
// Enter, a button reached by the keyboard does) and a held bulk action taking only Enter or Esc.
import { describe, expect, it } from 'vitest';
import { handleKey, type KeyContext, type KeyEventLike } from '../../src/renderer/src/lib/key-bindings';

function context() {
  const calls: string[] = [];
  const log =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push(`${name}(${args.map((a) => JSON.stringify(a)).join(',')})`);
  let disclosure = false;
  let byKeyboard = false;
  const session = {
    review: {
      relabel: log('relabel'),
      next: log('next'),
      confirm: log('confirm'),
      confirmPending: log('confirmPending'),
      cancelPending: log('cancelPending'),
      select: log('select'),
      step: log('step'),
    },
    record: { setThreshold: log('setThreshold'), setQueueOrder: log('setQueueOrder') },
    info: { fs: 360, signals: [0, 1] },
    current: 720,
    threshold: 0.5,
    queueOrder: 'time',
    pending: null as unknown,
    error: 'old' as string | null,
  };
  const view = {
    startSec: 10,
    spanSec: 4,
    pxPerSec: 100,
    setWindow: log('setWindow'),
    stepZoom: log('stepZoom'),
    setSpeed: log('setSpeed'),
    centerOn: log('centerOn'),
    cycleGain: log('cycleGain'),
    cycleLead: log('cycleLead'),
  };
  const ui = {
    toggleHelp: log('help'),
    toggleDisclosure: () => (disclosure = !disclosure),
    disclosureOpen: () => disclosure,
    pageDisclosure: log('page'),
    closeOverlays: log('close'),
    addBeat: log('add'),
    focusByKeyboard: () => byKeyboard,
  };
  return {
    calls,
    session,
    c: { session, view, ui } as unknown as KeyContext,
    open: () => (disclosure = true),
    tabbed: (yes: boolean) => (byKeyboard = yes),
  };
}

function key(k: string, target: Record<string, unknown> | null = null, mods: Partial<KeyEventLike> = {}): KeyEventLike & { prevented: boolean } {
  const e = {
    key: k,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    altKey: false,
    target: target as EventTarget | null,
    prevented: false,
    preventDefault: () => (e.prevented = true),
    ...mods,
  };
  return e;
}

describe('key bindings', () => {
  it('a label key relabels, J moves on, ] raises the threshold, Shift+→ extends the selection, 0 resets the zoom about the current beat', () => {
    const { calls, c } = context();
    for (const e of [key('v'), key('j'), key(']'), key('ArrowRight', null, { shiftKey: true }), key('0')]) handleKey(e, c);
    expect(calls).toEqual(['relabel("V")', 'next(1)', 'setThreshold(0.51)', 'step(1,true)', 'setSpeed(25)', 'centerOn(2)']);
  });

  it('PgDn scrolls the trace, or pages full disclosure when it is open', () => {
    const { calls, c, open } = context();
    handleKey(key('PageDown'), c);
    open();
    handleKey(key('PageDown'), c);
    expect(calls).toEqual(['setWindow(13.6,100)', 'page(1)']);
  });

  it('text fields keep their keys except Esc; a slider or a clicked button does not, and the button loses focus', () => {
    const { calls, c, session } = context();
    handleKey(key('v', { tagName: 'INPUT', type: 'text' }), c);
    expect(calls).toEqual([]);
    handleKey(key('Escape', { tagName: 'INPUT', type: 'text', blur: () => calls.push('blur') }), c);
    expect(calls).toEqual(['blur', 'close()', 'select([])']);
    expect(session.error).toBeNull();
    calls.length = 0;
    handleKey(key('v', { tagName: 'INPUT', type: 'range' }), c);
    const e = key('Enter', { tagName: 'BUTTON', blur: () => calls.push('blur') });
    handleKey(e, c);
    expect(e.prevented).toBe(true);
    expect(calls).toEqual(['relabel("V")', 'blur', 'confirm()']);
  });

  it('a button reached by the keyboard keeps Enter and Space, a slider its arrows; a review key still acts; a clicked one does not', () => {
    const { calls, c, tabbed: byKeyboard } = context();
    const tabbed = (tagName: string, type?: string) => ({ tagName, type, blur: () => calls.push('blur') });
    byKeyboard(true);
    for (const k of ['Enter', ' ']) {
      const e = key(k, tabbed('BUTTON'));
      handleKey(e, c);
      expect(e.prevented).toBe(false);
    }
    for (const k of ['ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown']) {
      const e = key(k, tabbed('INPUT', 'range'));
      handleKey(e, c);
      expect(e.prevented).toBe(false);
    }
    expect(calls).toEqual([]);
    handleKey(key('k', tabbed('BUTTON')), c);
    handleKey(key('ArrowRight', tabbed('BUTTON')), c);
    byKeyboard(false); // a click put focus there
    handleKey(key('Enter', { tagName: 'BUTTON' }), c);
    expect(calls).toEqual(['blur', 'next(-1)', 'blur', 'step(1,false)', 'confirm()']);
  });

  it('with a bulk action held, Enter applies it, Esc cancels, other keys wait; Enter on the dialog is its button', () => {
    const { calls, c, session } = context();
    session.pending = { action: { kind: 'relabel', label: 'V' }, samples: [1, 2, 3, 4, 5, 6] };
    handleKey(key('j'), c);
    handleKey(key('Enter', { tagName: 'BUTTON', closest: () => ({}) }), c);
    handleKey(key('Enter'), c);
    handleKey(key('Escape'), c);
    expect(calls).toEqual(['confirmPending()', 'cancelPending()']);
  });

  it('a held key repeats moving about, never a label, a confirmation or an add (a held N relabelled beat after beat)', () => {
    const { calls, c, session } = context();
    for (const k of ['n', 'Enter', 'a', 'Delete', 'z']) handleKey(key(k, null, { repeat: true, ctrlKey: k === 'z' }), c);
    expect(calls).toEqual([]);
    handleKey(key('j', null, { repeat: true }), c);
    expect(calls).toEqual(['next(1)']);
    session.pending = { action: { kind: 'relabel', label: 'V' }, samples: [1, 2, 3, 4, 5, 6] };
    handleKey(key('Enter', null, { repeat: true }), c); // the Enter held from before the dialog
    expect(calls).toEqual(['next(1)']);
  });

  it('Space and Enter on a focused checkbox or radio are its own, not "confirm the beat"', () => {
    const { calls, c } = context();
    for (const k of [' ', 'Enter']) {
      const e = key(k, { tagName: 'INPUT', type: 'checkbox' });
      handleKey(e, c);
      expect(e.prevented).toBe(false);
    }
    handleKey(key('Enter', { tagName: 'INPUT', type: 'radio' }), c);
    expect(calls).toEqual([]);
  });
});
