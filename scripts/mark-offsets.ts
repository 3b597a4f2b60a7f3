// Where the app's QRS detector marks a beat against where the reference annotations do: for each
// record, the detector's beat nearest each reference beat (within 150 ms), the median offset
// (detector − reference, ms); then over all records, by AAMI class, how far a beat's offset lies from
// its record's median N offset (median and 90th percentile, ms). DETECT_DIR holds `analyze --beats
// detect` outputs (<record>.pvc), e.g. OUT/detect of scripts/beat-oof-modes.sh:
//   npx tsx scripts/mark-offsets.ts --detect DIR <records...>
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { aamiClassOf } from '../src/main/evaluation';
import { isQrs, readAnnotations, readHeader } from '../src/main/wfdb';

const { values, positionals: records } = parseArgs({ options: { detect: { type: 'string' } }, allowPositionals: true });
if (!values.detect || records.length === 0) throw new Error('usage: mark-offsets.ts --detect DIR <records...>');

const quantile = (v: number[], p: number): number => v.slice().sort((a, b) => a - b)[Math.floor(p * (v.length - 1))]!;
const byClass = new Map<string, number[]>();
const medians: number[] = [];
for (const path of records) {
  const name = path.split('/').pop()!;
  const fs = (await readHeader(path)).fs;
  const ref = (await readAnnotations(path, 'atr')).filter((a) => isQrs(a.code));
  const det = [...new Set((await readAnnotations(join(values.detect, name), 'pvc')).filter((a) => isQrs(a.code)).map((a) => a.sample))].sort((a, b) => a - b);
  const offsets: { cls: string; ms: number }[] = [];
  let j = 0;
  for (const a of ref) {
    while (j + 1 < det.length && Math.abs(det[j + 1]! - a.sample) <= Math.abs(det[j]! - a.sample)) j++;
    const d = det[j]! - a.sample;
    const cls = aamiClassOf(a.code);
    if (det.length > 0 && Math.abs(d) <= 0.15 * fs && cls) offsets.push({ cls, ms: (1000 * d) / fs });
  }
  if (offsets.length === 0) continue;
  const median = quantile(
    offsets.map((o) => o.ms),
    0.5
  );
  const nOffsets = offsets.filter((o) => o.cls === 'N').map((o) => o.ms);
  const nMedian = nOffsets.length ? quantile(nOffsets, 0.5) : median;
  medians.push(median);
  console.log(`${name}\tmedian offset ${median.toFixed(1)} ms\t(${offsets.length} beats)`);
  for (const o of offsets) {
    if (!byClass.has(o.cls)) byClass.set(o.cls, []);
    byClass.get(o.cls)!.push(Math.abs(o.ms - nMedian));
  }
}
console.log(`records: median offsets ${quantile(medians, 0).toFixed(1)} to ${quantile(medians, 1).toFixed(1)} ms, median ${quantile(medians, 0.5).toFixed(1)}`);
for (const [cls, v] of [...byClass].sort()) {
  console.log(
    `${cls}\t${v.length} beats\t|offset − record's N median|: median ${quantile(v, 0.5).toFixed(1)} ms, 90th percentile ${quantile(v, 0.9).toFixed(1)} ms`
  );
}
