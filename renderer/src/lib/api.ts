import type { CallArgs, CallName, CallOutcome, CallResult } from '../../../shared/contract.ts';

type Bridge = { [C in CallName]: (...args: CallArgs<C>) => Promise<CallOutcome<CallResult<C>>> };

declare global {
  interface Window {
    auditscope?: Bridge;
  }
}

export class EngineError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Calls the engine through the contract; errors arrive as data and are rethrown here. */
export async function call<C extends CallName>(name: C, ...args: CallArgs<C>): Promise<CallResult<C>> {
  const bridge = window.auditscope;
  if (!bridge) throw new EngineError('no-engine', 'the engine is not connected');
  const outcome = await (bridge[name] as (...a: CallArgs<C>) => Promise<CallOutcome<CallResult<C>>>)(...args);
  if (!outcome.ok) throw new EngineError(outcome.error.code, outcome.error.message);
  return outcome.value;
}
