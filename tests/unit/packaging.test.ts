// The installers' configuration (electron-builder.yml, as electron-builder loads it), checked without building one: the
// Electron download that packaging needs cannot happen here (docs/packaging.md says where it can).
// electron-builder's own schema validation, the targets, what ships outside the asar archive
// (models/, the demo record, onnxruntime-node's native binaries), the fuses the afterPack hook
// sets, and the icon.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
// @ts-expect-error: plain JavaScript module without types
import { wantedFuses } from '../../scripts/flip-fuses.mjs';
// @ts-expect-error: plain JavaScript module without types
import afterPack, { packedBinary } from '../../scripts/after-pack.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

interface Config {
  appId: string;
  productName: string;
  /** electron-builder's loader turns the list into [{ filter: [...] }]. */
  files: (string | { filter: string[] })[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  afterPack: string;
  icon: string;
  directories: { output: string };
  linux: { target: string[]; executableName: string };
  mac: { target: string[] };
  win: { target: string[] };
}
// electron-builder's own loader and the pattern matcher it uses (minimatch, dot files included).
const builderRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const { getConfig, validateConfiguration } = builderRequire('./out/util/config/config.js');
const { DebugLogger } = builderRequire('builder-util');
const { minimatch } = builderRequire('minimatch') as { minimatch: (f: string, p: string, o: object) => boolean };
let config: Config;
beforeAll(async () => {
  config = (await getConfig(ROOT, null, null)) as Config;
});
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

function filePatterns(): string[] {
  return config.files.flatMap((f) => (typeof f === 'string' ? [f] : f.filter));
}

/** True when one of the config's `!` file patterns drops `file` (macros expanded as electron-builder does). */
function excluded(file: string, platform: string, arch: string): boolean {
  return filePatterns()
    .filter((p) => p.startsWith('!'))
    .some((p) => minimatch(file, p.slice(1).replaceAll('${platform}', platform).replaceAll('${arch}', arch), { dot: true }));
}

/** True when one of the config's file patterns takes `file` in. */
function packed(file: string): boolean {
  return filePatterns().some((p) => !p.startsWith('!') && minimatch(file, p, { dot: true }));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    // A copy: validation rewrites the file patterns it checks.
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and makes AppImage + deb, dmg and an NSIS installer into dist/', () => {
    expect(config.appId).toMatch(/^[a-z]+(\.[a-z0-9-]+){2,}$/);
    expect(config.productName).toBe('Heartbeat Sensei');
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.executableName).toBe('heartbeat-sensei');
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.directories.output).toBe('dist');
    expect(pkg.scripts.package).toMatch(/^npm run build && electron-builder/);
  });

  it('packs the built app (main, preload, renderer) and not the CLI build', () => {
    expect(config.asar).toBe(true);
    for (const f of [pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) expect(packed(f), f).toBe(true);
    for (const f of ['out/cli/main.js', 'src/cli/main.ts', 'models/manifest.json', 'scripts/after-pack.mjs']) expect(packed(f), f).toBe(false);
  });

  it('ships models/ and the demo record as plain files beside app.asar, where the app looks for them', () => {
    // src/main/inference/manifest.ts walks up from <resources>/app.asar/out/main to <resources>/models;
    // src/main/review/handlers.ts to <resources>/resources/demo.
    expect(config.extraResources).toContainEqual({ from: 'models', to: 'models' });
    expect(config.extraResources).toContainEqual({ from: 'resources/demo', to: 'resources/demo' });
    const manifest = JSON.parse(readFileSync(join(ROOT, 'models/manifest.json'), 'utf8')) as { models: { file: string }[] } | Record<string, unknown>;
    const named = JSON.stringify(manifest).match(/[\w.-]+\.onnx/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    for (const f of new Set(named)) expect(existsSync(join(ROOT, 'models', f)), `models/${f}`).toBe(true);
  });

  it("unpacks every onnxruntime-node native binary (the addon and the library it loads), each installer with its own platform's", () => {
    const natives = filesUnder(join(ROOT, 'node_modules/onnxruntime-node/bin')).filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f));
    expect(natives.some((f) => f.endsWith('linux/x64/libonnxruntime.so.1'))).toBe(true);
    for (const f of natives)
      expect(
        config.asarUnpack.some((p) => minimatch(f, p, { dot: true })),
        f
      ).toBe(true);
    for (const [platform, arch] of [
      ['linux', 'x64'],
      ['darwin', 'arm64'],
      ['win32', 'x64'],
    ]) {
      const left = natives.filter((f) => !excluded(f, platform!, arch!));
      expect(left.length, `${platform}/${arch}`).toBeGreaterThan(0);
      for (const f of left) expect(f, `${platform}/${arch}`).toContain(`/${platform}/${arch}/`);
    }
  });

  it('leaves the TypeScript runner out of the app (the built app never loads it)', () => {
    for (const f of ['node_modules/tsx/dist/cli.mjs', 'node_modules/esbuild/lib/main.js']) expect(excluded(f, 'linux', 'x64'), f).toBe(true);
    expect(excluded('node_modules/onnxruntime-node/dist/index.js', 'linux', 'x64')).toBe(false);
  });

  it('sets the fuses of electron-fuses.json after packing (RunAsNode off, cookie encryption on, app only from the asar)', async () => {
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    expect(typeof afterPack).toBe('function');
    const wanted = wantedFuses(JSON.parse(readFileSync(join(ROOT, 'electron-fuses.json'), 'utf8')), FuseV1Options, FuseVersion) as Record<
      string | number,
      unknown
    >;
    expect(wanted.version).toBe(FuseVersion.V1);
    expect(wanted[FuseV1Options.RunAsNode]).toBe(false);
    expect(wanted[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(wanted[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(wanted[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(() => wantedFuses({ RunAsNod: false }, FuseV1Options, FuseVersion)).toThrow(/"RunAsNod" is not an Electron fuse/);
  });

  it('flips the fuses on the packed executable of each platform', () => {
    const packager = { appInfo: { productFilename: 'Heartbeat Sensei' }, executableName: 'heartbeat-sensei' };
    expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'linux', packager })).toBe(join('/o', 'heartbeat-sensei'));
    expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'darwin', packager })).toBe(join('/o', 'Heartbeat Sensei.app'));
    expect(packedBinary({ appOutDir: '/o', electronPlatformName: 'win32', packager })).toBe(join('/o', 'Heartbeat Sensei.exe'));
  });

  it('has a 1024×1024 PNG icon (electron-builder makes .icns and .ico from it)', () => {
    const png = readFileSync(join(ROOT, config.icon));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });
});
