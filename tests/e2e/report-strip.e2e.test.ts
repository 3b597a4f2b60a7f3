// A report strip is the trace drawing: the strip region of the printed PDF, rasterised at 96 dpi
// (1 px per CSS px) by poppler, matches the trace's drawing functions (lib/draw.ts via
// report/strip.ts) run on a Chromium canvas for the same 10 s, within a tolerance — and does not
// match the canvas of the next 10 s. The calls are recorded in Node and replayed on the canvas.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { analyzeRecord } from '../../src/main/analysis';
import { writeSynthRecord } from '../../src/main/synth';
import { makeReport, printPdf, sourceOf, stateOfAnalysis, type HolterReport } from '../../src/main/report';
import { drawStrip, stripLayout } from '../../src/main/report/strip';
import { openRecord } from '../../src/main/wfdb';
import type { Ctx } from '../../src/renderer/src/lib/draw';
import type { Analysis } from '../../src/shared/analysis';
import { launchChromium, SHOTS } from './harness';
import { testBrowser } from '../helpers/browser';

type Op = [string, unknown[]] | [string, unknown];

/** A Ctx that records every call and property set, to replay on a real canvas. */
class RecordingCtx implements Ctx {
  ops: Op[] = [];
  private set(k: string, v: unknown) {
    this.ops.push([`=${k}`, v]);
  }
  set strokeStyle(v: unknown) {
    this.set('strokeStyle', v);
  }
  set fillStyle(v: unknown) {
    this.set('fillStyle', v);
  }
  set lineWidth(v: number) {
    this.set('lineWidth', v);
  }
  set font(v: string) {
    this.set('font', v);
  }
  set textAlign(v: string) {
    this.set('textAlign', v);
  }
  set globalAlpha(v: number) {
    this.set('globalAlpha', v);
  }
  get strokeStyle(): unknown {
    return '';
  }
  get fillStyle(): unknown {
    return '';
  }
  get lineWidth(): number {
    return 1;
  }
  get font(): string {
    return '';
  }
  get textAlign(): string {
    return 'start';
  }
  get globalAlpha(): number {
    return 1;
  }
  beginPath() {
    this.ops.push(['beginPath', []]);
  }
  moveTo(x: number, y: number) {
    this.ops.push(['moveTo', [x, y]]);
  }
  lineTo(x: number, y: number) {
    this.ops.push(['lineTo', [x, y]]);
  }
  stroke() {
    this.ops.push(['stroke', []]);
  }
  fillRect(...a: number[]) {
    this.ops.push(['fillRect', a]);
  }
  strokeRect(...a: number[]) {
    this.ops.push(['strokeRect', a]);
  }
  fillText(t: string, x: number, y: number) {
    this.ops.push(['fillText', [t, x, y]]);
  }
}

interface Image {
  w: number;
  h: number;
  rgb: Uint8Array;
}

/** poppler's PPM (P6) output. */
function readPpm(file: string): Image {
  const b = readFileSync(file);
  const head = b.subarray(0, 50).toString('latin1').split(/\s+/);
  const [w, h, max] = [Number(head[1]), Number(head[2]), Number(head[3])];
  expect(max).toBe(255);
  const off = b.length - w * h * 3;
  return { w, h, rgb: new Uint8Array(b.buffer, b.byteOffset + off, w * h * 3) };
}

const dist = (im: Image, x: number, y: number, c: [number, number, number]) => {
  const i = 3 * (y * im.w + x);
  return Math.abs(im.rgb[i]! - c[0]) + Math.abs(im.rgb[i + 1]! - c[1]) + Math.abs(im.rgb[i + 2]! - c[2]);
};

/** The first strip's box on the page: the top band of rows holding the paper's major grid colour. */
function firstStripBox(im: Image): { x: number; y: number; w: number; h: number } {
  const major: [number, number, number] = [0xe3, 0x85, 0x92];
  const rowHits = (y: number) => {
    let n = 0;
    for (let x = 0; x < im.w; x++) if (dist(im, x, y, major) < 60) n++;
    return n;
  };
  let y0 = 0;
  while (y0 < im.h && rowHits(y0) < 20) y0++;
  let y1 = y0;
  while (y1 < im.h && rowHits(y1) >= 20) y1++;
  let x0 = im.w;
  let x1 = 0;
  for (let y = y0; y < y1; y++)
    for (let x = 0; x < im.w; x++)
      if (dist(im, x, y, major) < 60) {
        x0 = Math.min(x0, x);
        x1 = Math.max(x1, x);
      }
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 };
}

/** Mean absolute difference per channel between the page at (ox, oy) and the canvas pixels (RGBA). */
function meanDiff(page: Image, ox: number, oy: number, rgba: Uint8Array, w: number, h: number): number {
  let sum = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const p = 3 * ((oy + y) * page.w + ox + x);
      const c = 4 * (y * w + x);
      sum += Math.abs(page.rgb[p]! - rgba[c]!) + Math.abs(page.rgb[p + 1]! - rgba[c + 1]!) + Math.abs(page.rgb[p + 2]! - rgba[c + 2]!);
    }
  return sum / (3 * w * h);
}

