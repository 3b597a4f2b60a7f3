// npx tsx scripts/finetune-features.ts --models DIR --data training/work/beats/ds1,training/work/beats/svdb
//
// Adds to a beat model's replay and reference sets (the training beats a fine-tune mixes in so
// the model does not forget, and the fixed set it reports before/after on) the values of the
// embedding layer's input ("features"), so a fine-tune can adapt the embedding layer as well as
// the head. The sets' rows are the DS1 beats whose embeddings they hold: every stored embedding is
// matched to the DS1 beat (same label) whose embedding through the same ONNX file is nearest, and
// the match must be within 1e-3 (PyTorch vs ONNX Runtime differ by ~1e-6), else nothing is written.
// Writes <set>.features.npy beside each embeddings file and a "features" key in the manifest entry.
// A model shipped with int8 convolutions (hbs.quantize) gives other embeddings than the PyTorch
// model that stored them: --match-model names the float32 export they came from (hbs.beats keeps it
// as beat-pvc.float.onnx); the rows are matched through it, and the sets' embeddings are then
// rewritten with the shipped model's, so a fine-tune starts from what the app computes (rows already
// rewritten so, by an earlier run of the pipeline, match through the shipped file).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BEAT_LEADS, BEAT_WINDOW, N_RR, applyLeadInput, singleLeadInputOf } from '../src/main/beats';
import { embeddingLayerOf } from '../src/main/finetune/layers';
import { openModel, runBeatModel, sha256File, type ModelEntry } from '../src/main/inference';
import { readNpy, writeNpy } from './train-lib';

const TOL = 1e-3;

interface SetSpec {
  embeddings: string;
  labels: string;
  features?: string;
}

export interface FeaturesAdded {
  kind: 'replay' | 'reference';
  rows: number;
  /** Largest |stored embedding − the matched beat's embedding| over the set's rows. */
  worst: number;
  file: string;
  /** Largest |stored embedding − the shipped model's| where --match-model rewrote them, else 0. */
  rewritten: number;
}

/** Adds the embedding layer's input to the replay and reference sets of the beat model in `dir`. */
/** The arrays of one or more beat datasets, concatenated in order. */
function readDatasets(dirs: string[]): { win: Float32Array; tpl: Float32Array; rr: Float32Array; lab: Uint8Array; flags: Uint8Array } {
  const parts = dirs.map((data) => {
    for (const f of ['windows', 'template', 'rr', 'labels', 'flags'])
      if (!existsSync(join(data, `${f}.npy`))) throw new Error(`${data}: no ${f}.npy (make it with npm run train:beats or heartbeat-sensei dataset)`);
    return {
      win: readNpy(join(data, 'windows.npy')).data as Float32Array,
      tpl: readNpy(join(data, 'template.npy')).data as Float32Array,
      rr: readNpy(join(data, 'rr.npy')).data as Float32Array,
      lab: readNpy(join(data, 'labels.npy')).data as Uint8Array,
      flags: readNpy(join(data, 'flags.npy')).data as Uint8Array,
    };
  });
  if (parts.length === 1) return parts[0]!;
  const cat = <T extends Float32Array | Uint8Array>(key: 'win' | 'tpl' | 'rr' | 'lab' | 'flags', make: (n: number) => T): T => {
    const out = make(parts.reduce((s, p) => s + p[key].length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p[key], o);
      o += p[key].length;
    }
    return out;
  };
  return {
    win: cat('win', (n) => new Float32Array(n)),
    tpl: cat('tpl', (n) => new Float32Array(n)),
    rr: cat('rr', (n) => new Float32Array(n)),
    lab: cat('lab', (n) => new Uint8Array(n)),
    flags: cat('flags', (n) => new Uint8Array(n)),
  };
}

/** Embeddings (and, with `extra`, that intermediate's values) of every dataset row through one ONNX file
 * (the manifest's, or another with the same inputs and outputs: --match-model). */
