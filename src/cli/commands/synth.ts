// `heartbeat-sensei synth --minutes N --seed S --out PATH [--scenario ...] [--fs 360]`: writes a
// synthetic 2-lead WFDB record with its ground-truth annotations (<PATH>.hea/.dat/.atr).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliCommand } from '../index';
import { parseArgs, numberFlag, stringFlag } from '../args';
import { CliError } from '../errors';
import { makeFolder } from '../files';
import { progressBar } from '../progress';
import { DEFAULT_MINUTES, SCENARIOS, describeSummary, isScenario, synthCommand, writeSynthRecord, type SynthOptions } from '../../main/synth';

/** Samples per lead synth makes at most: its two Int16 leads are 1 GiB in memory then. */
const MAX_SYNTH_SAMPLES = 2 ** 28;

const usage = `synth --out PATH [--scenario ${SCENARIOS.join('|')}] [--minutes N] [--seed S] [--fs 360] [--format 212|16] [--gain 200] [--snr DB | --no-noise] [--force]`;

const command: CliCommand = {
  summary:
    'Writes a synthetic 2-lead ECG (MLII- and V1-like, mV) as a WFDB record with a ground-truth .atr: beats (N, A, V) at their R peaks and rhythm changes ("(N", "(AFIB", "(VT", "(B", "(T"). Same seed, same bytes. Default length: holter 24 h, others 10 min.',
  usage,
  async run(argv) {
    const p = parseArgs(argv, {
      out: { type: 'string', alias: 'o' },
      scenario: { type: 'string' },
      minutes: { type: 'string' },
      seed: { type: 'string' },
      fs: { type: 'string' },
      format: { type: 'string' },
      gain: { type: 'string' },
      snr: { type: 'string' },
      'no-noise': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    if (p.positionals.length > 0) throw new CliError(`unexpected argument "${p.positionals[0]}"\nusage: heartbeat-sensei ${usage}`);
    const out = stringFlag(p, 'out');
    if (!out) throw new CliError('--out PATH is required (the record path without extension)');
    // a record is its header and signals (an .atr alone, left by a run stopped after writing it first, is no record)
    const existing = ['hea', 'dat'].map((x) => `${out}.${x}`).filter((f) => existsSync(f));
    if (existing.length && p.flags.force !== true)
      throw new CliError(
        `${existing.join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}: synth writes a new record and never over one (another --out, or --force to replace it)`
      );
    const scenario = stringFlag(p, 'scenario', 'demo')!;
    if (!isScenario(scenario)) throw new CliError(`--scenario must be one of ${SCENARIOS.join(', ')}, got "${scenario}"`);
    const minutes = numberFlag(p, 'minutes', DEFAULT_MINUTES[scenario])!;
    if (!(minutes > 0) || minutes > 7 * 1440) throw new CliError(`--minutes must be in (0, ${7 * 1440}], got ${minutes}`);
    const seed = numberFlag(p, 'seed', 1)!;
    if (!Number.isSafeInteger(seed)) throw new CliError(`--seed must be an integer, got ${seed}`);
    const fs = numberFlag(p, 'fs', 360)!;
    if (!(fs >= 50 && fs <= 10000)) throw new CliError(`--fs must be in [50, 10000] Hz, got ${fs}`);
    const format = numberFlag(p, 'format', 212)!;
    if (format !== 212 && format !== 16) throw new CliError(`--format must be 212 or 16, got ${format}`);
    const gain = numberFlag(p, 'gain', 200)!;
    if (!(gain > 0)) throw new CliError(`--gain must be positive, got ${gain}`);
    const snr = numberFlag(p, 'snr');
    if (snr !== undefined && p.flags['no-noise']) throw new CliError('--snr and --no-noise exclude each other');
    // the two leads are made in memory: a length past that is refused here, not a RangeError from a typed array
    const samples = Math.round(minutes * 60 * fs);
    if (samples > MAX_SYNTH_SAMPLES)
      throw new CliError(
        `--minutes ${minutes} at --fs ${fs} is ${samples} samples per lead, more than synth makes (${MAX_SYNTH_SAMPLES}, 2^28: e.g. 7 days at up to 443 Hz)`
      );
    await makeFolder('--out', out, dirname(resolve(out)));
    const o: SynthOptions = { scenario, minutes, seed, fs, format, gain, snrDb: p.flags['no-noise'] ? null : snr };

    const bar = progressBar(`synth ${scenario}`);
    const t0 = performance.now();
    const r = await writeSynthRecord(out, o, (f) => bar.update(f));
    bar.done();
    const sec = (performance.now() - t0) / 1000;
    console.log(`${out}.hea/.dat/.atr: ${minutes} min, ${r.leadNames.join(' + ')} at ${r.fs} Hz, format ${r.format}, ${r.gain} adu/mV — ${sec.toFixed(1)} s`);
    for (const line of describeSummary(r.summary, r.fs)) console.log(`  ${line}`);
    if (r.summary.clippedSamples > 0) console.log(`  ${r.summary.clippedSamples} samples clipped to the format's range`);
    console.log(`  regenerate: ${synthCommand(o)} --out ${out}`);
    return 0;
  },
};

export default command;
