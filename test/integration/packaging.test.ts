// The packaging configuration (package.json "build", read by electron-builder): checked against
// electron-builder's own validator, and for what the security checklist asks of a package. The
// package itself cannot be built here (electron-builder downloads Electron), so the fuses of a
// built artifact are checked by the Electron end-to-end test where one exists.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/paths.ts';

const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
  build: Record<string, unknown> & {
    electronFuses: Record<string, boolean>;
    fileAssociations: { ext: string }[];
    extraResources: { from: string; to: string }[];
    icon: string;
  };
  scripts: Record<string, string>;
  main: string;
};

describe('the built preload', () => {
  it('needs nothing but electron: a sandboxed preload cannot require anything else', () => {
    const preload = path.join(REPO_ROOT, 'out', 'preload', 'index.cjs');
    if (!existsSync(preload)) throw new Error('no built preload in out/preload: run npm run build');
    const required = [...readFileSync(preload, 'utf8').matchAll(/require\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map(
      (m) => m[1],
    );
    expect(new Set(required)).toEqual(new Set(['electron']));
  });
});

describe('packaging (electron-builder)', () => {
  it('passes electron-builder’s own configuration check', async () => {
    // Reached through electron-builder, whose own module it is; an upgrade that moves it fails here.
    const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
    const { validateConfiguration } = fromBuilder('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = fromBuilder('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(pkg.build, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...pkg.build, electronFuses: { runAsNodee: false } }, new DebugLogger(false)),
    ).rejects.toThrow(/Invalid configuration object.*electronFuses/s);
  });

  it('sets the fuses: no running as Node, no NODE_OPTIONS, no inspector, no file:// privileges, ASAR only and checked', () => {
    expect(pkg.build.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      grantFileProtocolExtraPrivileges: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    expect(pkg.build.asar).toBe(true);
  });

  it('associates case files, ships the icon and demo logs, and builds for Linux, macOS and Windows', () => {
    expect(pkg.build.fileAssociations.map((a) => a.ext)).toEqual(['auditscope']);
    for (const { from } of pkg.build.extraResources)
      expect(existsSync(path.join(REPO_ROOT, from)), from).toBe(true);
    expect(existsSync(path.join(REPO_ROOT, pkg.build.icon))).toBe(true);
    // A 1024 px PNG: electron-builder makes the .icns and .ico from it.
    const png = readFileSync(path.join(REPO_ROOT, pkg.build.icon));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    expect(pkg.build).toMatchObject({
      appId: 'org.auditscope.desktop',
      linux: { target: ['AppImage', 'deb'] },
      mac: { target: ['dmg'] },
      win: { target: ['nsis'] },
    });
    expect(pkg.scripts.dist).toBe('electron-vite build && electron-builder --publish never');
    expect(pkg.main).toBe('out/main/index.js');
  });
});
