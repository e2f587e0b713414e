import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * The files and folders the analyst handed the desktop app: picked in its own dialogs, dropped on
 * its window (the preload reports a dropped file's path, which page script cannot forge), opened
 * from the OS or the recent list. The page may import or open only these, so script running in a
 * compromised page cannot turn the import into a way to read any file the user can (reference
 * T-E8). Serve mode has no such check: there the page is the token holder's own.
 */
export class PathGrants {
  private readonly granted = new Set<string>();

  grant(file: string): void {
    if (file.length > 0 && path.isAbsolute(file)) this.granted.add(realPath(file));
  }

  /** True for exactly a granted path (a file to write: nothing beside or below it). */
  hasExactly(file: string): boolean {
    return path.isAbsolute(file) && this.granted.has(realPath(file));
  }

  /**
   * True for a granted path, or a path inside a granted folder. Compared as real paths: `..`
   * cannot climb out, and a link inside a granted folder counts as where it leads.
   */
  allows(file: string): boolean {
    if (!path.isAbsolute(file)) return false;
    const target = realPath(file);
    for (let at = target; ; at = path.dirname(at)) {
      if (this.granted.has(at)) return true;
      if (path.dirname(at) === at) return false;
    }
  }
}

/** The path with links resolved where it exists (a file still to be written: as written). */
function realPath(file: string): string {
  try {
    return realpathSync.native(file);
  } catch {
    return path.resolve(file);
  }
}
