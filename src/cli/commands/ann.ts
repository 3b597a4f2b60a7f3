// heartbeat-sensei ann <record> [-a atr]: one line per annotation, tab-separated.
import type { Command } from '../index';
import { parseArgs, stringFlag } from '../args';
import { CliError } from '../errors';
import { annotationPath, mnemonic, readAnnotationFile } from '../../main/wfdb';
import { writeLines } from './dump';

/** The aux text as rdann shows it: up to the first NUL, tabs and line breaks as spaces. */
function auxText(aux: string | null): string {
  if (aux === null) return '';
  const nul = aux.indexOf('\0');
  return (nul >= 0 ? aux.slice(0, nul) : aux).replace(/[\t\r\n]/g, ' ');
}

const ann: Command = {
  summary: 'Print the annotations of a record: sample, mnemonic, subtype, chan, num, aux (tab-separated).',
  usage: 'ann <record> [-a|--annotator atr]',
  async run(argv) {
    const p = parseArgs(argv, { annotator: { type: 'string', alias: 'a' } });
    if (p.positionals.length !== 1) throw new CliError('ann needs exactly one record path');
    const anns = await readAnnotationFile(annotationPath(p.positionals[0]!, stringFlag(p, 'annotator', 'atr')!));
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
