// heartbeat-sensei report: the Holter report of a record as a PDF, from a review file when one is
// given (the reviewer's labels and episode decisions), else from the analysis as it stands (the
// same figures as `analyze --json`). The page is the app's; Chromium prints it.
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { EXIT, type CliCommand } from '../index';
import { parseArgs, stringFlag } from '../args';
import { ANALYSIS_FLAGS, analysisSettings, chosenModels } from '../analysis-flags';
import { CliError } from '../errors';
import { refuseRecordFile } from '../files';
import { progressBar } from '../progress';
import { analyzeInProcess, ctrlC, withPath } from '../analyze-in-process';
import { recordName } from '../../main/analysis/record';
import { importReview } from '../../main/export';
import { makeReport, printPdf, sourceOf, type PaperSize } from '../../main/report';
import { writeFileAtomic, writeNewFileAtomic } from '../../main/files/atomic';
import type { Analysis } from '../../shared/analysis';
import { appInfo } from '../../main/app/info';
import { formatHms } from '../../renderer/src/lib/time';

const usage =
  'report <record> [--review FILE] [--out FILE.pdf] [--full-disclosure] [--paper A4|Letter] [--strip HH:MM:SS[=note]]... [--html FILE] [--threshold T] [--beats reference|detector|auto] [--provider auto|cpu|cuda] [--rules] [--no-cache] [--cache-dir DIR] [--models DIR] [--registry DIR]';

/** "01:02:03", "62:03" or seconds → seconds. */
export function parseTime(text: string): number {
  const parts = text.split(':').map(Number);
  if (!parts.length || parts.length > 3 || parts.some((x) => !Number.isFinite(x) || x < 0))
    throw new CliError(`--strip takes a time HH:MM:SS elapsed from the recording's start, got "${text}"`);
  return parts.reduce((a, x) => a * 60 + x, 0);
}

/**
 * The record a --review file is for when only its name says it: a WFDB annotation file is
 * <record>.<annotator> and holds no record of its own; null for a .json or .csv export, which names
 * its record inside (checked by hash once the record is analysed).
 */
export function annotationFileRecord(file: string): string | null {
  const ext = extname(file);
  return ext.toLowerCase() === '.json' || ext.toLowerCase() === '.csv' ? null : basename(file, ext);
}

/** Ctrl-C: said on stderr, exit 130 as every command that can be interrupted. */
function interrupted(base: string): number {
  console.error(`heartbeat-sensei report: ${base}: cancelled`);
  return EXIT.interrupted;
}

