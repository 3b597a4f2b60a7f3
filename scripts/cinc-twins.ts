// The recording-level call on PhysioNet/CinC 2017 strips and on their twins: each recording
// resampled by the app's resampler to another rate, or inverted (every sample × −1, a handheld
// device held the other way round), written as WFDB and analysed through the app's pipeline:
//   npx tsx scripts/cinc-twins.ts --split validation|train|test --twins 300,128,250,500,300i [--models DIR] [--limit N] [--json FILE]
// A twin is a rate in Hz, with a trailing "i" for inverted; the first is the one the others'
// labels are compared with (300: the recording itself). Prints, per twin, AF F1 (recording label
// AF against REFERENCE.csv "A"), how many labels equal the first twin's, the normal/AF strips
// with a VT episode, and the beats called V (PVCs) over all strips. The split is score-cinc.ts's; choose on train/validation only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeRecord } from '../src/main/analysis';
import { V_INDEX } from '../src/shared/analysis';
import { cincSplit } from '../src/main/dataset/cinc';
import type { RhythmSplit } from '../src/main/dataset/splits';
import { resample } from '../src/main/dsp';
import { openRecord, writeRecord } from '../src/main/wfdb';

const { values: o } = parseArgs({
  options: {
    split: { type: 'string', default: 'validation' },
    twins: { type: 'string', default: '300,300i' },
    models: { type: 'string' },
    data: { type: 'string', default: process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../shared/data') },
    limit: { type: 'string' },
    json: { type: 'string' },
  },
});
if (!['train', 'validation', 'test'].includes(o.split!)) throw new Error(`--split must be train, validation or test, got "${o.split}"`);
const twins = o.twins!.split(',').map((t) => {
  const hz = Number(t.replace(/i$/, ''));
  if (!(hz > 0)) throw new Error(`--twins: "${t}" is not a rate in Hz (with an optional trailing i)`);
  return { name: t, hz, sign: t.endsWith('i') ? -1 : 1 };
});

const picked = cincSplit(join(o.data!, 'cinc2017'), o.split as RhythmSplit).slice(0, o.limit ? Number(o.limit) : undefined);
const dir = mkdtempSync(join(tmpdir(), 'hbs-cinc-twins-'));

/** The recording at `hz` Hz, times `sign`, written into the temporary folder (the recording itself when neither changes). */
async function twin(src: string, name: string, hz: number, sign: number): Promise<string> {
  const rec = await openRecord(src);
  try {
    if (hz === rec.fs && sign === 1) return src;
    const gain = 1000; // 1 µV steps: finer than the recordings' own
    const signals = (await rec.readPhysical(0, rec.nFrames)).map((x) =>
      Int16Array.from(resample(x, rec.fs, hz), (v) => Math.max(-32767, Math.min(32767, Math.round(sign * v * gain))))
    );
    const specs = rec.header.signals.map((s) => ({
      format: 16 as const,
      adcGain: gain,
      baseline: 0,
      units: 'mV',
      adcResolution: 16,
      adcZero: 0,
      description: s.description,
    }));
    await writeRecord(dir, name, { fs: hz, signals, specs });
    return join(dir, name);
  } finally {
    await rec.close();
  }
}

type Row = { name: string; truth: string; label: Record<string, string>; vt: Record<string, boolean>; pvcs: Record<string, number> };
const rows: Row[] = [];
try {
  for (const [k, r] of picked.entries()) {
    const row: Row = { name: r.name, truth: r.label, label: {}, vt: {}, pvcs: {} };
    for (const t of twins) {
      const path = await twin(r.path, `${r.name}_${t.name}`, t.hz, t.sign);
      const a = await analyzeRecord(path, { cacheDir: null, parallel: false, ...(o.models ? { modelsDir: o.models } : {}) });
      row.label[t.name] = a.recording?.label ?? '?';
      row.vt[t.name] = a.episodes.some((e) => e.type === 'VT');
      row.pvcs[t.name] = a.beats.label.reduce((n, l) => n + (l === V_INDEX ? 1 : 0), 0);
    }
    rows.push(row);
    if ((k + 1) % 100 === 0) console.error(`${k + 1}/${picked.length}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const first = twins[0]!.name;
for (const t of twins) {
  let tp = 0,
    fp = 0,
    fn = 0,
    same = 0,
    vt = 0,
    normalOrAf = 0,
    pvcs = 0;
  for (const r of rows) {
    const af = r.label[t.name] === 'AF';
    if (r.truth === 'A' && af) tp++;
    else if (r.truth === 'A') fn++;
    else if (af) fp++;
    if (r.label[t.name] === r.label[first]) same++;
    pvcs += r.pvcs[t.name]!;
    if (r.truth === 'N' || r.truth === 'A') {
      normalOrAf++;
      if (r.vt[t.name]) vt++;
    }
  }
  const f1 = (2 * tp) / (2 * tp + fp + fn);
  console.log(
    `${t.name}: AF F1 ${f1.toFixed(3)} (TP ${tp}, FP ${fp}, FN ${fn}); label = ${first}'s on ${same}/${rows.length}; normal/AF strips with VT ${vt}/${normalOrAf}; beats called V ${pvcs}`
  );
}
if (o.json) writeFileSync(o.json, JSON.stringify(rows));
