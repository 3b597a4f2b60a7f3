// The beat model's outputs at other batch sizes against the default's, bit for bit, over every
// record with reference beats in the given folders (the claim DEFAULT_BEAT_BATCH rests on: ONNX
// Runtime's convolutions may round differently with the batch; batch 1 does, on this CPU).
//   npx tsx scripts/beat-batch-identity.ts [--batches 512,1024] DIR...   (e.g. ../shared/data/mitdb)
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, extractBeatWindows } from '../src/main/beats';
import { DEFAULT_BEAT_BATCH, defaultModelsDir, loadCatalog, openModel, runBeatModel } from '../src/main/inference';
import { referenceBeats } from '../src/main/analysis';
import { openRecord } from '../src/main/wfdb';

const { values, positionals: dirs } = parseArgs({ options: { batches: { type: 'string', default: '512,1024' } }, allowPositionals: true });
const batches = values.batches.split(',').map(Number);
if (!dirs.length || batches.some((b) => !(Number.isInteger(b) && b > 0))) throw new Error('usage: beat-batch-identity.ts [--batches 512,1024] DIR...');

const model = (await loadCatalog(defaultModelsDir())).models.beat;
if (!model) throw new Error(`no beat model in ${defaultModelsDir()}`);
const m = await openModel(model, { provider: 'cpu', threads: 1 });
let beats = 0;
const differing = new Map(batches.map((b) => [b, 0]));
for (const dir of dirs) {
  for (const name of readdirSync(dir)
    .filter((f) => f.endsWith('.hea'))
    .sort()) {
    const path = join(dir, name.slice(0, -4));
    if (!existsSync(`${path}.atr`)) continue;
    const rec = await openRecord(path);
    const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
    await rec.close();
    if (signals.length < 2) continue;
    const sample = await referenceBeats(path, rec.nFrames);
    const bw = extractBeatWindows(signals, rec.fs, sample);
    const run = (batch: number) => runBeatModel(m, bw, sample.length, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch });
    const base = await run(DEFAULT_BEAT_BATCH);
    beats += sample.length;
    for (const b of batches) {
      const o = await run(b);
      let d = 0;
      for (let i = 0; i < base.probs.length; i++) if (base.probs[i] !== o.probs[i]) d++;
      for (let i = 0; i < (base.embedding?.length ?? 0); i++) if (base.embedding![i] !== o.embedding![i]) d++;
      differing.set(b, differing.get(b)! + d);
      if (d) console.log(`${path}: batch ${b}: ${d} values differ from batch ${DEFAULT_BEAT_BATCH}`);
    }
  }
}
await m.session.release();
console.log(
  `${beats} beats (two-lead records): values differing from batch ${DEFAULT_BEAT_BATCH}: ${[...differing].map(([b, d]) => `batch ${b} ${d}`).join(', ')}`
);
