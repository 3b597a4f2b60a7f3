// Focus for the app's dialogs and overlays. An element removed with focus in it leaves focus on
// the page's body: a keyboard or screen-reader user then starts again from the top of the page.

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
