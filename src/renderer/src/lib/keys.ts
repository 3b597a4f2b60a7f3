// The keyboard map: a key press to a named action. Pure, so the map is testable and the help
// overlay lists exactly what the handler does.
import type { ReviewLabel } from '../../../shared/review';

export type Action =
  | { type: 'label'; label: ReviewLabel }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'confirm' }
  | { type: 'delete' }
  | { type: 'add' }
  | { type: 'undo' }
  | { type: 'redo' }
  | { type: 'beat'; dir: 1 | -1; extend: boolean }
  | { type: 'pan'; pages: number }
  | { type: 'zoom'; dir: 1 | -1 }
  | { type: 'resetZoom' }
  | { type: 'threshold'; delta: number }
  | { type: 'gain' }
  | { type: 'lead' }
  | { type: 'order' }
  | { type: 'export' }
  | { type: 'disclosure' }
  | { type: 'reportStrip' }
  | { type: 'escape' }
  | { type: 'help' };

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

const LABELS: Record<string, ReviewLabel> = { n: 'N', s: 'S', v: 'V', f: 'F', q: 'Q', x: 'X' };

export function actionFor(e: KeyLike): Action | null {
  const k = e.key;
  const lower = k.length === 1 ? k.toLowerCase() : k;
  if (e.ctrlKey || e.metaKey) {
    if (lower === 'z') return e.shiftKey ? { type: 'redo' } : { type: 'undo' };
    if (lower === 'y') return { type: 'redo' };
    return null;
  }
  if (e.altKey) return null;
  if (LABELS[lower] && !e.shiftKey) return { type: 'label', label: LABELS[lower]! };
  switch (lower) {
    case 'j':
      return { type: 'next' };
    case 'k':
      return { type: 'prev' };
    case 'Enter':
    case ' ':
      return { type: 'confirm' };
    case 'Delete':
    case 'Backspace':
      return { type: 'delete' };
    case 'a':
      return { type: 'add' };
    case 'ArrowRight':
      return { type: 'beat', dir: 1, extend: e.shiftKey };
    case 'ArrowLeft':
      return { type: 'beat', dir: -1, extend: e.shiftKey };
    case 'PageDown':
      return { type: 'pan', pages: 0.9 };
    case 'PageUp':
      return { type: 'pan', pages: -0.9 };
    case '+':
    case '=':
      return { type: 'zoom', dir: 1 };
    case '-':
      return { type: 'zoom', dir: -1 };
    case '0':
      return { type: 'resetZoom' };
    case ']':
      return { type: 'threshold', delta: 0.01 };
    case '[':
      return { type: 'threshold', delta: -0.01 };
    case 'g':
      return { type: 'gain' };
    case 'l':
      return { type: 'lead' };
    case 'o':
      return { type: 'order' };
    case 'e':
      return { type: 'export' };
    case 'd':
      return { type: 'disclosure' };
    case 'p':
      return { type: 'reportStrip' };
    case 'Escape':
      return { type: 'escape' };
    case '?':
      return { type: 'help' };
  }
  return null;
}

export const KEY_HELP: [keys: string, what: string][] = [
  ['J / K', 'next / previous flagged beat'],
  ['N S V F Q', 'relabel the beat (or the selection)'],
  ['X', 'artifact: not a beat'],
  ['Enter / Space', 'confirm the label'],
  ['Delete', 'delete a false beat'],
  ['A', 'add a missed beat (at the pointer, or after this beat)'],
  ['← / →', 'previous / next beat'],
  ['Shift + ← / →', 'extend the selection (relabel a range)'],
  ['Enter / Esc', 'apply / cancel an action on more than 5 beats (asked first)'],
  ['Ctrl+Z / Ctrl+Shift+Z', 'undo / redo'],
  ['[ / ]', 'threshold −/+ 0.01'],
  ['PgUp / PgDn', 'scroll a page (a full-disclosure page when it is open)'],
  ['D', 'full disclosure: the whole record, a minute a line'],
  ['P', "add the trace's 10 s to the report's event strips"],
  ['+ / − / 0', 'zoom in / out to the next paper speed (×2) / 25 mm/s'],
  ['G / L / O', 'gain / leads / queue order'],
  ['E', 'export the review (format in the toolbar)'],
  ['Shift + drag', 'a caliper (ms, bpm, mV); up to four, the last can march'],
  ['Esc', 'clear selection and calipers'],
  ['?', 'this help'],
];
