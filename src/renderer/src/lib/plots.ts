// Geometry of the threshold panel's D3 plots (PR curve; precision/recall/F1 against threshold):
// SVG path strings from operating points, computed without a DOM.
import { line, scaleLinear } from 'd3';
import type { OperatingPoint } from './metrics';

export interface PlotBox {
  width: number;
  height: number;
  pad: number;
}

export function prPath(points: readonly OperatingPoint[], box: PlotBox): string {
  const x = scaleLinear()
    .domain([0, 1])
    .range([box.pad, box.width - 4]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([box.height - box.pad, 4]);
  const pts = points.filter((p) => p.recall !== null && p.precision !== null).map((p) => [x(p.recall!), y(p.precision!)] as [number, number]);
  return line()(pts) ?? '';
}

export function metricPath(points: readonly OperatingPoint[], key: 'precision' | 'recall' | 'f1', box: PlotBox): string {
  const x = scaleLinear()
    .domain([0, 1])
    .range([box.pad, box.width - 4]);
  const y = scaleLinear()
    .domain([0, 1])
    .range([box.height - box.pad, 4]);
  const pts = points.filter((p) => p[key] !== null).map((p) => [x(p.threshold), y(p[key]!)] as [number, number]);
  return line()(pts) ?? '';
}

export function toPx(v: number, box: PlotBox, axis: 'x' | 'y'): number {
  return axis === 'x' ? box.pad + v * (box.width - 4 - box.pad) : box.height - box.pad - v * (box.height - box.pad - 4);
}

export interface Tick {
  v: number;
  px: number;
  label: string;
}

/** Tick marks with their numbers: the plots read as figures, not shapes. */
export function ticksAt(values: readonly number[], px: (v: number) => number, label: (v: number) => string = String): Tick[] {
  return values.map((v) => ({ v, px: px(v), label: label(v) }));
}

/** 0, 0.5 and 1 on a unit axis of the box. */
export function unitTicks(box: PlotBox, axis: 'x' | 'y'): Tick[] {
  return ticksAt([0, 0.5, 1], (v) => toPx(v, box, axis));
}
