// Writes vf.npy beside a rhythm dataset (heartbeat-sensei dataset --kind rhythm): per window 1 when
// the reference holds ventricular flutter or fibrillation over most of it, else 0 (CinC 2017 and
// records without annotations: 0). hbs.rhythm --vf-class reads it to train VF/VFL as a class of
// its own instead of inside VT.
//   npx tsx scripts/rhythm-vf-labels.ts training/work/rhythm-vf/all
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy, npyHeader } from '../src/main/dataset/npy';
import { labelWindows, vfIntervals } from '../src/main/rhythm/labels';
import { mnemonic, readAnnotations } from '../src/main/wfdb';

interface MetaRecord {
  name: string;
  db: string;
  path: string;
  fs: number;
  labelSource: string;
}

async function main(dir: string): Promise<void> {
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { records: MetaRecord[]; windowSec: number };
  const rec = parseNpy(readFileSync(join(dir, 'record.npy')), 'record.npy').data as Int32Array;
  const start = parseNpy(readFileSync(join(dir, 'start.npy')), 'start.npy').data as Int32Array;
  const vf = new Uint8Array(rec.length);
  const byRecord = new Map<number, number[]>();
  rec.forEach((r, i) => byRecord.set(r, [...(byRecord.get(r) ?? []), i]));
  let windows = 0;
  for (const [r, idx] of byRecord) {
    const m = meta.records[r]!;
    if (m.labelSource !== 'annotations') continue;
    const marks = (await readAnnotations(m.path, 'atr')).map((a) => ({ sample: a.sample, mnemonic: mnemonic(a.code), aux: a.aux ?? '' }));
    const lab = labelWindows(
      vfIntervals(marks),
      Int32Array.from(idx, (i) => start[i]!),
      Math.round(meta.windowSec * m.fs)
    );
    idx.forEach((i, k) => (vf[i] = lab[k] === 1 ? 1 : 0));
    windows += lab.filter((c) => c === 1).length;
  }
  const header = npyHeader('|u1', [vf.length]);
  writeFileSync(join(dir, 'vf.npy'), Buffer.concat([header, vf]));
  console.log(`${join(dir, 'vf.npy')}: ${windows} of ${vf.length} windows flutter/fibrillation`);
}

const dir = process.argv[2];
if (!dir) {
  console.error('usage: npx tsx scripts/rhythm-vf-labels.ts DATASET_DIR');
  process.exit(2);
}
await main(dir);
