// What each keyboard action does: a table from action (keys.ts maps a key press to one) to its
// handler, and the rules for where focus is. Review keys act the same wherever focus is except in
// text fields and a control reached by the keyboard (a button's Enter and Space, a slider's arrows);
// an action held for confirmation takes only Enter or Esc.
import { actionFor, type Action, type KeyLike } from './keys';
import type { ReviewModel } from './review-model';
import type { RecordStore } from './record-store';
import type { ViewState } from './view.svelte';

/** The part of the session the keys drive. */
export interface KeySession {
  review: ReviewModel;
  record: RecordStore;
  info: { fs: number; signals: readonly unknown[] } | null;
  current: number;
  threshold: number;
  queueOrder: 'time' | 'uncertainty';
  pending: unknown;
  error: string | null;
}

/** The app's own panels and tools. */
export interface KeyUi {
  toggleHelp(): void;
  toggleDisclosure(): void;
  disclosureOpen(): boolean;
  /** One full-disclosure page back (-1) or on (1). */
  pageDisclosure(dir: number): void;
  /** Closes the help and full disclosure, clears the calipers. */
  closeOverlays(): void;
  /** Adds a beat at the pointer (snapped to the R peak), or between this beat and the next. */
  addBeat(): void;
  /** Whether the keyboard put focus where it is (Tab), not a click (lib/focus-origin.ts). */
  focusByKeyboard(): boolean;
}

export interface KeyContext {
  session: KeySession;
  view: Pick<ViewState, 'startSec' | 'spanSec' | 'pxPerSec' | 'setWindow' | 'stepZoom' | 'setSpeed' | 'centerOn' | 'cycleGain' | 'cycleLead'>;
  ui: KeyUi;
}

type Handlers = { [K in Action['type']]: (a: Extract<Action, { type: K }>, c: KeyContext) => void };

const currentSec = ({ session: s }: KeyContext): number | undefined => (s.current >= 0 && s.info ? s.current / s.info.fs : undefined);

export const KEY_HANDLERS: Handlers = {
  label: (a, { session }) => void session.review.relabel(a.label),
  next: (_, { session }) => session.review.next(1),
  prev: (_, { session }) => session.review.next(-1),
  confirm: (_, { session }) => void session.review.confirm(),
  delete: (_, { session }) => void session.review.deleteBeat(),
  add: (_, { ui }) => ui.addBeat(),
  undo: (_, { session }) => void session.review.undo(),
  redo: (_, { session }) => void session.review.redo(),
  beat: (a, { session }) => session.review.step(a.dir, a.extend),
  pan: (a, { view, ui }) =>
    ui.disclosureOpen() ? ui.pageDisclosure(Math.sign(a.pages)) : view.setWindow(view.startSec + a.pages * view.spanSec, view.pxPerSec),
  reportStrip: (_, { session, view }) => void session.record.addReportStrip(view),
  disclosure: (_, { ui }) => ui.toggleDisclosure(),
  zoom: (a, c) => c.view.stepZoom(a.dir, currentSec(c)),
  resetZoom: (_, c) => {
    c.view.setSpeed(25);
    const sec = currentSec(c);
    if (sec !== undefined) c.view.centerOn(sec);
  },
  threshold: (a, { session }) => session.record.setThreshold(session.threshold + a.delta),
  gain: (_, { view }) => view.cycleGain(),
  lead: (_, { session, view }) => view.cycleLead(session.info?.signals.length ?? 1),
  order: (_, { session }) => void session.record.setQueueOrder(session.queueOrder === 'time' ? 'uncertainty' : 'time'),
  export: (_, { session }) => void session.record.exportReview(false),
  escape: (_, { session, ui }) => {
    ui.closeOverlays();
    session.review.select([]);
    session.error = null;
  },
  help: (_, { ui }) => ui.toggleHelp(),
};

export interface KeyEventLike extends KeyLike {
  target: EventTarget | null;
  preventDefault(): void;
  /** A key held down, repeating. */
  repeat?: boolean;
}

/** Actions a held key may repeat (moving about); every other one acts once per press: a held N must not relabel beat after beat. */
const REPEATABLE = new Set<Action['type']>(['beat', 'pan', 'zoom', 'next', 'prev', 'gain', 'threshold']);

type Focusable = { tagName: string; type?: string; blur?: () => void; closest?: (sel: string) => unknown };

const SLIDER_KEYS = new Set(['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);

/**
 * Whether the key is the focused control's own: a button's Enter and Space (its click), a slider's
 * arrows, when the keyboard took focus there (`byKeyboard`). A control focused by a click keeps no
 * key: a clicked "J ▶" must not take the Enter that confirms the beat; but without this no button
 * could be pressed from the keyboard, and Space on a tabbed-to "N" confirmed the beat's old label.
 */
export function ownKey(key: string, t: Focusable | null, byKeyboard: boolean): boolean {
  if (!byKeyboard || !t) return false;
  if (t.tagName === 'BUTTON') return key === 'Enter' || key === ' ';
  return t.tagName === 'INPUT' && t.type === 'range' && SLIDER_KEYS.has(key);
}

/** Whether focus is in a field that takes text (a slider, radio or checkbox does not). */
export function isTextField(t: Focusable | null): boolean {
  if (!t || (t.tagName !== 'INPUT' && t.tagName !== 'TEXTAREA' && t.tagName !== 'SELECT')) return false;
  return t.type !== 'range' && t.type !== 'radio' && t.type !== 'checkbox';
}

/** Runs the action of a key press, if it has one. */
export function handleKey(e: KeyEventLike, c: KeyContext): void {
  const s = c.session;
  const t = e.target as Focusable | null;
  const typing = isTextField(t);
  if (typing && e.key !== 'Escape') return;
  // Space and Enter on a focused checkbox or radio are its own (toggle, choose), not "confirm the beat"
  if ((e.key === ' ' || e.key === 'Enter') && t?.tagName === 'INPUT' && (t.type === 'checkbox' || t.type === 'radio')) return;
  // A multi-beat action waits for its answer: Enter confirms, Esc cancels, other keys wait.
  if (s.pending) {
    // Enter on the dialog's own buttons is their click (Cancel must not confirm).
    if (e.key === 'Enter' && t?.closest?.('[data-testid=bulk-confirm]')) return;
    if ((e.key === 'Escape' || e.key === 'Enter') && !e.repeat) {
      e.preventDefault();
      if (e.key === 'Enter') void s.review.confirmPending();
      else s.review.cancelPending();
    }
    return;
  }
  if (ownKey(e.key, t, c.ui.focusByKeyboard())) return;
  const a = actionFor(e);
  if (!a) return;
  if (e.repeat && !REPEATABLE.has(a.type)) {
    e.preventDefault();
    return;
  }
  // The default (a focused button's click) is prevented and focus leaves the control: a clicked
  // "J ▶" must not take Enter.
  e.preventDefault();
  if (typing || t?.tagName === 'BUTTON') t?.blur?.();
  (KEY_HANDLERS[a.type] as (a: Action, c: KeyContext) => void)(a, c);
}
