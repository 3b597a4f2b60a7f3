// Which records a dataset command means: record paths (with or without .hea) or database folders.
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { SignalSpec } from '../wfdb';
import { DatasetError } from './errors';

export interface RecordRef {
  /** Record name ("100"). */
  name: string;
  /** Database: the name of the record's folder ("mitdb"). */
  db: string;
  /** Absolute record path without extension (what openRecord takes). */
  path: string;
}

function refOf(path: string): RecordRef {
  const abs = resolve(path.endsWith('.hea') ? path.slice(0, -4) : path);
  return { name: basename(abs), db: basename(dirname(abs)), path: abs };
}

/** Expands arguments to records in order: a folder gives every record (.hea) in it, sorted by name. */
export function resolveRecords(args: readonly string[]): RecordRef[] {
  const out: RecordRef[] = [];
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      isDir = false;
    }
    if (isDir) {
      const heads = readdirSync(arg)
        .filter((f) => f.endsWith('.hea'))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
      if (heads.length === 0) throw new DatasetError(arg, 'folder holds no WFDB record (.hea)', 'NOT_FOUND');
      for (const h of heads) out.push(refOf(join(arg, h)));
      continue;
    }
    const ref = refOf(arg);
    try {
      statSync(`${ref.path}.hea`);
    } catch {
      throw new DatasetError(`${ref.path}.hea`, 'no such record header', 'NOT_FOUND');
    }
    out.push(ref);
  }
  const seen = new Set<string>();
  return out.filter((r) => (seen.has(r.path) ? false : (seen.add(r.path), true)));
}

const NOT_ECG = /^(resp|abp|art|bp|pap|cvp|icp|pleth|spo2|sao2|co2|eeg|emg|eog|temp|edr|rr|hr|pulse|ppg)\b/i;

/**
 * Indices of the ECG signals to use, at most `max`, in header order: signals whose description
 * names another modality (RESP, ABP, PLETH, ...) are left out; if none is left, the first signals.
 */
export function pickEcgLeads(signals: readonly Pick<SignalSpec, 'description'>[], max: number): number[] {
  const ecg = signals.map((s, i) => ({ s, i })).filter(({ s }) => !NOT_ECG.test(s.description.trim()));
  const pick = (ecg.length > 0 ? ecg.map(({ i }) => i) : signals.map((_, i) => i)).slice(0, max);
  return pick;
}
