import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Where the repository's folders are, from the running module: electron/cli in a source checkout,
 * out/main when built. Both are two levels below the root.
 */
const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The built renderer that serve mode hands to the browser. */
export function rendererDir(): string {
  return path.join(ROOT, 'out', 'renderer');
}

/** The bundled sample logs the demo case is built from. */
export function demoDataDir(): string {
  return path.join(ROOT, 'resources', 'demo');
}

/** Detection rules (Sigma and Auditscope's own): the bundled ones, then the user's (`<user data>/rules`, any layout). */
export function ruleFolders(): string[] {
  return [path.join(ROOT, 'resources', 'rules'), path.join(userDataDir(), 'rules')];
}

/** Per-user files (the demo case): AUDITSCOPE_HOME, else ~/.auditscope. */
export function userDataDir(): string {
  return process.env.AUDITSCOPE_HOME ?? path.join(os.homedir(), '.auditscope');
}

export function hasBuiltRenderer(): boolean {
  return existsSync(path.join(rendererDir(), 'index.html'));
}
