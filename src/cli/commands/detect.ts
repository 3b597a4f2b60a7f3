// heartbeat-sensei detect: runs the QRS detector on WFDB records and writes the beats as a WFDB
// annotation file <record>.<ext> (every beat labelled N), next to the record or into --out DIR.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CliCommand } from '../index';
import { leadsList, parseArgs, stringFlag } from '../args';
import { CliError } from '../errors';
import { makeFolder } from '../files';
import { progressBar } from '../progress';
import {
  annotationPath,
  headerPath,
  openRecord,
  readPhysicalAt,
  withTimeResolution,
  writeAnnotations,
  type Annotation,
  type SignalSpec,
} from '../../main/wfdb';
import { checkAnalysable } from '../../main/wfdb/plausible';
import { hasRecordExtension, isRecordFile } from '../../main/export/target';
import { NORMAL } from '../../main/wfdb/codes';
import { detectQrsInChunks } from '../../main/qrs';
import { inMillivolts } from '../../shared/ecg-leads';
import { analysedLeads, leadsAtOneRate } from '../../main/analysis/leads';
import { collisions } from '../../main/batch/layout';

const usage = 'detect <records...> [-o EXT] [--out DIR] [--leads 0,1] [--force]';

/**
 * The --leads given, else the leads an analysis reads (the record's ECG leads, at most two), at one rate
 * as the analysis reads them (leadsAtOneRate: a multi-frequency record's at their own rate, fs × samplesPerFrame).
 */
function parseLeads(v: string | undefined, signals: readonly SignalSpec[], recordPath: string, fs: number): ReturnType<typeof leadsAtOneRate> {
  const nSig = signals.length;
  const leads = v !== undefined ? leadsList(v) : analysedLeads(signals, undefined, recordPath);
  for (const l of leads) if (!Number.isInteger(l) || l < 0 || l >= nSig) throw new CliError(`--leads: no signal ${l} (the record has ${nSig})`);
  return leadsAtOneRate(signals, leads, fs);
}

const recordBase = (path: string) => (path.endsWith('.hea') ? path.slice(0, -4) : path);

const command: CliCommand = {
  summary:
    "Detects QRS complexes (Pan-Tompkins family, the leads an analysis reads fused: the record's ECG leads, at most two) and writes them as a WFDB annotation file " +
    '<record>.<EXT> (default EXT qrs, every beat N) next to the record or into --out DIR. Refuses EXT atr unless --force.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      ext: { type: 'string', alias: 'o' },
      out: { type: 'string' },
      leads: { type: 'string' },
      force: { type: 'boolean' },
    });
    const ext = stringFlag(p, 'ext', 'qrs')!;
    const outDir = stringFlag(p, 'out');
    if (!/^[A-Za-z0-9_\-~]+$/.test(ext)) throw new CliError(`-o: "${ext}" is not a valid annotator name`);
    if (ext === 'atr' && p.flags.force !== true) throw new CliError('refusing to write the reference annotator "atr" (use --force if you mean it)');
    if (p.positionals.length === 0) throw new CliError(`no record given\nusage: heartbeat-sensei ${usage}`);
    if (outDir) {
      // mitdb/100 and svdb/100 would both write DIR/100.<ext>: the second over the first
      const clash = collisions(p.positionals.map(recordBase), outDir, 'flat')[0];
      if (clash) throw new CliError(`${clash[0]} and ${clash[1]} would write the same file in ${outDir}: detect them into two folders`);
      await makeFolder('--out', outDir);
    }
    let beatsTotal = 0;
    let secondsTotal = 0;
    const t0 = performance.now();
    for (const recordPath of p.positionals) {
      const base = recordBase(recordPath);
      const rec = await openRecord(base);
      try {
        const { leads, samplesPerFrame: k, leftOut } = parseLeads(stringFlag(p, 'leads'), rec.header.signals, base, rec.fs);
        const fs = rec.fs * k;
        checkAnalysable(fs, headerPath(base)); // the detector's filters need 50 Hz, as the analysis does
        for (const l of leftOut) console.error(`heartbeat-sensei detect: ${basename(base)}: lead ${l.name} left out: ${l.reason}`);
        const bar = progressBar(`detect ${basename(base)}`);
        const beats = await detectQrsInChunks(
          async (a, b) => {
            const all = inMillivolts(await readPhysicalAt(rec, k, a, b), rec.header.signals);
            return leads.map((l) => all[l]!);
          },
          rec.nFrames * k,
          fs,
          {},
          { onProgress: (f) => bar.update(f) }
        );
        bar.done();
        // times at the leads' rate: a multi-frequency record's file says so, as WFDB writes it
        const anns: Annotation[] = withTimeResolution(
          Array.from(beats, (sample) => ({ sample, code: NORMAL, subtype: 0, chan: 0, num: 0, aux: null })),
          fs,
          rec.fs
        );
        const file = outDir ? join(outDir, `${basename(base)}.${ext}`) : annotationPath(base, ext);
        // the folder's headers are read only when the file is there (a folder of thousands of records)
        if (hasRecordExtension(file) || (existsSync(file) && (await isRecordFile(dirname(file), basename(file)))))
          throw new CliError(`${file}: a record's header or signal file; detect never writes over one (choose another -o annotator)`);
        await writeAnnotations(file, anns);
        beatsTotal += beats.length;
        secondsTotal += rec.nFrames / rec.fs;
        console.log(`${basename(base)}\t${beats.length} beats\t${file}`);
      } finally {
        await rec.close();
      }
    }
    const sec = (performance.now() - t0) / 1000;
    console.log(`${p.positionals.length} record(s), ${beatsTotal} beats, ${(secondsTotal / 3600).toFixed(2)} h of ECG in ${sec.toFixed(2)} s`);
    return 0;
  },
};

export default command;
