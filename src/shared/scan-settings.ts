// Holter scan settings: the criteria a reviewer may change after the analysis (pause length, VT
// and SVT run rate and length). Changing them re-cuts episodes and the summary from the cached
// beats and labels; no model runs. Defaults are the usual Holter reporting conventions.
import * as z from './zod';

export const ScanSettings = z.strictObject({
  /** Pause: an RR interval longer than this, seconds. */
  pauseSec: z.number().check(z.minimum(1), z.maximum(10)),
  /** VT: at least this many consecutive V beats ... */
  vtMinBeats: z.int().check(z.minimum(2), z.maximum(50)),
  /** ... faster than this, beats per minute. */
  vtMinRateBpm: z.number().check(z.minimum(60), z.maximum(300)),
  /** SVT: at least this many consecutive S beats ... */
  svtMinBeats: z.int().check(z.minimum(2), z.maximum(50)),
  /** ... faster than this, beats per minute. */
  svtMinRateBpm: z.number().check(z.minimum(60), z.maximum(300)),
});
export type ScanSettings = z.infer<typeof ScanSettings>;

export const DEFAULT_SCAN_SETTINGS: Readonly<ScanSettings> = Object.freeze({
  pauseSec: 2.0,
  vtMinBeats: 3,
  vtMinRateBpm: 100,
  svtMinBeats: 3,
  svtMinRateBpm: 100,
});

/** What each setting is, its unit and step: the settings panel and the summary say it the same way. */
export const SCAN_FIELDS: readonly { key: keyof ScanSettings; label: string; unit: string; step: number }[] = [
  { key: 'pauseSec', label: 'pause longer than', unit: 's', step: 0.1 },
  { key: 'vtMinBeats', label: 'VT: at least', unit: 'beats', step: 1 },
  { key: 'vtMinRateBpm', label: 'VT: faster than', unit: 'bpm', step: 5 },
  { key: 'svtMinBeats', label: 'SVT: at least', unit: 'beats', step: 1 },
  { key: 'svtMinRateBpm', label: 'SVT: faster than', unit: 'bpm', step: 5 },
];

/**
 * Settings from anything stored or typed: each field kept when valid, else its default (a stale or
 * hand-edited stored value never breaks the review).
 */
export function scanSettingsOf(raw: unknown): ScanSettings {
  const out: ScanSettings = { ...DEFAULT_SCAN_SETTINGS };
  if (!raw || typeof raw !== 'object') return out;
  const shape = ScanSettings.shape;
  for (const k of Object.keys(shape) as (keyof ScanSettings)[]) {
    const v = shape[k].safeParse((raw as Record<string, unknown>)[k]);
    if (v.success) out[k] = v.data;
  }
  return out;
}

export function isDefaultScan(s: ScanSettings): boolean {
  return (Object.keys(DEFAULT_SCAN_SETTINGS) as (keyof ScanSettings)[]).every((k) => s[k] === DEFAULT_SCAN_SETTINGS[k]);
}
