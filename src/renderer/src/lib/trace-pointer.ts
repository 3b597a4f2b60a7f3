// What the pointer does on the trace. A press starts one mode — a caliper (Shift + drag), an
// episode-edge drag (in the band, on a grip) or none (plain drag pans through d3-zoom, a click
// picks a beat) — and the mode decides what moves and what the release commits. Also where a
// pixel is (time, lead, mV) and what the hover read-out says. No DOM: positions come in as numbers.
import { episodeName } from '../../../shared/analysis';
import type { ReviewBeats } from './beats';
import type { ReviewEpisodeView } from './episodes';
import { beatAtPixel } from './marks';
import { pxPerMillivolt } from './paper';
import { clockRange, clockTime, ELAPSED } from './clock';
import { BAND_H, bandTop, type Caliper, type TraceGeometry } from './trace-draw';

export const MAX_CALIPERS = 4;
/** An episode edge within this many pixels of the pointer can be grabbed. */
export const EDGE_PX = 5;
/** An edge being dragged snaps to a beat within this many pixels. */
export const EDGE_SNAP_PX = 8;

export type EdgeDrag = { key: string; edge: 'onset' | 'offset'; onsetSample: number; offsetSample: number; moved: boolean };

export type PointerMode = { kind: 'none' } | { kind: 'caliper' } | { kind: 'edge'; drag: EdgeDrag };

export interface PointerAt {
  x: number;
  y: number;
  sec: number;
  lead: number;
  mv: number;
}

/** Time, lead and amplitude under pixel (x, y). */
export function pointerAt(g: TraceGeometry, x: number, y: number): PointerAt {
  const n = Math.max(1, g.leads.length);
  let k = 0;
  while (k < n - 1 && y > bandTop(g, k + 1, n)) k++;
  const mid = bandTop(g, k, n) + (bandTop(g, k + 1, n) - bandTop(g, k, n)) / 2;
  return { x, y, sec: g.startSec + x / g.pxPerSec, lead: g.leads[k] ?? 0, mv: (mid - y) / pxPerMillivolt(g.gain) };
}

/** The episode edge under the pointer in the band, nearest first. */
export function edgeAt(g: TraceGeometry, episodes: readonly ReviewEpisodeView[], x: number, y: number): Omit<EdgeDrag, 'moved'> | null {
  if (y > BAND_H) return null;
  const framesPerPx = g.fs / g.pxPerSec;
  const startFrame = g.startSec * g.fs;
  let best: Omit<EdgeDrag, 'moved'> | null = null;
  let bestD = EDGE_PX + 1;
  for (const e of episodes) {
    for (const edge of ['onset', 'offset'] as const) {
      const d = Math.abs(((edge === 'onset' ? e.onsetSample : e.offsetSample) - startFrame) / framesPerPx - x);
      if (d < bestD) {
        bestD = d;
        best = { key: e.key, edge, onsetSample: e.onsetSample, offsetSample: e.offsetSample };
      }
    }
  }
  return best;
}

/** The sample under pixel x, snapped to the nearest beat within EDGE_SNAP_PX and kept within the record. */
export function edgeSample(g: TraceGeometry, beats: ReviewBeats | null, x: number, nFrames: number): number {
  const framesPerPx = g.fs / g.pxPerSec;
  const startFrame = g.startSec * g.fs;
  const i = beats ? beatAtPixel(beats, x, startFrame, framesPerPx, EDGE_SNAP_PX) : -1;
  const s = i >= 0 ? beats!.sample[i]! : Math.round(startFrame + x * framesPerPx);
  return Math.max(0, Math.min(nFrames, s));
}

/** An edge drag moved to sample `s`. */
export function dragEdge(d: EdgeDrag, s: number): EdgeDrag {
  return d.edge === 'onset' ? { ...d, onsetSample: s, moved: true } : { ...d, offsetSample: s, moved: true };
}

/** A new caliper at the pointer; past MAX_CALIPERS the oldest goes. */
export function addCaliper(calipers: readonly Caliper[], p: PointerAt): Caliper[] {
  return [...calipers.slice(-(MAX_CALIPERS - 1)), { t0: p.sec, v0: p.mv, t1: p.sec, v1: p.mv, lead: p.lead }];
}

/** The last caliper stretched to the pointer. */
export function stretchCaliper(calipers: readonly Caliper[], p: PointerAt): Caliper[] {
  const last = calipers[calipers.length - 1];
  return last ? [...calipers.slice(0, -1), { ...last, t1: p.sec, v1: p.mv }] : [...calipers];
}

export interface HoverInputs {
  beats: ReviewBeats;
  threshold: number;
  episodes: readonly ReviewEpisodeView[];
  /** The rule-based explanation per source beat, when the fallback ran. */
  beatNotes: readonly (readonly [number, string])[] | undefined;
}

/** The read-out for the pointer: the episode under it in the band, else the beat under it; null over nothing. */
export function hoverText(g: TraceGeometry, p: PointerAt, x: HoverInputs): string | null {
  const fs = g.fs;
  const clock = g.clock ?? ELAPSED;
  if (p.y < BAND_H) {
    const s = p.sec * fs;
    const e = x.episodes.find((ep) => ep.onsetSample <= s && s < ep.offsetSample);
    return e
      ? `${episodeName(e)} ${clockRange(clock, e.onsetSample / fs, e.offsetSample / fs, '–')} · confidence ${(e.confidence * 100).toFixed(0)}% · ${e.status}\n${e.explanation}\nDrag an edge of the band to resize`
      : null;
  }
  const b = x.beats;
  const i = beatAtPixel(b, p.x, g.startSec * fs, fs / g.pxPerSec);
  if (i < 0) return null;
  const score = b.score(i);
  const edit = b.edit(i);
  const rr = b.rrMs(i, fs);
  const note = x.beatNotes?.find(([k]) => k === b.base[i])?.[1];
  return `${b.label(i, x.threshold)} at ${clockTime(clock, b.sample[i]! / fs, 2)}${Number.isFinite(score) ? ` · PVC score ${score.toFixed(3)}` : ''}${Number.isFinite(rr) ? ` · RR ${rr.toFixed(0)} ms` : ''}${b.ref[i]! >= 0 ? ` · reference ${'NSVFQ'[b.ref[i]!]}` : ''}${edit ? `\n${edit.status} by ${edit.who}` : ''}${note ? `\n${note}` : ''}`;
}
