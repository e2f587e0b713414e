import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/**
 * Writes a spool file and waits for the disk: a tail's import commits without waiting (see
 * ImportOptions.tailBatch), so after a power cut the spool is what brings the batch back (a file
 * tail's), or tells where to resume (a table tail's).
 */
export function writeDurably(file: string, bytes: Buffer | string): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, typeof bytes === 'string' ? Buffer.from(bytes) : bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
