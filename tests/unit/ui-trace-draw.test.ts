// One frame of the main trace drawn on a recording context (no DOM): what the reviewer reads in the
// episode band and in each lead's band.
import { describe, expect, it } from 'vitest';
import { drawTrace, bandTop, noSignal, type TraceCtx, type TraceFrame } from '../../src/renderer/src/lib/trace-draw';
import { mergeEpisodes } from '../../src/renderer/src/lib/episodes';
import type { Episode } from '../../src/shared/analysis';
import { recordClock } from '../../src/renderer/src/lib/clock';

type Op = { op: string; args: unknown[] };

/** A canvas context that records its calls (fillText, rect, clip, save / restore …). */
function recorder(): TraceCtx & { ops: Op[] } {
  const ops: Op[] = [];
  const fields: Record<string, unknown> = { fillStyle: '', strokeStyle: '', lineWidth: 1, font: '', textAlign: 'left', globalAlpha: 1 };
  return new Proxy(fields, {
    get: (t, k: string) => {
      if (k === 'ops') return ops;
      if (k in t) return t[k];
      if (k === 'measureText') return (s: string) => ({ width: s.length * 6 });
      return (...args: unknown[]) => void ops.push({ op: k, args });
    },
    set: (t, k: string, v) => ((t[k] = v), true),
  }) as unknown as TraceCtx & { ops: Op[] };
}

const FS = 100;
const wave = (n: number) => Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i / 8));

function frame(over: Partial<TraceFrame> = {}): TraceFrame {
  const n = 60 * FS;
  return {
    width: 600,
    height: 400,
    fs: FS,
    startSec: 0,
    pxPerSec: 50,
    durationSec: 60,
    gain: 10,
    leads: [0, 1],
    leadNames: ['MLII', 'V1'],
    episodes: [],
    edgeDrag: null,
    data: { from: 0, to: n, bucket: 1, min: [wave(n), wave(n)], max: [wave(n), wave(n)] },
    marks: null,
    calipers: [],
    march: false,
    ...over,
  };
}

const texts = (ops: Op[]) => ops.filter((o) => o.op === 'fillText').map((o) => ({ text: o.args[0] as string, y: o.args[2] as number }));

