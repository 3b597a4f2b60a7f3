// heartbeat-sensei evaluate: EC57 beat-by-beat (bxb) and episode (epic) evaluation of a test
// annotator against a reference annotator over records; prints bxb -l / sumstats tables and
// writes the JSON other tools read.
import { realpath } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { CliCommand } from '../index';
import { numberFlag, parseArgs, stringFlag } from '../args';
import { CliError } from '../errors';
import { writeFileAtomic } from '../../main/files/atomic';
import { refuseRecordFile } from '../files';
import { progressBar } from '../progress';
import { analysisSamplesPerFrame, annotationPath, asRdann, readAnnotationFile, readHeader, type Annotation } from '../../main/wfdb';
import { PACE, PFUS } from '../../main/wfdb/codes';
import {
  compareBeats,
  compareRhythm,
  EvaluationError,
  EPISODE_HEADER,
  formatBxbReport,
  formatClassTable,
  formatEpisodeLine,
  formatEpisodeSummary,
  formatLine,
  formatSumStats,
  isBeatCode,
  LINE_HEADER,
  recordJson,
  secondsToSamples,
  sumEpisodes,
  summaryJson,
  sumStats,
  type EpisodeComparison,
  type EvaluationJson,
  type RecordComparison,
} from '../../main/evaluation';

const EPISODE_KINDS = ['AF', 'VT', 'VF', 'VTA'] as const;
type Kind = (typeof EPISODE_KINDS)[number];

const usage =
  'evaluate --test EXT [--ref atr] [--test-dir DIR] [--start S] [--end S] [--window S] [--episodes AF,VT,VF,VTA] [--min-episode S] [--full] [--json FILE] <records...>';

interface Loaded {
  name: string;
  fs: number;
  nFrames: number;
  ref: Annotation[];
  test: Annotation[];
}

async function load(recordPath: string, refAnn: string, testAnn: string, testDir: string | undefined): Promise<Loaded> {
  const base = recordPath.endsWith('.hea') ? recordPath.slice(0, -4) : recordPath;
  const name = basename(base);
  const h = await readHeader(base);
  // as bxb reads them (getann): times at a "## time resolution" of their own scaled to the record's frames,
  // or on a multi-frequency record to its ECG leads' rate, which the analysis counts beats at
  const k = analysisSamplesPerFrame(h.signals);
  const fs = h.fs * k;
  const ref = asRdann(await readAnnotationFile(annotationPath(base, refAnn)), h.fs, fs);
  const test = asRdann(await readAnnotationFile(testDir ? join(testDir, `${name}.${testAnn}`) : annotationPath(base, testAnn)), h.fs, fs);
  return { name, fs, nFrames: h.nFrames * k, ref, test };
}

/** Why a record's beat figures mislead, in a line (null: they don't); the figures stay as bxb gives them. */
function referenceWarning(ref: readonly Annotation[], refAnn: string): string | null {
  if (!ref.some((a) => isBeatCode(a.code))) return `the reference (${refAnn}) holds no beat labels (rhythm only?): every test beat counts as a false positive`;
  if (ref.some((a) => a.code === PACE || a.code === PFUS)) return `paced beats in the reference (${refAnn}): EC57 excludes paced records from reported figures`;
  return null;
}

/**
 * The records named, each once, by the real path of its header (`100`, `100.hea`, `./100` and a link
 * to its folder are one record): a record given twice was counted twice in the totals.
 */
async function uniqueRecords(paths: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const p of paths) {
    const base = p.endsWith('.hea') ? p.slice(0, -4) : p;
    const key = await realpath(`${base}.hea`).catch(() => resolve(`${base}.hea`)); // a missing one fails in load(), named
    if (!seen.has(key)) out.push(base);
    seen.add(key);
  }
  return out;
}

function parseKinds(v: string | undefined): Kind[] {
  if (!v) return [];
  const kinds = v.split(',').map((k) => {
    const u = k.trim().toUpperCase();
    if (!(EPISODE_KINDS as readonly string[]).includes(u)) throw new CliError(`--episodes: unknown episode type "${k}" (AF, VT, VF, VTA = VT+VFL+VF together)`);
    return u as Kind;
  });
  // once each: a repeated kind (AF,af) shared one list, each record counted in it twice
  return [...new Set(kinds)];
}

