// `node scripts/flip-fuses.mjs <packaged Electron binary>`: sets the fuses electron-fuses.json lists
// (run by the packaging step, after the app is packaged). Needs @electron/fuses, installed with the
// packager; the fuses are burnt into the binary, so there is nothing to do in development.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const binary = process.argv[2];
if (!binary) {
  console.error('usage: node scripts/flip-fuses.mjs <path to the packaged Electron executable>');
  process.exit(2);
}
let fuses;
try {
  fuses = await import('@electron/fuses');
} catch {
  console.error('flip-fuses: @electron/fuses is not installed (npm install --no-save @electron/fuses in the packaging job)');
  process.exit(1);
}
const config = JSON.parse(readFileSync(resolve(import.meta.dirname, '../electron-fuses.json'), 'utf8'));
const { FuseV1Options, FuseVersion, flipFuses } = fuses;
const wanted = { version: FuseVersion.V1 };
for (const [k, v] of Object.entries(config)) if (k in FuseV1Options) wanted[FuseV1Options[k]] = v;
await flipFuses(resolve(binary), wanted);
console.log(`flip-fuses: ${Object.keys(wanted).length - 1} fuses set on ${binary}`);
