// A fine-tune job tells a reviewer's corrections from confirmations by the labels the reviewer saw:
// the analysis's, which for a model with a morphology consensus are not the model's own P(V).
import { describe, expect, it } from 'vitest';
import { analyzeRecord } from '../../src/main/analysis';
import { embedLabelled, fromLabels } from '../../src/main/finetune';
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
});
