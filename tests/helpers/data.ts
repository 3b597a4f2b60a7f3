// Locates ../shared/data (the real PhysioNet databases). Tests that need it call `dataPath()`:
// without the data they are skipped with a message, except under CI (CI=true), where missing
// data is a failure, never a silent pass.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const DATA_ROOT = resolve(process.env.HEARTBEAT_DATA ?? resolve(import.meta.dirname, '../../../shared/data'));

export function hasData(sub = ''): boolean {
  return existsSync(resolve(DATA_ROOT, sub));
}

/** Returns true when `sub` exists; throws under CI when it is missing; otherwise warns once and returns false. */
export function needData(sub = ''): boolean {
  if (hasData(sub)) return true;
  const msg = `shared data not found: ${resolve(DATA_ROOT, sub)}`;
  if (process.env.CI === 'true') throw new Error(`${msg} (required under CI)`);
  console.warn(`${msg}: skipping the tests that need it`);
  return false;
}

export function dataPath(...parts: string[]): string {
  return resolve(DATA_ROOT, ...parts);
}
