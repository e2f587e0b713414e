import { call, onPush, pathsForFiles } from '../../lib/api.ts';
import { useImports } from '../../stores/imports.ts';

function newJobId(): string {
  return `job-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** True while an import is uploading or running: one import at a time. */
export function importRunning(): boolean {
  const phase = useImports.getState().job?.phase;
  return phase === 'uploading' || phase === 'importing';
}

/** Imports dropped or picked files into the open case, with progress, summary and cancel. */
export async function importFiles(files: readonly File[]): Promise<void> {
  if (files.length === 0 || importRunning()) return;
  const jobId = newJobId();
  const imports = useImports.getState();
  imports.start(
    jobId,
    files.map((f) => f.name),
    files.reduce((n, f) => n + f.size, 0),
  );
  const stop = onPush('import.progress', (progress) => useImports.getState().progress(progress));
  try {
    const paths = await pathsForFiles(files);
    useImports.getState().setPhase('importing');
    useImports.getState().finish(await call('import.files', paths, { jobId }));
  } catch (error) {
    useImports.getState().fail((error as Error).message);
  } finally {
    stop();
  }
}

export async function cancelImport(): Promise<void> {
  const job = useImports.getState().job;
  if (!job) return;
  useImports.getState().markCancelling();
  await call('import.cancel', job.jobId);
}
