// Focus for the app's dialogs and overlays. An element removed with focus in it leaves focus on
// the page's body: a keyboard or screen-reader user then starts again from the top of the page.
import { nearestEnabled } from './focus-next';

/**
 * An attachment (`{@attach returnFocus}`) for a dialog or overlay: when it goes, focus goes back to
 * the element that had it when it came (the button that opened it), if that is still on the page and
 * focus was left in the dialog or nowhere.
 */
export function returnFocus(node: HTMLElement): () => void {
  const before = document.activeElement;
  return () => {
    const now = document.activeElement;
    if (before instanceof HTMLElement && before !== document.body && before.isConnected && (!now || now === document.body || node.contains(now)))
      before.focus();
  };
}

/** `returnFocus`, and focus moves into the dialog as it opens (it needs tabindex="-1"): a screen reader reads it out. */
export function takeFocus(node: HTMLElement): () => void {
  const back = returnFocus(node);
  node.focus();
  return back;
}

/**
 * `returnFocus` for a modal dialog that covers the page, and focus kept inside it: Tab past its last
 * control (or out of its frame), a click behind it, or its focused button going (Cancel once the
 * work is done) left focus on the page it covers, where review keys reach the beat behind it.
 */
export function modalFocus(node: HTMLElement): () => void {
  const back = returnFocus(node);
  const outside = (t: EventTarget | null) => node.isConnected && !(t instanceof Node && node.contains(t));
  const keep = (e: FocusEvent) => {
    if (outside(e.target)) node.focus();
  };
  // a focused control removed or disabled leaves focus on nothing (no focus event says so)
  const lost = new MutationObserver(() => {
    if (!document.activeElement || document.activeElement === document.body) node.focus();
  });
  // and a key pressed while focus is on nothing goes to the dialog, not to the review keys
  const key = (e: KeyboardEvent) => {
    if (!outside(e.target)) return;
    e.preventDefault();
    e.stopPropagation();
    node.focus();
  };
  document.addEventListener('focusin', keep);
  window.addEventListener('keydown', key, true);
  lost.observe(node, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
  return () => {
    lost.disconnect();
    window.removeEventListener('keydown', key, true);
    document.removeEventListener('focusin', keep);
    back();
  };
}

const CONTROLS = 'button, input, select, textarea, a[href], [tabindex]:not([tabindex="-1"])';

/**
 * An attachment (`{@attach keepFocus(say)}`) for a panel whose buttons disable or remove themselves
 * when pressed (▶ on the last page, Defaults once the defaults are in, Start while it runs, Cancel
 * once done): the browser leaves focus on the page's body and a keyboard user starts again from the
 * top. Focus goes to the nearest control still enabled (or the panel, with tabindex="-1"), and
 * `say` can announce why in the app's live region.
 */
export function keepFocus(say?: (lost: HTMLElement) => void): (node: HTMLElement) => () => void {
  return (node) => {
    const controls = () => [...node.querySelectorAll<HTMLElement>(CONTROLS)];
    // the panel's controls when the lost one took focus: where it was, once removed
    let last: HTMLElement | null = null;
    let before: HTMLElement[] = [];
    const took = (e: FocusEvent) => {
      if (!(e.target instanceof HTMLElement) || e.target === node) return;
      last = e.target;
      before = controls();
    };
    // focus sent elsewhere by a click leaves `last` behind: it is no longer the panel's to keep
    const away = (e: PointerEvent) => {
      if (!(e.target instanceof Node && node.contains(e.target))) last = null;
    };
    // and so does focus that leaves it while it can still hold it: Tab out of the panel, a click on
    // its text (focus to the body); else a later disabling (a page key reaching the last page) pulled
    // focus back from wherever the reviewer had taken it, and the next Enter pressed that button
    const left = (e: FocusEvent) => {
      const t = e.target;
      if (t !== last || !(t instanceof HTMLElement)) return;
      if (e.relatedTarget instanceof Node ? !node.contains(e.relatedTarget) : t.isConnected && !t.matches(':disabled')) last = null;
    };
    // no focus event says a focused control was disabled or removed
    const lost = new MutationObserver(() => {
      const now = document.activeElement;
      if (!last || (now && now !== document.body) || (last.isConnected && !last.matches(':disabled'))) return;
      const gone = last;
      last = null;
      const list = controls();
      const usable = list.map((c) => !c.matches(':disabled') && c.getClientRects().length > 0);
      const to = list[nearestEnabled(usable, placeOf(gone, before, list))] ?? (node.hasAttribute('tabindex') ? node : null);
      if (!to) return;
      to.focus();
      say?.(gone);
    });
    node.addEventListener('focusin', took);
    node.addEventListener('focusout', left);
    document.addEventListener('pointerdown', away, true);
    lost.observe(node, { subtree: true, childList: true, attributes: true, attributeFilter: ['disabled'] });
    return () => {
      lost.disconnect();
      document.removeEventListener('pointerdown', away, true);
      node.removeEventListener('focusout', left);
      node.removeEventListener('focusin', took);
    };
  };
}

/** Index of `gone` among `now`: its own while it is still there, else just after the nearest control before it that is. */
function placeOf(gone: HTMLElement, before: readonly HTMLElement[], now: readonly HTMLElement[]): number {
  const own = now.indexOf(gone);
  if (own >= 0) return own;
  for (let k = before.indexOf(gone) - 1; k >= 0; k--) {
    const j = now.indexOf(before[k]!);
    if (j >= 0) return j + 0.5;
  }
  return -0.5;
}