const ready = existsSync('/usr/bin/pdftoppm');

describe.runIf(ready)('report strip against the trace drawing', () => {
  let dir: string;
  let browser: Browser;
  let a: Analysis;
  let report: HolterReport;
  let record: string;
  let page: Image;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hbs-strip-'));
    record = join(dir, 'demo4');
    await writeSynthRecord(record, { scenario: 'demo', minutes: 4, seed: 3 });
    a = await analyzeRecord(record, { useRules: true, cacheDir: null, beats: 'reference' });
    const made = await makeReport(record, sourceOf(a, null));
    report = made.report;
    const pdf = join(dir, 'r.pdf');
    await writeFile(pdf, await printPdf(made.html, 'A4', await testBrowser()));
    // the first landscape page: the first strip page
    const info = execFileSync('pdfinfo', ['-f', '1', '-l', '99', pdf], { encoding: 'utf8' });
    const sizes = [...info.matchAll(/^Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/gm)];
    const n = sizes.find((m) => Number(m[2]) > Number(m[3]))![1]!;
    execFileSync('pdftoppm', ['-r', '96', '-singlefile', '-f', n, '-l', n, pdf, join(dir, 'strips')]);
    page = readPpm(join(dir, 'strips.ppm'));
    browser = await launchChromium();
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function canvasOf(fromSample: number): Promise<{ rgba: Uint8Array; w: number; h: number; png: Buffer }> {
    const rec = await openRecord(record);
    const L = stripLayout(10, 2);
    const leads = (await rec.readPhysical(fromSample, fromSample + Math.round(10 * a.fs))).slice(0, 2);
    await rec.close();
    const ctx = new RecordingCtx();
    drawStrip(ctx, { fs: a.fs, fromSample, leads, names: report.record.signals.slice(0, 2), beats: stateOfAnalysis(a).beats, threshold: a.threshold }, 10);
    const p = await browser.newPage({ viewport: { width: L.width + 20, height: L.height + 20 }, deviceScaleFactor: 1 });
    await p.setContent(`<canvas id="c" width="${L.width}" height="${L.height}" style="position:absolute;left:0;top:0"></canvas>`);
    const rgba = await p.evaluate((ops: Op[]) => {
      // the page's own types (this file compiles without the DOM library)
      type Canvas2d = Record<string, unknown> & { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } };
      const doc = (globalThis as unknown as { document: { getElementById(id: string): { width: number; height: number; getContext(k: '2d'): Canvas2d } } })
        .document;
      const c = doc.getElementById('c');
      const ctx = c.getContext('2d');
      for (const [k, v] of ops) {
        if (k.startsWith('=')) ctx[k.slice(1)] = v;
        else (ctx[k] as (...a: unknown[]) => void).apply(ctx, v as unknown[]);
      }
      return Array.from(ctx.getImageData(0, 0, c.width, c.height).data);
    }, ctx.ops);
    const png = await p.locator('#c').screenshot();
    await p.close();
    return { rgba: Uint8Array.from(rgba), w: L.width, h: L.height, png };
  }

  it('the PDF strip matches the canvas of the same 10 s, not of the next 10 s', async () => {
    const strip = report.strips[0]!;
    expect(strip.kind).toBe('vt');
    const box = firstStripBox(page);
    const same = await canvasOf(strip.fromSample);
    // the grid's major lines bound the box, so it may be a pixel or two inside the drawing: search around it
    let best = { d: Infinity, x: 0, y: 0 };
    for (let dy = -4; dy <= 4; dy++)
      for (let dx = -4; dx <= 4; dx++) {
        const x = box.x + dx;
        const y = box.y + dy;
        if (x < 0 || y < 0 || x + same.w > page.w || y + same.h > page.h) continue;
        const d = meanDiff(page, x, y, same.rgba, same.w, same.h);
        if (d < best.d) best = { d, x, y };
      }
    const other = await canvasOf(strip.fromSample + Math.round(10 * a.fs));
    const dOther = meanDiff(page, best.x, best.y, other.rgba, other.w, other.h);
    await writeFile(join(SHOTS, '20-report-strip-canvas.png'), same.png);
    console.log(
      `strip ${strip.title}: mean |Δ| same 10 s ${best.d.toFixed(2)}, next 10 s ${dOther.toFixed(2)} (per channel, 0–255), box ${JSON.stringify(box)}`
    );
    expect(Math.abs(box.w - same.w)).toBeLessThanOrEqual(4);
    expect(best.d).toBeLessThan(6);
    expect(dOther).toBeGreaterThan(2 * best.d);
  });
});
