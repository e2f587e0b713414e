import { contract, type CallName, type CallOutcome, type PushName } from '../../shared/contract.ts';
import type { CaseSession } from './case-session.ts';

export type Implementation = { [C in CallName]: (...args: never[]) => Promise<unknown> };

/** Binds every contract call to an open case. */
export function implementContract(session: CaseSession): Implementation {
  const read = session.read;
  return {
    'case.stats': () => read.stats(),
    'case.imports': () => read.imports(),
    'case.rejects': (importId: number | undefined, start: number, limit: number) =>
      read.rejects(importId, start, limit),
    'import.files': (paths: string[], options: { jobId?: string }) => session.import(paths, options),
    'import.cancel': (jobId: string) => session.cancelImport(jobId),
    'query.open': (query: Parameters<typeof read.openResult>[0]) => read.openResult(query),
    'query.count': (handle: string) => read.count(handle),
    'query.rows': (handle: string, start: number, limit: number) => read.rows(handle, start, limit),
    'query.close': (handle: string) => read.closeResult(handle),
    'query.positionOf': (handle: string, time: number) => read.positionOf(handle, time),
    'query.histogram': (
      query: Parameters<typeof read.histogram>[0],
      options: Parameters<typeof read.histogram>[1],
    ) => session.aggregate.histogram(query, options),
    'query.topValues': (query: Parameters<typeof read.topValues>[0], field: string, limit: number) =>
      session.aggregate.topValues(query, field, limit),
    'event.get': (seq: number) => read.event(seq),
  };
}

/**
 * The engine side of every transport: the call name must be in the contract and the arguments
 * must pass its schema before anything runs. Untrusted callers get errors as data, never throws.
 */
export async function dispatch(
  implementation: Implementation,
  call: unknown,
  args: unknown,
): Promise<CallOutcome<unknown>> {
  if (typeof call !== 'string' || !Object.hasOwn(contract, call)) {
    return {
      ok: false,
      error: { code: 'unknown-call', message: `unknown call ${String(call).slice(0, 64)}` },
    };
  }
  const name = call as CallName;
  const parsed = contract[name].input.safeParse(args);
  if (!parsed.success) {
    return {
      ok: false,
      error: {
        code: 'invalid-arguments',
        message: `${name}: ${parsed.error.issues[0]?.message ?? 'invalid arguments'}`,
      },
    };
  }
  try {
    const run = implementation[name] as (...values: unknown[]) => Promise<unknown>;
    return { ok: true, value: await run(...(parsed.data as unknown[])) };
  } catch (error) {
    return { ok: false, error: { code: 'failed', message: (error as Error).message } };
  }
}

/** Sends the session's pushes through a transport; returns the unsubscribe. */
export function forwardPushes(
  session: CaseSession,
  emit: (push: PushName, payload: unknown) => void,
): () => void {
  const stops = [
    session.onImportProgress((progress) => emit('import.progress', progress)),
    session.onFtsProgress((status) => emit('fts.progress', status)),
  ];
  return () => {
    for (const stop of stops) stop();
  };
}
