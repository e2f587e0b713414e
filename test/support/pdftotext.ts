import { execFileSync } from 'node:child_process';

/** The text of a PDF (poppler's pdftotext), or a clear error saying what to install. */
export function pdfText(file: string): string {
  try {
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('pdftotext not found: install poppler-utils (apt-get install -y poppler-utils)', {
        cause: error,
      });
    throw error;
  }
}