const command: CliCommand = {
  summary:
    'ANSI/AAMI EC57 evaluation of a test annotator against the reference, as WFDB bxb + sumstats (beats) and epic (AF/VT/VF episodes). ' +
    "Records are paths with or without .hea. --start 300 gives EC57's learning period; the default compares whole records.",
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      ref: { type: 'string' },
      test: { type: 'string' },
      'test-dir': { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      window: { type: 'string' },
      episodes: { type: 'string' },
      'min-episode': { type: 'string' },
      full: { type: 'boolean' },
      json: { type: 'string' },
    });
    const refAnn = stringFlag(p, 'ref', 'atr')!;
    const testAnn = stringFlag(p, 'test');
    if (!testAnn) throw new CliError(`--test EXT is required\nusage: heartbeat-sensei ${usage}`);
    if (p.positionals.length === 0) throw new CliError(`no records given\nusage: heartbeat-sensei ${usage}`);
    const testDir = stringFlag(p, 'test-dir');
    const startSec = numberFlag(p, 'start', 0)!;
    const endSec = numberFlag(p, 'end');
    const windowSec = numberFlag(p, 'window', 0.15)!;
    const kinds = parseKinds(stringFlag(p, 'episodes'));
    const minEpisodeSec = numberFlag(p, 'min-episode', 0)!;
    const jsonFile = stringFlag(p, 'json');
    // --json takes a file: a record's own file given there (a record name after a bare --json) is never written over
    if (jsonFile) await refuseRecordFile('--json', jsonFile, 'the comparison (--json takes the JSON file to write)');

    const names: string[] = [];
    const beats: RecordComparison[] = [];
    const episodes = new Map<Kind, EpisodeComparison[]>(kinds.map((k) => [k, []]));
    const notes: string[] = []; // said on stderr once the progress bar is gone
    const bar = progressBar('evaluate');
    const records = await uniqueRecords(p.positionals);
    if (records.length < p.positionals.length) notes.push(`heartbeat-sensei evaluate: note: a record named more than once is compared once`);
    for (const [i, path] of records.entries()) {
      const r = await load(path, refAnn, testAnn, testDir);
      bar.update(i / records.length, r.name);
      const warning = referenceWarning(r.ref, refAnn);
      if (warning) notes.push(`heartbeat-sensei evaluate: warning: ${r.name}: ${warning}`);
      // As bxb: the record's length (from its header) ends the comparison unless --end is given.
      const end = endSec ?? (r.nFrames > 0 ? r.nFrames / r.fs : 'reference');
      // As epic: episodes end at --end, else at the record's length (0: no end, as -t 0), and one a file
      // leaves open is closed there (a test file running past the record must not lengthen its episodes).
      const episodeEnd = endSec ?? (r.nFrames > 0 ? r.nFrames / r.fs : 0);
      try {
        beats.push(compareBeats(r.ref, r.test, { fs: r.fs, matchWindowSec: windowSec, startSec, endSec: end }));
        for (const k of kinds)
          episodes.get(k)!.push(
            compareRhythm(r.ref, r.test, k, {
              fs: r.fs,
              startSec,
              minDurationSec: minEpisodeSec,
              endSec: episodeEnd,
              recordLength: secondsToSamples(episodeEnd, r.fs),
            })
          );
      } catch (err) {
        if (err instanceof EvaluationError) throw new CliError(`${r.name}: ${err.message}`);
        throw err;
      }
      names.push(r.name);
    }
    bar.done();
    for (const n of notes) console.error(n);

    const out: string[] = [];
    const endText = endSec === undefined ? 'record ends' : endSec === 0 ? 'the end of either annotation file' : `${endSec} s`;
    out.push(`Beat-by-beat comparison (bxb): reference ${refAnn}, test ${testAnn}, match window ${windowSec} s, from ${startSec} s to ${endText}`);
    if (p.flags.full) for (const [i, c] of beats.entries()) out.push(formatBxbReport(names[i]!, refAnn, testAnn, c));
    out.push(LINE_HEADER, ...beats.map((c, i) => formatLine(names[i]!, c)));
    const summary = sumStats(beats);
    out.push(formatSumStats(summary), '', formatClassTable('AAMI classes, gross (S and escape beats as EC57: e j n are N)', summary.gross));
    for (const c of beats) for (const w of c.warnings) out.push(`warning: ${w}`);

    const json: EvaluationJson = {
      reference: refAnn,
      test: testAnn,
      matchWindowSec: windowSec,
      startSec,
      ...summaryJson(summary),
      records: beats.map((c, i) => recordJson(names[i]!, c)),
    };
    if (kinds.length) json.episodes = {};
    for (const k of kinds) {
      const list = episodes.get(k)!;
      const s = sumEpisodes(list);
      out.push('', `(${k} episode comparison, epic)`, EPISODE_HEADER, ...list.map((c, i) => formatEpisodeLine(names[i]!, c)), formatEpisodeSummary(s));
      json.episodes![k] = { gross: s.gross, average: s.average, records: list.map(({ fs: _fs, ...c }, i) => ({ record: names[i]!, ...c })) };
    }
    console.log(out.join('\n'));
    if (jsonFile) await writeFileAtomic(jsonFile, Buffer.from(JSON.stringify(json, null, 2) + '\n'));
    return 0;
  },
};

export default command;
