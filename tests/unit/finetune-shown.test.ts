// A fine-tune job tells a reviewer's corrections from confirmations by the labels the reviewer saw:
// the analysis's, which for a model with a morphology consensus are not the model's own P(V).
import { describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embedLabelled, fromLabels, loadParent } from '../../src/main/finetune';
import { shownByNet } from '../../src/main/finetune/shown';
import { defaultModelsDir, loadCatalog, openModel } from '../../src/main/inference';
import { AAMI_CLASSES, V_INDEX, type AamiClass } from '../../src/shared/analysis';
import { dataPath, needData } from '../helpers/data';

const has = needData('mitdb');

describe.skipIf(!has)('fine-tune: the probabilities the reviewer saw', () => {
  it('are the analysis P(V) of the reviewed beats (model + consensus over the whole record), not the model alone', async () => {
    const path = dataPath('mitdb', '208');
    const a = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1 });
    const n = a.beats.sample.length;
    // the reviewer labels every 5th beat of the first 10 minutes as the analysis called it
    const labels: (AamiClass | null)[] = new Array(n).fill(null);
    const rows: number[] = [];
    for (let i = 0; i < n && a.beats.sample[i]! < 600 * 360; i += 5) {
      labels[i] = AAMI_CLASSES[a.beats.label[i]!]!;
      rows.push(i);
    }
    const cat = await loadCatalog(defaultModelsDir());
    expect(cat.models.beat?.entry.consensus).toBeTruthy();
    const m = await openModel(cat.models.beat!, { provider: 'cpu', threads: 1 });
    try {
      const emb = await embedLabelled(m, [fromLabels(path, '208', a.beats.sample, labels)]);
      expect(emb.n).toBe(rows.length);
      let moved = 0;
      rows.forEach((i, j) => {
        expect(emb.shown[j * AAMI_CLASSES.length + V_INDEX]).toBeCloseTo(a.beats.pvcScore[i]!, 5);
        if (Math.abs(emb.probs[j * AAMI_CLASSES.length + V_INDEX]! - a.beats.pvcScore[i]!) > 1e-3) moved++;
      });
      expect(moved).toBeGreaterThan(0); // the consensus moved some of them: the model alone would disagree
    } finally {
      await m.session.release();
    }
  }, 120_000);

  it("are what a version with the same layers shows: the net over the reviewed beats' consensus blocks, then the consensus", async () => {
    const path = dataPath('mitdb', '208');
    const a = await analyzeRecord(path, { beats: 'reference', cacheDir: null, threads: 1 });
    const n = a.beats.sample.length;
    const labels: (AamiClass | null)[] = new Array(n).fill(null);
    for (let i = 0; i < n && a.beats.sample[i]! < 300 * 360; i += 3) labels[i] = AAMI_CLASSES[a.beats.label[i]!]!;
    const registryDir = await mkdtemp(join(tmpdir(), 'hbs-shown-'));
    try {
      const parent = await loadParent({ registryDir, modelsDir: defaultModelsDir() });
      expect(parent.layer).toBeTruthy();
      // blocks of 512 beats: the first 5 minutes lie in the first block(s), the rest of the record is cut away
      const rule = { ...parent.model.entry.consensus!, block: 512 };
      const m = await openModel(
        { ...parent.model, entry: { ...parent.model.entry, consensus: rule } },
        { provider: 'cpu', threads: 1, extraOutputs: [parent.layer!.features] }
      );
      try {
        const emb = await embedLabelled(m, [fromLabels(path, '208', a.beats.sample, labels)], { features: parent.layer!.features });
        const ctx = emb.contexts[0]!;
        expect(ctx.n).toBeLessThan(n);
        expect(ctx.blocks.every((b) => b <= 512)).toBe(true);
        const shown = shownByNet(parent.net, emb.f!, emb.n, emb.contexts, emb.record, (c) => c.f!);
        let worst = 0;
        for (let j = 0; j < emb.n; j++)
          worst = Math.max(worst, Math.abs(shown[j * AAMI_CLASSES.length + V_INDEX]! - emb.shown[j * AAMI_CLASSES.length + V_INDEX]!));
        expect(worst).toBeLessThan(1e-3);
      } finally {
        await m.session.release();
      }
    } finally {
      await rm(registryDir, { recursive: true, force: true });
    }
  }, 120_000);
});
