// npx tsx scripts/cuda-check.ts [--minutes 30]
//
// What the app's inference does on this machine: the CUDA probe (provider library, visible GPU),
// then the shipped beat model opened with provider 'auto' and with 'cuda' (the app's openModel:
// CUDA first when possible, CPU with the reason otherwise), each timed on the beats of a synthetic
// record (src/main/synth, exact beat positions). Prints one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, extractBeatWindows } from '../src/main/beats';
import { DEFAULT_BEAT_BATCH, defaultModelsDir, loadCatalog, openModel, ortBinDir, probeCuda, runBeatModel } from '../src/main/inference';
import { writeSynthRecord } from '../src/main/synth';
import { isQrs, openRecord, readAnnotations } from '../src/main/wfdb';

const args = process.argv.slice(2);
const minutes = Number(args[args.indexOf('--minutes') + 1] ?? 30) || 30;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hbs-cuda-'));
  try {
    const path = join(dir, 'synth');
    await writeSynthRecord(path, { scenario: 'pvc', minutes, seed: 3 });
    const rec = await openRecord(path);
    const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
    const fs = rec.fs;
    await rec.close();
    const sample = Int32Array.from((await readAnnotations(path, 'atr')).filter((a) => isQrs(a.code)).map((a) => a.sample));
    const bw = extractBeatWindows(signals, fs, sample);
    const cat = await loadCatalog(defaultModelsDir());
    const beat = cat.models.beat;
    if (!beat) throw new Error(`no beat model in ${defaultModelsDir()}`);
    const runs = [];
    for (const provider of ['auto', 'cuda', 'cpu'] as const) {
      const m = await openModel(beat, { provider });
      try {
        await runBeatModel(m, bw, sample.length, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch: DEFAULT_BEAT_BATCH }); // warm-up
        const t0 = performance.now();
        await runBeatModel(m, bw, sample.length, [BEAT_LEADS, BEAT_WINDOW], N_RR, { batch: DEFAULT_BEAT_BATCH });
        const ms = performance.now() - t0;
        runs.push({
          asked: provider,
          provider: m.provider,
          note: m.note ?? null,
          beats: sample.length,
          ms: Math.round(ms),
          beatsPerSec: Math.round(sample.length / (ms / 1000)),
        });
      } finally {
        await m.session.release();
      }
    }
    console.log(
      JSON.stringify(
        {
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
          ortBinDir: ortBinDir() ?? null,
          probe: probeCuda(),
          model: `${beat.entry.id} ${beat.entry.version}`,
          runs,
        },
        null,
        2
      )
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error((e as Error).message);
  process.exit(1);
});
