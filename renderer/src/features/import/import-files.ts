import { call, onPush, pathsForFiles } from '../../lib/api.ts';
import { useCase } from '../../stores/case.ts';
import { useImports } from '../../stores/imports.ts';

function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** True while an import is uploading or running: one import at a time. */
export function importRunning(): boolean {
  const phase = useImports.getState().job?.phase;
  return phase === 'uploading' || phase === 'importing';
}

/** Aborts the running job's uploads (serve mode) when the analyst cancels before the import starts. */
let uploads: AbortController | undefined;

/** Imports dropped or picked files into the open case, with progress, summary and cancel. */
export function importFiles(files: readonly File[]): Promise<void> {
  return runImport(
    files.map((f) => f.name),
    files.reduce((n, f) => n + f.size, 0),
    (signal) => pathsForFiles(files, signal),
  );
}

/**
 * Imports files and folders by their paths on the engine's machine (the desktop app's own open
 * dialog and menu); their sizes are learnt from the engine's progress.
 */
export function importPaths(paths: readonly string[]): Promise<void> {
  return runImport(
    paths.map((p) => p.split(/[\\/]/).pop() || p),
    0,
    async () => [...paths],
  );
}

async function runImport(
  names: string[],
  expectedBytes: number,
  resolvePaths: (signal: AbortSignal) => Promise<string[]>,
): Promise<void> {
  if (names.length === 0 || importRunning()) return;
  const jobId = newJobId();
  const casePath = useCase.getState().info?.path;
  useImports.getState().start(jobId, names, expectedBytes);
  const stop = onPush('import.progress', (progress) => useImports.getState().progress(progress));
  uploads = new AbortController();
  try {
    const paths = await resolvePaths(uploads.signal);
    useImports.getState().setPhase('importing');
    useImports.getState().finish(await call('import.files', paths, { jobId, casePath }));
  } catch (error) {
    const cancelled = useImports.getState().job?.cancelling === true;
    useImports.getState().fail(cancelled ? 'Cancelled before the import began' : (error as Error).message);
  } finally {
    uploads = undefined;
    stop();
  }
}

export async function cancelImport(): Promise<void> {
  const job = useImports.getState().job;
  if (!job) return;
  useImports.getState().markCancelling();
  if (job.phase === 'uploading') uploads?.abort();
  else await call('import.cancel', job.jobId);
}
