// Sets the Electron fuses electron-fuses.json lists on a packaged Electron binary. electron-builder
// runs it after packing and before signing (scripts/after-pack.mjs); by hand:
// `node scripts/flip-fuses.mjs <packaged Electron executable, or the .app on macOS>`. The fuses are
// burnt into the binary, so there is nothing to do in development.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const FUSES_FILE = resolve(import.meta.dirname, '../electron-fuses.json');

/** electron-fuses.json as @electron/fuses's flipFuses wants it; a name it does not know is an error, not a skipped fuse. */
export function wantedFuses(config, FuseV1Options, FuseVersion) {
  const wanted = { version: FuseVersion.V1 };
  for (const [k, v] of Object.entries(config)) {
    if (k.startsWith('$') || k === 'version') continue;
    if (!(k in FuseV1Options))
      throw new Error(
        `${FUSES_FILE}: "${k}" is not an Electron fuse (known: ${Object.keys(FuseV1Options)
          .filter((n) => Number.isNaN(Number(n)))
          .join(', ')})`
      );
    if (typeof v !== 'boolean') throw new Error(`${FUSES_FILE}: "${k}" must be true or false`);
    wanted[FuseV1Options[k]] = v;
  }
  return wanted;
}

/** Flips the fuses on `binary`; on macOS arm64 the ad-hoc signature is redone (signing comes after). */
export async function flipFusesOn(binary, { resetAdHocDarwinSignature = false } = {}) {
  const { FuseV1Options, FuseVersion, flipFuses } = await import('@electron/fuses');
  const wanted = wantedFuses(JSON.parse(readFileSync(FUSES_FILE, 'utf8')), FuseV1Options, FuseVersion);
  await flipFuses(resolve(binary), { ...wanted, resetAdHocDarwinSignature });
  return Object.keys(wanted).length - 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const binary = process.argv[2];
  if (!binary) {
    console.error('usage: node scripts/flip-fuses.mjs <path to the packaged Electron executable>');
    process.exit(2);
  }
  const n = await flipFusesOn(binary);
  console.log(`flip-fuses: ${n} fuses set on ${binary}`);
}
