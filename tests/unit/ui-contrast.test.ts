// The contrast judge of the accessibility e2e test (tests/helpers/contrast.ts): WCAG 2 ratios from
// computed CSS colours, layers composed under the text, and the theme's pairs it found below AA.
import { describe, expect, it } from 'vitest';
import { contrastRatio, parseColour, requiredRatio, textContrast } from '../helpers/contrast';

describe('text contrast (WCAG 2)', () => {
  it('reads computed colours', () => {
    expect(parseColour('rgb(16, 20, 26)')).toEqual([16, 20, 26, 1]);
    expect(parseColour('rgba(0, 0, 0, 0)')).toEqual([0, 0, 0, 0]);
    expect(parseColour('rgb(29 37 48 / 0.93)')).toEqual([29, 37, 48, 0.93]);
    expect(parseColour('#1d2530ee')).toEqual([29, 37, 48, 0xee / 255]);
    expect(parseColour('transparent')).toEqual([0, 0, 0, 0]);
    expect(parseColour('color(display-p3 1 0 0)')).toBeNull();
  });

  it('gives the known ratios: 21 for black on white, 4.48 for #777 on white, 1 for a colour on itself', () => {
    const white = parseColour('#ffffff')!;
    expect(contrastRatio(parseColour('#000000')!, white)).toBeCloseTo(21, 5);
    expect(contrastRatio(parseColour('#777777')!, white)).toBeCloseTo(4.48, 2);
    expect(contrastRatio(white, white)).toBe(1);
  });

  it('composes translucent layers and the text opacity over the page', () => {
    // a 50 % white layer over black is mid grey; black text on it
    const onGrey = textContrast('rgb(0, 0, 0)', ['rgba(255, 255, 255, 0.5)'], 'rgb(0, 0, 0)');
    expect(onGrey).toBeCloseTo(contrastRatio([0, 0, 0, 1], [127.5, 127.5, 127.5, 1]), 5);
    // the topmost opaque layer hides what is under it
    expect(textContrast('rgb(255, 255, 255)', ['rgb(0, 0, 0)', 'rgb(255, 255, 255)'], 'rgb(255, 255, 255)')).toBeCloseTo(21, 5);
    // text at opacity 0 has no contrast
    expect(textContrast('rgb(255, 255, 255)', [], 'rgb(0, 0, 0)', 0)).toBe(1);
  });

  it('asks 4.5:1 of body text and 3:1 of large text', () => {
    expect(requiredRatio(13, 400)).toBe(4.5);
    expect(requiredRatio(18.66, 700)).toBe(3);
    expect(requiredRatio(18.66, 400)).toBe(4.5);
    expect(requiredRatio(24, 400)).toBe(3);
  });

  it('finds the pairs the review UI had below AA on its dark theme, and their replacements above it', () => {
    const panel = 'rgb(15, 19, 24)'; // the right column, #0f1318
    const field = 'rgb(27, 34, 43)'; // inputs, #1b222b
    const ratio = (fg: string, bg: string) => textContrast(fg, [bg], bg);
    const below = [
      ['#666666', panel], // fine-tune panel's muted text
      ['#b00020', panel], // its error
      ['#1f77b4', panel], // its legend
      ['#757575', field], // Chromium's placeholder
      ['#e6e9ef', '#2e7d32'], // the review count on its progress fill
      ['#7d8896', '#1d2530'], // the muted hint in the multi-beat question
    ];
    for (const [fg, bg] of below) expect(ratio(fg!, bg!)).toBeLessThan(4.5);
    const now = [
      ['#7d8896', panel],
      ['#ff8a80', panel],
      ['#4fc3f7', panel],
      ['#ff8a65', panel],
      ['#8fa3b8', field],
      ['#e6e9ef', '#1b5e20'],
      ['#8fa3b8', '#1d2530'],
    ];
    for (const [fg, bg] of now) expect(ratio(fg!, bg!)).toBeGreaterThanOrEqual(4.5);
  });
});
