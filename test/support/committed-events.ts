import Database from 'better-sqlite3';

/**
 * Events committed to a case so far, read on a connection of its own beside a running (or killed)
 * import: 0 before the file or its schema exists.
 */
export function committedEvents(casePath: string): number {
  try {
    const db = new Database(casePath, { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT count(*) FROM events').pluck().get() as number;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}