const command: CliCommand = {
  summary:
    'Writes the Holter report of a record as a PDF (A4 or Letter): header, summary figures, hourly table, trend plots, 10-s event strips at 25 mm/s and 10 mm/mV, ' +
    'and with --full-disclosure the whole record one minute per line. Figures come from --review FILE (a review export: .json, .csv or a WFDB annotation file) ' +
    "or, without one, from the analysis (the figures `analyze --json` prints). --strip adds the 10-s strip at a time given as elapsed from the recording's start (HH:MM:SS), " +
    'also where the report shows clock times. The default output is <record>-report.pdf beside the record, never written over.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      review: { type: 'string' },
      out: { type: 'string' },
      html: { type: 'string' },
      'full-disclosure': { type: 'boolean' },
      paper: { type: 'string' },
      strip: { type: 'list' },
      ...ANALYSIS_FLAGS,
    });
    if (p.positionals.length !== 1) throw new CliError(`give one record\nusage: heartbeat-sensei ${usage}`);
    const base = resolve(p.positionals[0]!.replace(/\.hea$/, ''));
    const name = recordName(base);
    const paperFlag = stringFlag(p, 'paper', 'A4')!;
    const paper = ({ a4: 'A4', letter: 'Letter' } as const)[paperFlag.toLowerCase() as 'a4' | 'letter'] as PaperSize | undefined;
    if (!paper) throw new CliError(`--paper must be A4 or Letter, got "${paperFlag}"`);
    // The analysis as `analyze` makes it with the same flags (cached): the report without a review has its figures.
    const settings = analysisSettings(p);
    await chosenModels(settings); // a --models folder named that cannot give its models is bad input
    const outFlag = stringFlag(p, 'out');
    const out = resolve(outFlag ?? join(dirname(base), `${name}-report.pdf`));
    // A file the user did not name is never replaced.
    if (!outFlag && existsSync(out)) throw new CliError(`${out} exists: name it with --out to replace it`);
    if (outFlag) await refuseRecordFile('--out', outFlag, 'the report');
    const htmlOut = stringFlag(p, 'html');
    if (htmlOut) await refuseRecordFile('--html', htmlOut, 'the report page');
    const reviewFile = stringFlag(p, 'review');
    // an annotation file takes the labels of whatever record it is read with: another record's would fill this one's report
    const annotated = reviewFile === undefined ? null : annotationFileRecord(reviewFile);
    if (annotated !== null && annotated !== name) throw new CliError(`${resolve(reviewFile!)} belongs to another record (${annotated}), not ${name}`);
    const strips = ((p.flags.strip as string[] | undefined) ?? []).map((s) => {
      const [t, ...note] = s.split('=');
      return { sec: parseTime(t!), note: note.join('=') || 'marked strip' };
    });
    const bar = progressBar(`report ${name}`);
    // one Ctrl-C handler for the analysis and the report made from it
    const interrupt = ctrlC();
    try {
      let a: Analysis;
      try {
        a = await analyzeInProcess(base, settings, interrupt.signal, (e) => bar.update(0.6 * e.fraction, e.stage));
      } catch (e) {
        bar.done();
        if ((e as Error).name === 'CancelledError') return interrupted(base);
        throw new CliError(withPath(base, (e as Error).message));
      }
      const beyond = strips.find((s) => s.sec >= a.durationSec);
      if (beyond) {
        bar.done();
        throw new CliError(`--strip ${formatHms(beyond.sec)}: the record lasts ${formatHms(a.durationSec)}`);
      }
      const review = reviewFile
        ? await importReview(reviewFile, { name: a.record, hash: a.recordHash, fs: a.fs, nFrames: Math.round(a.durationSec * a.fs) })
        : null;
      if (review && review.record.hash && review.record.hash !== a.recordHash) {
        bar.done();
        throw new CliError(`${resolve(reviewFile!)} belongs to another record (${review.record.name}), not ${name}`);
      }
      try {
        const { html, report } = await makeReport(base, sourceOf(a, review), {
          paper,
          fullDisclosure: p.flags['full-disclosure'] === true,
          marked: strips.map((s) => ({ sample: Math.round(s.sec * a.fs), note: s.note })),
          appVersion: appInfo('bridge').version,
          onProgress: (f, stage) => bar.update(0.6 + 0.3 * f, stage),
          signal: interrupt.signal,
        });
        if (report.modelsNote) console.error(`heartbeat-sensei report: note: ${report.modelsNote}`);
        if (htmlOut) await writeFileAtomic(resolve(htmlOut), Buffer.from(html));
        bar.update(0.92, 'printing');
        const pdf = await printPdf(html, paper, undefined, interrupt.signal);
        // the default name is never written over, not even by a file that appeared while the report was made
        await (outFlag ? writeFileAtomic(out, pdf) : writeNewFileAtomic(out, pdf));
        bar.done();
        // a Ctrl-C while the PDF was written (whole: an atomic write) still ends as an interruption, as in analyze
        if (interrupt.signal.aborted) return interrupted(base);
        const s = report.summary;
        console.log(
          `${basename(out)}: ${review ? `review by ${report.reviewer ?? '?'}` : 'analysis (no review)'}; beats ${s.beats}, PVCs ${s.v.count}, AF burden ${(100 * s.af.burden).toFixed(1)} %, longest pause ${s.longestPauseSec.toFixed(2)} s, ${report.strips.length} strips`
        );
        console.log(`written: ${out}`);
        return 0;
      } catch (e) {
        bar.done();
        if ((e as Error).name === 'CancelledError') return interrupted(base);
        throw e;
      }
    } finally {
      interrupt.dispose();
    }
  },
};

export default command;
