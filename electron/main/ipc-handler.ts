import type { CallOutcome } from '../../shared/contract.ts';
import { dispatch, type Implementation } from '../engine/dispatch.ts';

/** What the handler needs to know about the frame a call came from. */
export interface CallSender {
  /** True when the call came from our window's own top-level frame. */
  isMainFrame: boolean;
}

/**
 * The IPC side of the contract: refuses calls from any frame but our main frame, then hands the
 * untrusted name and arguments to `dispatch`, which validates them before anything runs.
 */
export function createCallHandler(implementation: Implementation) {
  return (sender: CallSender, call: unknown, args: unknown): Promise<CallOutcome<unknown>> => {
    if (!sender.isMainFrame) {
      return Promise.resolve({
        ok: false,
        error: { code: 'forbidden', message: 'calls are accepted from the main window only' },
      });
    }
    return dispatch(implementation, call, args);
  };
}
