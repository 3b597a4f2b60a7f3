// heartbeat-sensei dump <record> [--from S] [--to S] [--physical]: the samples of a record, one
// line per sample of its fastest signal (as WFDB's `rdsamp -H`): the sample number, then each
// signal's value, slower signals repeated; invalid samples print as "-".
import type { CliCommand } from '../index';
import { numberFlag, parseArgs } from '../args';
import { CliError } from '../errors';
import { progressBar } from '../progress';
import { INVALID, openRecord, type SignalSpec } from '../../main/wfdb';

/** Frames per block read and formatted at a time. */
const BLOCK_FRAMES = 16384;

/** Writes blocks of text to stdout, waiting when its buffer is full and stopping quietly on EPIPE (`| head`). */
export async function writeLines(blocks: () => Iterable<string> | AsyncIterable<string>, out: NodeJS.WriteStream = process.stdout): Promise<void> {
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') closed = true;
    else throw err;
  };
  out.on('error', onError);
  try {
    for await (const block of blocks()) {
      if (closed) break;
      if (!out.write(block)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('close', done);
            resolve();
          };
          out.once('drain', done);
          out.once('close', done);
        });
      }
    }
  } finally {
    out.off('error', onError);
  }
}

/** Decimals that show a physical value to the ADC's resolution (one step = 1/gain). */
function decimals(s: SignalSpec): number {
  const gain = s.adcGain || 200;
  return Math.min(9, Math.max(3, Math.ceil(Math.log10(gain))));
}

/** Parses --from/--to (seconds) into a frame range of the record. */
export function frameRange(fromS: number | undefined, toS: number | undefined, fs: number, nFrames: number): [number, number] {
  const from = fromS === undefined ? 0 : Math.round(fromS * fs);
  const to = toS === undefined ? nFrames : Math.round(toS * fs);
  if (from < 0 || from > nFrames) throw new CliError(`--from ${fromS} is outside the record (0 to ${(nFrames / fs).toFixed(3)} s)`);
  if (to < from || to > nFrames) throw new CliError(`--to ${toS} must lie between --from and the end of the record (${(nFrames / fs).toFixed(3)} s)`);
  return [from, to];
}

const dump: CliCommand = {
  summary:
    'Print the samples of a record, one line per sample of the fastest signal, laid out as rdsamp -H: sample number, then each signal (raw ADC, or --physical units); an invalid sample prints as "-".',
  usage: 'dump <record> [--from SECONDS] [--to SECONDS] [--physical] [--all-frames]',
  async run(argv) {
    const p = parseArgs(argv, { from: { type: 'string' }, to: { type: 'string' }, physical: { type: 'boolean' }, 'all-frames': { type: 'boolean' } });
    if (p.positionals.length !== 1) throw new CliError('dump needs exactly one record path');
    const rec = await openRecord(p.positionals[0]!);
    try {
      const sigs = rec.header.signals;
      // rdsamp stops where a skewed signal's data ends; --all-frames goes on to the header's length (those samples '-')
      const end = p.flags['all-frames'] === true ? rec.nFrames : (rec.completeFrames ?? rec.nFrames);
      const [from, to] = frameRange(numberFlag(p, 'from'), numberFlag(p, 'to'), rec.fs, end);
      const physical = p.flags.physical === true;
      const spfMax = Math.max(1, ...sigs.map((s) => s.samplesPerFrame));
      const digits = sigs.map(decimals);
      const gains = sigs.map((s) => s.adcGain || 200);
      const bar = progressBar('dump');
      await writeLines(async function* () {
        for (let f0 = from; f0 < to; f0 += BLOCK_FRAMES) {
          const f1 = Math.min(to, f0 + BLOCK_FRAMES);
          const raw = await rec.readRaw(f0, f1);
          const lines: string[] = [];
          for (let f = f0; f < f1; f++) {
            for (let g = 0; g < spfMax; g++) {
              let line = String(f * spfMax + g);
              for (let i = 0; i < sigs.length; i++) {
                const spf = sigs[i]!.samplesPerFrame;
                const v = raw[i]![(f - f0) * spf + Math.floor((g * spf) / spfMax)]!;
                line += '\t' + (v === INVALID ? '-' : physical ? ((v - sigs[i]!.baseline) / gains[i]!).toFixed(digits[i]!) : String(v));
              }
              lines.push(line);
            }
          }
          bar.update((f1 - from) / Math.max(1, to - from));
          yield lines.join('\n') + '\n';
        }
      });
      if (to > from) bar.done();
      return 0;
    } finally {
      await rec.close();
    }
  },
};

export default dump;
