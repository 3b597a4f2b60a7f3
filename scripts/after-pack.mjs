// electron-builder's afterPack hook (electron-builder.json): the app is packed, not yet signed or
// put into an installer. Sets the fuses of electron-fuses.json on the packed Electron binary.
import { join } from 'node:path';
import { Arch } from 'electron-builder';
import { flipFusesOn } from './flip-fuses.mjs';

/** The packed Electron executable (on macOS the .app, which @electron/fuses opens itself). */
export function packedBinary({ appOutDir, electronPlatformName, packager }) {
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName);
}

export default async function afterPack(context) {
  const binary = packedBinary(context);
  const n = await flipFusesOn(binary, { resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === Arch.arm64 });
  console.log(`after-pack: ${n} fuses set on ${binary}`);
}
