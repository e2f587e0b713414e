import { create } from 'zustand';
import type { ImportProgress, ImportSummary } from '../../../shared/domain/import.ts';

export type ImportPhase = 'uploading' | 'importing' | 'done' | 'failed';

interface ImportJob {
  jobId: string;
  names: string[];
  phase: ImportPhase;
  /** The latest progress per file path. */
  progress: Record<string, ImportProgress>;
  startedAt: number;
  /** Bytes to read, from the picked files' sizes (0 when unknown, as for dropped folders). */
  expectedBytes: number;
  summary?: ImportSummary;
  error?: string;
  cancelling: boolean;
}

interface ImportsState {
  job: ImportJob | undefined;
  /** Bumps when an import adds events, so every view re-queries. */
  dataVersion: number;
  start(jobId: string, names: string[], expectedBytes: number): void;
  setPhase(phase: ImportPhase): void;
  progress(update: ImportProgress): void;
  finish(summary: ImportSummary): void;
  fail(message: string): void;
  markCancelling(): void;
  dismiss(): void;
  /** Another case was opened: the last job's panel belongs to the old one, and views re-query. */
  caseChanged(): void;
  /** Every view asks the engine again (after a reconnect, whose results were closed). */
  requery(): void;
}

export const useImports = create<ImportsState>()((set) => ({
  job: undefined,
  dataVersion: 0,
  start: (jobId, names, expectedBytes) =>
    set({
      job: {
        jobId,
        names,
        phase: 'uploading',
        progress: {},
        startedAt: Date.now(),
        expectedBytes,
        cancelling: false,
      },
    }),
  setPhase: (phase) => set((state) => (state.job ? { job: { ...state.job, phase } } : state)),
  progress: (update) =>
    set((state) =>
      state.job && state.job.jobId === update.jobId
        ? { job: { ...state.job, progress: { ...state.job.progress, [update.path]: update } } }
        : state,
    ),
  finish: (summary) =>
    set((state) => ({
      job: state.job ? { ...state.job, phase: 'done', summary } : undefined,
      dataVersion: state.dataVersion + 1,
    })),
  fail: (message) =>
    set((state) => ({
      job: state.job ? { ...state.job, phase: 'failed', error: message } : undefined,
      dataVersion: state.dataVersion + 1,
    })),
  markCancelling: () => set((state) => (state.job ? { job: { ...state.job, cancelling: true } } : state)),
  dismiss: () => set({ job: undefined }),
  caseChanged: () => set((state) => ({ job: undefined, dataVersion: state.dataVersion + 1 })),
  requery: () => set((state) => ({ dataVersion: state.dataVersion + 1 })),
}));

/** Totals over the files of a running job, and the rates and ETA derived from them. */
export function jobTotals(job: ImportJob): {
  events: number;
  bytesRead: number;
  totalBytes: number;
  eventsPerSecond: number;
  megabytesPerSecond: number;
  etaSeconds: number | undefined;
} {
  const files = Object.values(job.progress);
  const events = files.reduce((n, p) => n + p.accepted + p.duplicates + p.rejected, 0);
  const bytesRead = files.reduce((n, p) => n + p.bytesRead, 0);
  const totalBytes = Math.max(
    job.expectedBytes,
    files.reduce((n, p) => n + (p.totalBytes ?? 0), 0),
  );
  const seconds = Math.max(0.001, (Date.now() - job.startedAt) / 1000);
  const bytesPerSecond = bytesRead / seconds;
  const remaining = totalBytes - bytesRead;
  return {
    events,
    bytesRead,
    totalBytes,
    eventsPerSecond: events / seconds,
    megabytesPerSecond: bytesPerSecond / 1e6,
    etaSeconds: bytesPerSecond > 0 && remaining > 0 ? remaining / bytesPerSecond : undefined,
  };
}
