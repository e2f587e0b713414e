import { useEffect, useState } from 'react';
import { onPush } from '../../lib/api.ts';
import { useImports } from '../../stores/imports.ts';

/**
 * A pull into the case (`source.pull`) under way: `pulling` says how many rows its import has
 * taken so far; `run` gives the pull a fresh job id and, once it is done, has the workspace show
 * the new events.
 */
export function usePull(): {
  pulling: { jobId: string; accepted: number } | undefined;
  run<T>(pull: (jobId: string) => Promise<T>): Promise<T>;
} {
  const [pulling, setPulling] = useState<{ jobId: string; accepted: number } | undefined>();
  useEffect(() => {
    if (!pulling) return;
    const { jobId } = pulling;
    return onPush('import.progress', (progress) => {
      if (progress.jobId === jobId) setPulling({ jobId, accepted: progress.accepted + progress.duplicates });
    });
  }, [pulling]);
  const run = async <T>(pull: (jobId: string) => Promise<T>): Promise<T> => {
    const jobId = `pull-${Date.now().toString(36)}`;
    setPulling({ jobId, accepted: 0 });
    try {
      const result = await pull(jobId);
      useImports.getState().requery();
      return result;
    } finally {
      setPulling(undefined);
    }
  };
  return { pulling, run };
}
