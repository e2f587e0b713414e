import type { ImportProgress } from '../../shared/domain/import.ts';

const WIDTH = 28;

/** One line of import progress for a terminal: bar, events/s, MB/s, ETA. Redrawn in place. */
export function formatProgress(progress: ImportProgress, fileIndex: number, fileCount: number): string {
  const seconds = Math.max(progress.elapsedMs / 1000, 0.001);
  const events = progress.accepted + progress.duplicates;
  const fraction = progress.totalBytes ? Math.min(1, progress.bytesRead / progress.totalBytes) : 0;
  const filled = Math.round(fraction * WIDTH);
  const bar = '█'.repeat(filled) + '░'.repeat(WIDTH - filled);
  const mbPerSecond = progress.bytesRead / 1e6 / seconds;
  const remaining = fraction > 0 && fraction < 1 ? (seconds / fraction) * (1 - fraction) : 0;
  const files = fileCount > 1 ? `[${fileIndex}/${fileCount}] ` : '';
  return (
    `${files}${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
    `${formatCount(events)} events  ${formatCount(Math.round(events / seconds))}/s  ${mbPerSecond.toFixed(1)} MB/s` +
    (remaining > 0 ? `  ETA ${formatDuration(remaining)}` : '') +
    (progress.rejected > 0 ? `  ${formatCount(progress.rejected)} rejected` : '')
  );
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${String(Math.ceil(seconds % 60)).padStart(2, '0')}s`;
}

/** Draws progress on a TTY stream: rewrites one line, at most ~10 times a second. */
export class ProgressLine {
  private readonly stream: NodeJS.WriteStream;
  private lastDraw = 0;
  private drawn = false;

  constructor(stream: NodeJS.WriteStream) {
    this.stream = stream;
  }

  draw(line: string, force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const width = this.stream.columns ?? 100;
    this.stream.write(`\r${line.slice(0, width - 1).padEnd(Math.min(width - 1, line.length))}\u001b[K`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) this.stream.write('\r\u001b[K');
    this.drawn = false;
  }
}
