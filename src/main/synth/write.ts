// Writes a synthetic record as WFDB files: <path>.hea, <path>.dat and the ground truth <path>.atr.
import { mkdir } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { writeAnnotations, writeRecord } from '../wfdb';
import { synthesize, type SynthOptions, type SynthResult, type SynthSummary } from './synthesize';

/** The command that regenerates a record with these options (every option spelled out). */
export function synthCommand(o: SynthOptions): string {
  const parts = [
    'heartbeat-sensei synth',
    `--scenario ${o.scenario}`,
    `--minutes ${o.minutes}`,
    `--seed ${o.seed}`,
    `--fs ${o.fs ?? 360}`,
    `--format ${o.format ?? 212}`,
  ];
  if (o.gain !== undefined && o.gain !== 200) parts.push(`--gain ${o.gain}`);
  if (o.snrDb === null) parts.push('--no-noise');
  else if (o.snrDb !== undefined) parts.push(`--snr ${o.snrDb}`);
  return parts.join(' ');
}

/** One line per class and episode kind, for the header and the CLI. */
export function describeSummary(s: SynthSummary, fs: number): string[] {
  const dur = (rhythm: string) => s.episodes.filter((e) => e.rhythm === rhythm).reduce((a, e) => a + (e.end - e.start) / fs, 0);
  const n = (rhythm: string) => s.episodes.filter((e) => e.rhythm === rhythm).length;
  const longest = s.pauses.reduce((m, [a, b]) => Math.max(m, (b - a) / fs), 0);
  return [
    `beats ${s.beats}: N ${s.byCode.N} (${s.afBeats} in AF), A ${s.byCode.A}, V ${s.byCode.V} (${s.isolatedPvcs} isolated, ${s.couplets} couplets, ${s.vtRuns.length} VT runs of ${s.vtRuns.join('/') || '-'} beats)`,
    `rhythms: AFIB ${n('(AFIB')} episodes ${dur('(AFIB').toFixed(0)} s, VT ${n('(VT')}, bigeminy ${n('(B')} (${dur('(B').toFixed(0)} s), trigeminy ${n('(T')} (${dur('(T').toFixed(0)} s); pauses ${s.pauses.length} (longest ${longest.toFixed(2)} s)`,
  ];
}

/**
 * Generates and writes a record at `recordPath` (a path without extension; directories are
 * created). The header's comments hold the command that made it and what it contains.
 */
/** The WFDB signal specs of a synthesized record: its own format and gain, in mV, one per lead. */
export function signalSpecs(r: SynthResult) {
  return r.leadNames.map((lead) => ({
    format: r.format,
    adcGain: r.gain,
    baseline: 0,
    units: 'mV',
    adcResolution: r.adcResolution,
    adcZero: 0,
    description: lead,
  }));
}

export async function writeSynthRecord(recordPath: string, o: SynthOptions, onProgress?: (fraction: number) => void): Promise<SynthResult> {
  const dir = dirname(resolve(recordPath));
  const name = basename(recordPath);
  await mkdir(dir, { recursive: true });
  const r = synthesize(o, onProgress);
  const comments = [
    `Synthetic ECG, Heartbeat Sensei src/main/synth (Gaussian-event beats after McSharry et al. 2003)`,
    `made by: ${synthCommand(o)} --out ${name}`,
    ...describeSummary(r.summary, r.fs),
  ];
  // the annotations first: a write that fails (the .atr a folder, a full disk) leaves the record as it was
  await writeAnnotations(resolve(dir, `${name}.atr`), r.annotations);
  await writeRecord(dir, name, {
    fs: r.fs,
    signals: r.signals,
    specs: signalSpecs(r),
    comments,
  });
  return r;
}

/** The app's bundled demo record (resources/demo/demo.*, committed): `npm run demo:make` rewrites it with these options. */
export const DEMO_RECORD = {
  path: 'resources/demo/demo',
  options: { scenario: 'demo', minutes: 10, seed: 1, fs: 360, format: 212 } satisfies SynthOptions,
} as const;
