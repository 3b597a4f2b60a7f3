// `heartbeat-sensei dataset <records...> --out DIR [--kind beats|rhythm] [--beats reference|detector] [--marks reference|detector]`:
// writes the training datasets (.npy + meta.json) with the same preprocessing the app runs.
import { resolve } from 'node:path';
import type { CliCommand } from '../index';
import { parseArgs, numberFlag, stringFlag } from '../args';
import { CliError } from '../errors';
import { progressBar } from '../progress';
import { mitdbSplit, resolveRecords, writeBeatDataset, writeRhythmDataset } from '../../main/dataset';
import { BeatSource } from '../../shared/analysis';
import { beatsFlag } from '../analysis-flags';

const usage =
  'dataset <records or db folders...> --out DIR [--kind beats|rhythm] [--beats reference|detector] [--marks reference|detector] [--split DS1|DS2|paced[,...]] [--stride SEC] [--annotator atr] [--via-fs HZ]';

const command: CliCommand = {
  summary:
    'Writes a beat dataset (216×2 windows at 360 Hz, RR features, AAMI labels) or a rhythm dataset (10 s windows at 125 Hz, rhythm labels) as .npy files + meta.json for the training pipeline.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      out: { type: 'string', alias: 'o' },
      kind: { type: 'string' },
      beats: { type: 'string' },
      marks: { type: 'string' },
      stride: { type: 'string' },
      annotator: { type: 'string' },
      split: { type: 'string' },
      'via-fs': { type: 'string' },
    });
    const out = stringFlag(p, 'out');
    if (!out) throw new CliError('--out DIR is required');
    if (p.positionals.length === 0) throw new CliError(`no records given\nusage: heartbeat-sensei ${usage}`);
    const kind = stringFlag(p, 'kind', 'beats');
    if (kind !== 'beats' && kind !== 'rhythm') throw new CliError(`--kind must be beats or rhythm, got "${kind}"`);
    const beats = beatsFlag(p, 'reference', BeatSource.options);
    // --marks detector: the reference beats, each cut where the app's QRS detector marks it
    const marks = stringFlag(p, 'marks', 'reference');
    if (marks !== 'reference' && marks !== 'detector') throw new CliError(`--marks must be reference or detector, got "${marks}"`);
    if (marks === 'detector' && (kind !== 'beats' || beats !== 'reference')) throw new CliError('--marks detector applies to --kind beats --beats reference');
    const strideSec = numberFlag(p, 'stride', 5)!;
    if (!(strideSec > 0)) throw new CliError(`--stride must be positive, got ${strideSec}`);
    const annotator = stringFlag(p, 'annotator', 'atr')!;
    const viaFs = numberFlag(p, 'via-fs');
    if (viaFs !== undefined && !(viaFs >= 50 && viaFs <= 10000)) throw new CliError(`--via-fs must be a sampling rate between 50 and 10000 Hz, got ${viaFs}`);
    if (viaFs !== undefined && kind !== 'beats') throw new CliError('--via-fs applies to --kind beats only');
    let records = resolveRecords(p.positionals);
    const split = stringFlag(p, 'split');
    if (split !== undefined) {
      const wanted = split.split(/[,+]/).map((x) => x.trim());
      for (const w of wanted)
        if (w !== 'DS1' && w !== 'DS2' && w !== 'paced') throw new CliError(`--split takes DS1, DS2 or paced (comma-separated), got "${w}"`);
      // MIT-BIH records outside the named splits are dropped; other databases' records are kept
      records = records.filter((r) => r.db !== 'mitdb' || wanted.includes(mitdbSplit(r.db, r.name) ?? ''));
      if (records.length === 0) throw new CliError(`no record left after --split ${split}`);
    }
    const outDir = resolve(out);
    const bar = progressBar(`dataset ${kind}`);
    const onRecord = (done: number, total: number, ref: { name: string }) => bar.update(done / total, ref.name);
    const t0 = performance.now();
    if (kind === 'beats') {
      const detector = beats === 'detector' || marks === 'detector' ? (await import('../../main/qrs')).detectQrs : undefined;
      const meta = await writeBeatDataset(records, outDir, { beats, marks, annotator, detector, onRecord, ...(viaFs !== undefined ? { viaFs } : {}) });
      bar.done();
      const counts = Object.entries(meta.counts)
        .map(([c, k]) => `${c} ${k}`)
        .join(', ');
      const unmatched = meta.records.reduce((s, r) => s + (r.unmatched ?? 0), 0);
      const missed = meta.records.reduce((s, r) => s + (r.missed ?? 0), 0);
      const note =
        beats === 'detector'
          ? `, ${unmatched} unmatched detections left out`
          : marks === 'detector'
            ? `, ${missed} beats the detector missed cut at the reference mark`
            : '';
      console.log(`${meta.n} beats from ${records.length} records (${counts})${note} in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${outDir}`);
    } else {
      const meta = await writeRhythmDataset(records, outDir, { strideSec, annotator, onRecord });
      bar.done();
      const counts = Object.entries(meta.counts)
        .map(([c, k]) => `${c} ${k}`)
        .join(', ');
      const skipped = meta.records.reduce((s, r) => s + r.skipped, 0);
      console.log(
        `${meta.n} windows from ${records.length} records (${counts}; ${skipped} without a majority class left out) in ${((performance.now() - t0) / 1000).toFixed(1)} s → ${outDir}`
      );
    }
    return 0;
  },
};

export default command;