async function embedAll(entry: ModelEntry, path: string, rows: { win: Float32Array; tpl: Float32Array; rr: Float32Array }, n: number, extra?: string) {
  const model = await openModel({ entry, path }, { provider: 'cpu', ...(extra ? { extraOutputs: [extra] } : {}) });
  try {
    return await runBeatModel(model, { windows: rows.win, rr: rows.rr, templates: { templates: rows.tpl, block: 1 } }, n, [BEAT_LEADS, BEAT_WINDOW], N_RR, {
      batch: 1024,
      ...(extra ? { extraOutput: extra } : {}),
    });
  } finally {
    await model.session.release();
  }
}

export async function addFinetuneFeatures(dir: string, dataDirs: string | string[], matchModel?: string): Promise<FeaturesAdded[]> {
  const dirs = typeof dataDirs === 'string' ? [dataDirs] : dataDirs;
  const data = dirs.join(', ');
  const pending: (FeaturesAdded & { data: Float32Array; F: number; embeddings?: { file: string; data: Float32Array; D: number } })[] = [];
  const manifestPath = join(dir, 'manifest.json');
  const text = readFileSync(manifestPath, 'utf8');
  const manifest = JSON.parse(text) as { models: (ModelEntry & { replay?: SetSpec; reference?: SetSpec; head?: { embedding?: string } })[] };
  const entry = manifest.models.find((m) => m.task === 'beat');
  if (!entry?.replay || !entry.reference) throw new Error(`${manifestPath}: no beat model with replay and reference sets`);
  const path = join(dir, entry.file);
  const layer = embeddingLayerOf(new Uint8Array(readFileSync(path)), entry.head?.embedding ?? 'embedding', path);
  if (!layer) throw new Error(`${path}: no embedding layer Relu(Gemm(features, W, b)) before the "embedding" output`);

  const { win, tpl, rr, lab, flags } = readDatasets(dirs);
  const n = lab.length;
  // the input the app gives each beat (a single-lead record's, lead 0 off), as hbs.beats trained on it
  const mode = singleLeadInputOf(entry);
  applyLeadInput(win, flags, n, mode);
  applyLeadInput(tpl, flags, n, mode);
  const out = await embedAll(entry, path, { win, tpl, rr }, n, layer.features);
  const D = out.embeddingDim;
  const F = out.extraDim!;
  const shipped = out.embedding!;
  const feat = out.extra!;
  // the embeddings the rows are matched by: the stored ones' own model; with --match-model also the
  // shipped file's, which a previous run of this script wrote in their place (a pipeline re-run)
  const matchBy = matchModel
    ? [(await embedAll({ ...entry, sha256: await sha256File(matchModel) }, matchModel, { win, tpl, rr }, n)).embedding!, shipped]
    : [shipped];
  // rows by label, sorted by the embedding's component sum (a nearby embedding has a nearby sum)
  const keyOf = (e: Float32Array, i: number) => {
    let s = 0;
    for (let d = 0; d < D; d++) s += e[i * D + d]!;
    return s;
  };
  const indexOf = (emb: Float32Array) => {
    const byLabel = new Map<number, { key: number; row: number }[]>();
    for (let i = 0; i < n; i++) {
      if (!byLabel.has(lab[i]!)) byLabel.set(lab[i]!, []);
      byLabel.get(lab[i]!)!.push({ key: keyOf(emb, i), row: i });
    }
    for (const l of byLabel.values()) l.sort((a, b) => a.key - b.key);
    return { emb, byLabel };
  };
  const indices = matchBy.map(indexOf);
  /** The dataset row whose embedding is nearest stored row r (max-abs distance), within the key's tolerance. */
  const nearest = (ix: (typeof indices)[number], e: Float32Array, r: number, label: number) => {
    const list = ix.byLabel.get(label) ?? [];
    const k = keyOf(e, r);
    // binary search for the key, then scan outward while the key gap can still be within tolerance
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.key < k) lo = mid + 1;
      else hi = mid;
    }
    let best = Infinity;
    let bestRow = -1;
    for (const step of [-1, 1]) {
      for (let j = step < 0 ? lo - 1 : lo; j >= 0 && j < list.length && Math.abs(list[j]!.key - k) <= TOL * D; j += step) {
        const row = list[j]!.row;
        let dmax = 0;
        for (let d = 0; d < D && dmax < best; d++) dmax = Math.max(dmax, Math.abs(ix.emb[row * D + d]! - e[r * D + d]!));
        if (dmax < best) {
          best = dmax;
          bestRow = row;
        }
      }
    }
    return { best, bestRow };
  };

  let json = text;
  for (const kind of ['replay', 'reference'] as const) {
    const spec = entry[kind]!;
    const e = readNpy(join(dir, spec.embeddings)).data as Float32Array;
    const y = readNpy(join(dir, spec.labels)).data as Uint8Array;
    const m = y.length;
    if (e.length !== m * D) throw new Error(`${spec.embeddings}: ${e.length / m} values per row, the model's embedding has ${D}`);
    const fOut = new Float32Array(m * F);
    const eOut = new Float32Array(m * D);
    let worst = 0;
    let rewritten = 0;
    for (let r = 0; r < m; r++) {
      let { best, bestRow } = nearest(indices[0]!, e, r, y[r]!);
      if (!(best <= TOL) && indices[1]) ({ best, bestRow } = nearest(indices[1], e, r, y[r]!));
      if (!(best <= TOL))
        throw new Error(
          `${spec.embeddings}: row ${r} (label ${y[r]}) matches no beat of ${data} within ${TOL} (nearest ${best}): not this model's training beats`
        );
      worst = Math.max(worst, best);
      fOut.set(feat.subarray(bestRow * F, (bestRow + 1) * F), r * F);
      eOut.set(shipped.subarray(bestRow * D, (bestRow + 1) * D), r * D);
      if (matchModel) for (let d = 0; d < D; d++) rewritten = Math.max(rewritten, Math.abs(eOut[r * D + d]! - e[r * D + d]!));
    }
    const name = spec.embeddings.replace(/embeddings\.npy$/, 'features.npy');
    if (name === spec.embeddings) throw new Error(`${spec.embeddings}: expected a name ending in embeddings.npy`);
    pending.push({ kind, rows: m, worst, file: name, data: fOut, F, rewritten, embeddings: matchModel ? { file: spec.embeddings, data: eOut, D } : undefined });
    if (!spec.features) {
      // insert next to the embeddings key, keeping the manifest's own formatting
      const re = new RegExp(`("${kind}"\\s*:\\s*\\{\\s*?\\n([ \\t]*))"embeddings"\\s*:\\s*"${spec.embeddings.replace(/[.]/g, '\\.')}",`);
      if (!re.test(json)) throw new Error(`${manifestPath}: cannot find the ${kind} set's embeddings key`);
      json = json.replace(re, (all, _head: string, indent: string) => `${all}\n${indent}"features": "${name}",`);
    }
  }
  // every set matched: only now write (a failure above leaves the folder as it was)
  for (const p of pending) {
    writeNpy(join(dir, p.file), { shape: [p.rows, p.F], data: p.data });
    if (p.embeddings) writeNpy(join(dir, p.embeddings.file), { shape: [p.rows, p.embeddings.D], data: p.embeddings.data });
  }
  if (json !== text) writeFileSync(manifestPath, json);
  return pending.map(({ kind, rows, worst, file, rewritten }) => ({ kind, rows, worst, file, rewritten }));
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const opt = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const dir = resolve(opt('models') ?? 'models');
  const data = (opt('data') ?? 'training/work/beats/ds1').split(',').map((d) => resolve(d));
  const match = opt('match-model');
  for (const a of await addFinetuneFeatures(dir, data, match ? resolve(match) : undefined))
    console.log(
      `${a.kind}: ${a.rows} rows matched (largest embedding difference ${a.worst.toExponential(1)}) → ${join(dir, a.file)}` +
        (match ? `; embeddings rewritten with the shipped model's (largest change ${a.rewritten.toExponential(1)})` : '')
    );
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((e) => {
    console.error((e as Error).message);
    process.exit(1);
  });
}
