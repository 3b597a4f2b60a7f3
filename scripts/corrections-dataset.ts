// npx tsx scripts/corrections-dataset.ts --reviews DIR --records DIR[,DIR...] --out DIR
// Pooled review exports (JSON) → a beat dataset with the app's preprocessing + reviewed.npy, for
// `npm run train:beats -- --corrections DIR` (src/main/batch/corrections.ts, docs/scale.md).
import { parseArgs } from 'node:util';
import { writeCorrectionsDataset } from '../src/main/batch/corrections';

const { values } = parseArgs({ options: { reviews: { type: 'string' }, records: { type: 'string' }, out: { type: 'string' } } });
if (!values.reviews || !values.records || !values.out) {
  console.error('usage: npx tsx scripts/corrections-dataset.ts --reviews DIR --records DIR[,DIR...] --out DIR');
  process.exit(2);
}
try {
  const s = await writeCorrectionsDataset(values.reviews, values.records.split(','), values.out);
  for (const r of s.records)
    console.log(`${r.db}/${r.name}: ${r.reviewed} of ${r.beats} beats reviewed (${r.reviewer}; ${r.reviews.length} export${r.reviews.length > 1 ? 's' : ''})`);
  for (const f of s.superseded) console.log(`superseded by a later export of its record: ${f}`);
  console.log(`→ ${values.out}`);
} catch (e) {
  const err = e as Error & { file?: string };
  if (!err.file) throw e;
  console.error(`corrections-dataset: ${err.message}`);
  process.exit(2);
}
