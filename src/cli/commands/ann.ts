// heartbeat-sensei ann <record> [-a atr] [--raw]: one line per annotation, tab-separated, as rdann reads
// them (a leading time-resolution note consumed and applied); --raw prints the file as stored.
import type { CliCommand } from '../index';
import { parseArgs, stringFlag } from '../args';
import { CliError } from '../errors';
import { annotationPath, asRdann, mnemonic, readAnnotationFile, readHeader, timeResolutionOf } from '../../main/wfdb';
import { writeLines } from './dump';

/** The aux text as rdann shows it: up to the first NUL, tabs and line breaks as spaces. */
function auxText(aux: string | null): string {
  if (aux === null) return '';
  const nul = aux.indexOf('\0');
  return (nul >= 0 ? aux.slice(0, nul) : aux).replace(/[\t\r\n]/g, ' ');
}

const ann: CliCommand = {
  summary: 'Print the annotations of a record: sample, mnemonic, subtype, chan, num, aux (tab-separated).',
  usage: 'ann <record> [-a|--annotator atr] [--raw]',
  async run(argv) {
    const p = parseArgs(argv, { annotator: { type: 'string', alias: 'a' }, raw: { type: 'boolean' } });
    if (p.positionals.length !== 1) throw new CliError('ann needs exactly one record path');
    const record = p.positionals[0]!;
    const stored = await readAnnotationFile(annotationPath(record, stringFlag(p, 'annotator', 'atr')!));
    const rdann = p.flags.raw !== true && timeResolutionOf(stored) !== null;
    const anns = rdann
      ? asRdann(
          stored,
          await readHeader(record).then(
            (h) => h.fs,
            () => undefined
          )
        )
      : stored;
    await writeLines(function* () {
      for (let i = 0; i < anns.length; i += 4096) {
        yield anns
          .slice(i, i + 4096)
          .map((a) => `${a.sample}\t${mnemonic(a.code)}\t${a.subtype}\t${a.chan}\t${a.num}\t${auxText(a.aux)}\n`)
          .join('');
      }
    });
    return 0;
  },
};

export default ann;
