// The trace's drawing calls (renderer lib/draw.ts's Ctx) recorded as SVG, so the report's strips
// are drawn by the same code as the trace and print as vectors. Only what Ctx declares.
import type { Ctx } from '../../renderer/src/lib/draw';

const ALIGN: Record<string, string> = { left: 'start', start: 'start', center: 'middle', right: 'end', end: 'end' };

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const num = (v: number) => (Math.round(v * 100) / 100).toString();

export class SvgCtx implements Ctx {
  strokeStyle: unknown = '#000000';
  fillStyle: unknown = '#000000';
  lineWidth = 1;
  font = '10px sans-serif';
  textAlign = 'start';
  globalAlpha = 1;
  private readonly parts: string[] = [];
  private path: string[] = [];

  constructor(
    readonly width: number,
    readonly height: number
  ) {}

  private opacity(): string {
    return this.globalAlpha < 1 ? ` opacity="${num(this.globalAlpha)}"` : '';
  }

  beginPath(): void {
    this.path = [];
  }

  moveTo(x: number, y: number): void {
    this.path.push(`M${num(x)} ${num(y)}`);
  }

  lineTo(x: number, y: number): void {
    this.path.push(`L${num(x)} ${num(y)}`);
  }

  stroke(): void {
    if (!this.path.length) return;
    this.parts.push(
      `<path d="${this.path.join('')}" fill="none" stroke="${escapeXml(String(this.strokeStyle))}" stroke-width="${num(this.lineWidth)}"${this.opacity()}/>`
    );
  }

  fillRect(x: number, y: number, w: number, h: number): void {
    this.parts.push(`<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="${escapeXml(String(this.fillStyle))}"${this.opacity()}/>`);
  }

  strokeRect(x: number, y: number, w: number, h: number): void {
    this.parts.push(
      `<rect x="${num(x)}" y="${num(y)}" width="${num(w)}" height="${num(h)}" fill="none" stroke="${escapeXml(String(this.strokeStyle))}" stroke-width="${num(this.lineWidth)}"${this.opacity()}/>`
    );
  }

  fillText(text: string, x: number, y: number): void {
    this.parts.push(
      `<text x="${num(x)}" y="${num(y)}" text-anchor="${ALIGN[this.textAlign] ?? 'start'}" style="font: ${escapeXml(this.font)}" fill="${escapeXml(String(this.fillStyle))}"${this.opacity()}>${escapeXml(text)}</text>`
    );
  }

  /** The drawing as an SVG element of width × height CSS pixels. */
  svg(attrs = ''): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${num(this.width)}" height="${num(this.height)}" viewBox="0 0 ${num(this.width)} ${num(this.height)}"${attrs ? ' ' + attrs : ''}>${this.parts.join('')}</svg>`;
  }
}