describe('trace frame', () => {
  it('names a VT episode of rhythm VF "VF" in the band', () => {
    const vf: Episode = { type: 'VT', rhythm: 'VF', onsetSample: 100, offsetSample: 2000, confidence: 0.8, explanation: '', source: 'model' };
    const ctx = recorder();
    drawTrace(ctx, frame({ episodes: mergeEpisodes([vf], new Map()) }), undefined);
    expect(texts(ctx.ops).map((t) => t.text)).toContain('VF 80%');
  });

  it('says "no signal" in the band of a lead whose samples are all invalid, not in the others', () => {
    const n = 60 * FS;
    const missing = new Float32Array(n).fill(NaN);
    const f = frame({ data: { from: 0, to: n, bucket: 1, min: [wave(n), missing], max: [wave(n), missing] } });
    const ctx = recorder();
    drawTrace(ctx, f, undefined);
    const said = texts(ctx.ops).filter((t) => t.text === 'no signal (invalid samples)');
    expect(said).toHaveLength(1);
    expect(said[0]!.y).toBeGreaterThan(bandTop(f, 1, 2));
    expect(said[0]!.y).toBeLessThan(bandTop(f, 2, 2));
  });

  it('"no signal" is read over the points in view only, and none are none', () => {
    const x = Float32Array.from([NaN, NaN, 1, NaN]);
    expect(noSignal(x, 0, 2)).toBe(true);
    expect(noSignal(x, 0, 3)).toBe(false);
    expect(noSignal(x, 3, 10)).toBe(true);
    expect(noSignal(x, 5, 10)).toBe(false); // past the window: nothing in view, nothing to say
  });

  it('draws each lead clipped to its band, so a tall R wave stays off the next lead, the episode band and the axis', () => {
    const f = frame({ height: 150 }); // two leads in a small window
    const ctx = recorder();
    drawTrace(ctx, f, undefined);
    const ops = ctx.ops.map((o) => o.op);
    const clips = ctx.ops.filter((o) => o.op === 'rect').map((o) => (o.args as number[]).map((v) => Math.round(v)));
    expect(clips).toEqual([0, 1].map((k) => [0, Math.round(bandTop(f, k, 2)), 600, Math.round(bandTop(f, k + 1, 2) - bandTop(f, k, 2))]));
    // the clip is taken back after each lead: the names, marks and axis are not cut
    expect(ops.filter((o) => o === 'save')).toHaveLength(2);
    expect(ops.filter((o) => o === 'restore')).toHaveLength(2);
    expect(ops.indexOf('clip')).toBeGreaterThan(ops.indexOf('rect'));
    const afterLeads = ops.lastIndexOf('restore');
    expect(ctx.ops.slice(afterLeads).some((o) => o.op === 'fillText' && o.args[0] === 'V1')).toBe(true);
  });

  it('labels the time axis by the clock where the header gives a start (round times of day), elapsed otherwise', () => {
    // 600 px at 50 px/s: 12 s in view, a tick every 2 s (90 px apart at least)
    const axis = (f: TraceFrame) => {
      const ctx = recorder();
      drawTrace(ctx, f, undefined);
      return texts(ctx.ops)
        .map((t) => t.text)
        .filter((t) => /^\d\d:\d\d:\d\d$/.test(t));
    };
    expect(axis(frame({ startSec: 30 }))).toEqual(['00:00:30', '00:00:32', '00:00:34', '00:00:36', '00:00:38']);
    expect(axis(frame({ startSec: 30, clock: recordClock('23:59:31', null) }))).toEqual(['00:00:02', '00:00:04', '00:00:06', '00:00:08', '00:00:10']);
    expect(axis(frame({ startSec: 30, clock: recordClock('25:00:00', null) }))).toEqual(['00:00:30', '00:00:32', '00:00:34', '00:00:36', '00:00:38']);
  });

  it('marks beats by letter zoomed in, by glyph further out (no letters), by tick where glyphs would crowd', () => {
    const marks = (spacing: number) =>
      Array.from({ length: Math.floor(600 / spacing) }, (_, i) => ({
        x: i * spacing,
        label: i % 5 === 2 ? 'V' : 'N',
        ref: null,
        flagged: false,
        reviewed: false,
        deleted: false,
        selected: false,
        current: false,
      }));
    const drawn = (spacing: number) => {
      const ctx = recorder();
      drawTrace(ctx, frame({ marks: marks(spacing) }), undefined);
      const ops = ctx.ops;
      return {
        letters: texts(ops).filter((t) => t.text === 'V').length,
        arcs: ops.filter((o) => o.op === 'arc').length,
        fills: ops.filter((o) => o.op === 'fill').length,
      };
    };
    expect(drawn(20)).toEqual({ letters: 6, arcs: 0, fills: 0 });
    // 60 marks in 600 px: 48 N dots and 12 V triangles, one fill per class
    expect(drawn(10)).toMatchObject({ letters: 0, arcs: 48 });
    expect(drawn(10).fills).toBeLessThanOrEqual(6);
    expect(drawn(3)).toEqual({ letters: 0, arcs: 0, fills: 0 });
  });

  it('names a band too narrow for its name and confidence beside it (zoomed out, a VT run is a few pixels), not a rejected one', () => {
    const ep = (type: Episode['type'], fromSec: number, toSec: number): Episode => ({
      type,
      onsetSample: fromSec * FS,
      offsetSample: toSec * FS,
      confidence: 0.9,
      explanation: '',
      source: 'rules',
    });
    // 600 px over 300 s: a 2 s VT run is 4 px, a 6 s pause 12 px, 40 s of AF 80 px; the last VT run rejected
    const base = [ep('VT', 100, 102), ep('PAUSE', 150, 156), ep('AF', 200, 240), ep('VT', 280, 282)];
    const last = mergeEpisodes(base, new Map())[3]!;
    const ctx = recorder();
    drawTrace(
      ctx,
      frame({ pxPerSec: 2, durationSec: 300, episodes: mergeEpisodes(base, new Map([[last.key, { ...last, status: 'rejected' as const }]])) }),
      undefined
    );
    const inBand = ctx.ops.filter((o) => o.op === 'fillText' && o.args[2] === 10).map((o) => [o.args[0], Math.round(o.args[1] as number)]);
    expect(inBand).toEqual([
      ['AF 90%', 403],
      ['VT', 206],
      ['PAUSE', 314],
    ]);
  });
});
