import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './paths.ts';

/**
 * The Electron executable npm installed, found without `require('electron')` (which would try to
 * download it), or why there is none: installs with ELECTRON_SKIP_BINARY_DOWNLOAD=1 have none.
 */
export function electronBinary(): { path: string } | { missing: string } {
  const packageDir = path.join(REPO_ROOT, 'node_modules', 'electron');
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(packageDir, 'dist');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile) && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    return { missing: 'the Electron binary is not installed (npm ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1)' };
  }
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary = path.join(distDir, relative);
  return existsSync(binary) ? { path: binary } : { missing: `no Electron executable at ${binary}` };
}
