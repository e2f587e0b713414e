import type { CallOutcome } from '../../shared/contract.ts';
import { dispatch, type Implementation } from '../engine/dispatch.ts';

/** What the handler needs to know about the frame a call came from. */
export interface CallSender {
  /** True when the call came from our window's own top-level frame. */
  isMainFrame: boolean;
  /**
   * The sending frame's URL and the page our window loaded. Electron can report no frame (after a
   * navigation, during unload); then, or when they differ, the call is refused. Omitted by
   * transports that have no frames (tests of the contract alone).
   */
  frameUrl?: string | null;
  appUrl?: string;
}

/** Only our own page, in our window's top-level frame, may call the engine (checklist item 17). */
export function trustedSender(sender: CallSender): boolean {
  if (!sender.isMainFrame) return false;
  if (sender.appUrl === undefined) return sender.frameUrl === undefined;
  return typeof sender.frameUrl === 'string' && sender.frameUrl === sender.appUrl;
}

/**
 * The IPC side of the contract: refuses calls from any frame but our main frame, then hands the
 * untrusted name and arguments to `dispatch`, which validates them before anything runs.
 */
export function createCallHandler(implementation: Implementation) {
  return (sender: CallSender, call: unknown, args: unknown): Promise<CallOutcome<unknown>> => {
    if (!trustedSender(sender)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'forbidden', message: 'calls are accepted from the main window only' },
      });
    }
    return dispatch(implementation, call, args);
  };
}
