// The installers' configuration (electron-builder.json), checked without building one: the
// Electron download that packaging needs cannot happen here (docs/packaging.md says where it can).
// electron-builder's own schema validation, the targets, what ships outside the asar archive
// (models/, the demo record, onnxruntime-node's native binaries), the fuses the afterPack hook
// sets, and the icon.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
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
  files: string[];
  asar: boolean;
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  afterPack: string;
  icon: string;
  directories: { output: string };
  linux: { target: string[]; executableName: string; files: string[] };
  mac: { target: string[]; files: string[] };
  win: { target: string[]; files: string[] };
}
const config = JSON.parse(readFileSync(join(ROOT, 'electron-builder.json'), 'utf8')) as Config;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; scripts: Record<string, string> };

/** The config's patterns are all `dir/**` (or `dir/**` after `!`): a file matches when it lies under dir. */
function under(pattern: string, file: string): boolean {
  expect(pattern, 'only "dir/**" patterns are checked here').toMatch(/^!?[^*{}]+\/\*\*$/);
  return file.startsWith(pattern.replace(/^!/, '').replace(/\*\*$/, ''));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/'));
}

describe('electron-builder.json', () => {
  it("passes electron-builder's own schema validation", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const { DebugLogger } = require('builder-util');
    const loaded = await getConfig(ROOT, null, null);
    expect(loaded.appId).toBe(config.appId);
    await expect(validateConfiguration(loaded, new DebugLogger(false))).resolves.toBeUndefined();
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
    for (const f of [pkg.main, 'out/preload/index.cjs', 'out/renderer/index.html']) expect(config.files.some((p) => !p.startsWith('!') && p.includes('/') && under(p, f)), f).toBe(true);
    expect(config.files.some((p) => !p.startsWith('!') && p.includes('/') && under(p, 'out/cli/main.js'))).toBe(false);
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

  it("unpacks every onnxruntime-node native binary (the addon and the library it loads) and keeps each platform's own", () => {
    const natives = filesUnder(join(ROOT, 'node_modules/onnxruntime-node/bin')).filter((f) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(f));
    expect(natives.some((f) => f.endsWith('linux/x64/libonnxruntime.so.1'))).toBe(true);
    for (const f of natives) expect(config.asarUnpack.some((p) => under(p, f)), f).toBe(true);
    // Each installer keeps its own platform's binaries and leaves the others' out.
    const platforms = [['linux', 'linux'], ['mac', 'darwin'], ['win', 'win32']] as const;
    for (const [platform, own] of platforms) {
      for (const f of natives) {
        const excluded = config[platform].files.some((p) => p.startsWith('!') && globMatch(p.slice(1), f));
        expect(excluded, `${platform}: ${f}`).toBe(!f.includes(`/${own}/`));
      }
    }
  });

  it('sets the fuses of electron-fuses.json after packing (RunAsNode off, cookie encryption on, app only from the asar)', async () => {
    expect(config.afterPack).toBe('./scripts/after-pack.mjs');
    expect(typeof afterPack).toBe('function');
    const wanted = wantedFuses(JSON.parse(readFileSync(join(ROOT, 'electron-fuses.json'), 'utf8')), FuseV1Options, FuseVersion) as Record<string | number, unknown>;
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

/** `a/{x,y}/**` and `napi-v*` as electron-builder reads them, for the exclusions above only. */
function globMatch(pattern: string, file: string): boolean {
  const re = pattern
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]+)\}/g, (_m, alts: string) => `(${alts.split(',').join('|')})`)
    .replace(/\*\*/g, '\0')
    .replace(/\*/g, '[^/]*')
    .replace(/\0/g, '.*');
  return new RegExp(`^${re}$`).test(file);
}
