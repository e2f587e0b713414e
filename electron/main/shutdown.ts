/**
 * Quitting waits for the case to close (the engine checkpoints and removes its write-ahead log,
 * so no WAL is left behind), once, however many times quit is asked for meanwhile. If closing
 * hangs, the app still quits after `timeoutMs`: SQLite recovers an unclosed case on next open.
 */
export function quitAfterClosing(options: {
  close: () => Promise<void>;
  quit: () => void;
  timeoutMs: number;
  log?: (message: string) => void;
}): (event: { preventDefault(): void }) => void {
  let state: 'open' | 'closing' | 'closed' = 'open';
  return (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.log?.(`the case did not close within ${options.timeoutMs} ms; quitting anyway`);
        resolve();
      }, options.timeoutMs);
    });
    void Promise.race([
      options.close().catch((error: unknown) => options.log?.(`closing the case failed: ${String(error)}`)),
      timeout,
    ]).then(() => {
      clearTimeout(timer);
      state = 'closed';
      options.quit();
    });
  };
}
