// What the accessibility e2e tests read from the page: every visible text's colour and the
// backgrounds painted under it (tests/helpers/contrast.ts judges them).
import type { Page } from 'playwright-core';
import { requiredRatio, textContrast } from '../helpers/contrast';

interface TextSample {
  text: string;
  /** A short path to the element, for the failure message. */
  where: string;
  colour: string;
  opacity: number;
  fontPx: number;
  weight: number;
  /** Per point sampled across the text: background colours under it, topmost first. */
  points: string[][];
  page: string;
}

// A string, not a function: the test runner's transform would add helpers the page lacks.
const COLLECT = `((root) => {
  const pageBg = getComputedStyle(document.documentElement).backgroundColor;
  const out = [];
  const path = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      const id = e.getAttribute('data-testid');
      const cls = [...e.classList].filter((c) => !c.startsWith('svelte-'));
      parts.unshift(e.tagName.toLowerCase() + (id ? '[' + id + ']' : cls.length ? '.' + cls.join('.') : ''));
    }
    return parts.join(' > ');
  };
  const within = root ? document.querySelector(root) : document.body;
  if (!within) return out;
  const walker = document.createTreeWalker(within, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim();
    const el = n.parentElement;
    if (!text || !el || el.closest('[hidden], option, script, style, title, canvas')) continue;
    // disabled controls are exempt from the contrast rule
    if (el.closest('button:disabled, select:disabled, input:disabled, fieldset:disabled')) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility !== 'visible') continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    let opacity = 1;
    for (let e = el; e; e = e.parentElement) opacity *= Number(getComputedStyle(e).opacity);
    if (opacity === 0) continue;
    const points = [];
    for (const fx of [0.1, 0.5, 0.9]) {
      const x = r.left + r.width * fx;
      const y = r.top + r.height / 2;
      if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
      const stack = document.elementsFromPoint(x, y);
      const at = stack.findIndex((e) => e.contains(el));
      // covered by something else (a popover), or clipped by a scrolling panel: not shown there
      if (at < 0 || stack.slice(0, at).some((e) => !el.contains(e))) continue;
      const layers = [];
      for (const e of stack.slice(at)) {
        const bg = getComputedStyle(e).backgroundColor;
        layers.push(bg);
        if (/^rgb\\(/.test(bg)) break;
      }
      points.push(layers);
    }
    if (!points.length) continue;
    const colour = el instanceof SVGElement ? cs.fill : cs.color;
    out.push({ text: text.slice(0, 60), where: path(el), colour, opacity, fontPx: parseFloat(cs.fontSize), weight: Number(cs.fontWeight) || 400, points, page: pageBg });
  }
  // a placeholder is text too (here the only visible hint of what some fields take)
  for (const el of within.querySelectorAll('input[placeholder]')) {
    if (el.value || el.disabled || !el.getClientRects().length) continue;
    const cs = getComputedStyle(el);
    out.push({ text: el.placeholder.slice(0, 60), where: path(el) + '::placeholder', colour: getComputedStyle(el, '::placeholder').color, opacity: 1, fontPx: parseFloat(cs.fontSize), weight: Number(cs.fontWeight) || 400, points: [[cs.backgroundColor]], page: pageBg });
  }
  return out;
})`;

export interface ContrastFailure {
  text: string;
  where: string;
  ratio: number;
  required: number;
}

/** Every visible text on the page (or in the element `root` selects) whose contrast with what is painted under it is below AA. */
export async function contrastFailures(page: Page, root = ''): Promise<ContrastFailure[]> {
  const samples = (await page.evaluate(`${COLLECT}(${JSON.stringify(root)})`)) as TextSample[];
  const fails: ContrastFailure[] = [];
  for (const s of samples) {
    const ratio = Math.min(...s.points.map((layers) => textContrast(s.colour, layers, s.page, s.opacity)));
    const required = requiredRatio(s.fontPx, s.weight);
    if (!(ratio >= required)) fails.push({ text: s.text, where: s.where, ratio: Math.round(ratio * 100) / 100, required });
  }
  return fails;
}

// Scrolls each control into view (the page or the panel it is in) and asks the page what is drawn at its middle.
const LOST = `(() => {
  const lost = [];
  for (const el of document.querySelectorAll('button, select, input, [tabindex]:not([tabindex="-1"])')) {
    if (el.disabled || !el.getClientRects().length || getComputedStyle(el).visibility !== 'visible') continue;
    el.scrollIntoView({ block: 'center', inline: 'center' });
    const r = el.getBoundingClientRect();
    const x = r.left + r.width / 2;
    const y = r.top + r.height / 2;
    const name = el.getAttribute('aria-label') || el.textContent.trim().slice(0, 40) || el.tagName;
    if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) lost.push(name + ': outside the window');
    else {
      const top = document.elementFromPoint(x, y);
      if (!top || !(el === top || el.contains(top) || top.contains(el) && top.tagName === 'LABEL')) lost.push(name + ': under ' + (top ? top.tagName.toLowerCase() + '.' + [...top.classList].join('.') : 'nothing'));
    }
  }
  scrollTo(0, 0);
  return lost;
})()`;

/** Controls that cannot be brought into view, or stay covered by something else once they are. */
export async function lostControls(page: Page): Promise<string[]> {
  return (await page.evaluate(LOST)) as string[];
}
