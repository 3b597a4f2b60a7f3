// heartbeat-sensei summarize DIR: one table of every record analysed into DIR (analyze --out DIR,
// any layout): CSV and/or Parquet, or the CSV on stdout.
import { resolve } from 'node:path';
import type { CliCommand } from '../index';
import { parseArgs, stringFlag } from '../args';
import { CliError } from '../errors';
import { refuseRecordFile } from '../files';
import { readSummary, SUMMARY_COLUMNS, summaryCsv, summaryParquet } from '../../main/batch/summary';
import { writeFileAtomic } from '../../main/files/atomic';

const usage = 'summarize <DIR> [--csv FILE] [--parquet FILE]';

const command: CliCommand = {
  summary:
    'Reads every analysis JSON under DIR (written by `analyze --out DIR`, flat or --layout database) and every <record>.error.json of a ' +
    `record that failed, and writes one row per record: ${SUMMARY_COLUMNS.join(', ')}. ` +
    'status is done, or bad-input/retry for a record with no analysis; path (the JSON under DIR, without .json) is unique; a record found twice (analysed in both layouts) is one row, the newer analysis, with a warning. ' +
    'Without --csv or --parquet the CSV goes to stdout. Exit 2 when DIR cannot be read or holds a file that is not JSON.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, { csv: { type: 'string' }, parquet: { type: 'string' } });
    if (p.positionals.length !== 1) throw new CliError(`one folder expected\nusage: heartbeat-sensei ${usage}`);
    const dir = resolve(p.positionals[0]!);
    const csvFile = stringFlag(p, 'csv');
    const parquetFile = stringFlag(p, 'parquet');
    if (csvFile) await refuseRecordFile('--csv', csvFile, 'the table');
    if (parquetFile) await refuseRecordFile('--parquet', parquetFile, 'the table');
    const { rows, skipped, warnings } = await readSummary(dir);
    for (const f of skipped) console.error(`heartbeat-sensei summarize: ${f}: not an analysis or error file, left out`);
    for (const w of warnings) console.error(`heartbeat-sensei summarize: warning: ${w}`);
    if (csvFile) await writeFileAtomic(resolve(csvFile), Buffer.from(summaryCsv(rows)));
    if (parquetFile) await writeFileAtomic(resolve(parquetFile), summaryParquet(rows));
    if (!csvFile && !parquetFile) process.stdout.write(summaryCsv(rows));
    else
      console.error(`${rows.length} records (${rows.filter((r) => r.status === 'done').length} done) → ${[csvFile, parquetFile].filter(Boolean).join(', ')}`);
    return 0;
  },
};

export default command;
