import { contract, pushes, type CallName, type CallOutcome, type PushName } from '../../shared/contract.ts';
import { CALL_CHANNEL, PUSH_CHANNEL } from '../../shared/transport.ts';

type Invoke = (channel: string, name: string, args: unknown[]) => Promise<unknown>;
type Subscribe = (channel: string, handler: (name: unknown, payload: unknown) => void) => () => void;
/** The local path of a file the user dropped or picked (Electron's webUtils.getPathForFile). */
type PathForFile = (file: File) => string;

/**
 * `window.auditscope`: one function per contract call, `on` for pushes and `pathForFile` for
 * dropped files, nothing else. Built
 * from injected invoke/subscribe so it is testable without Electron; listeners get payloads only,
 * never the IPC event (whose `sender` would hand the page ipcRenderer).
 */
export function buildBridge(invoke: Invoke, subscribe: Subscribe, pathForFile: PathForFile) {
  const calls = Object.fromEntries(
    (Object.keys(contract) as CallName[]).map((name) => [
      name,
      (...args: unknown[]) => invoke(CALL_CHANNEL, name, args) as Promise<CallOutcome<unknown>>,
    ]),
  ) as Record<CallName, (...args: unknown[]) => Promise<CallOutcome<unknown>>>;
  const on = (push: PushName, listener: (payload: unknown) => void): (() => void) => {
    if (!Object.hasOwn(pushes, push)) throw new TypeError(`unknown push ${String(push)}`);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    return subscribe(PUSH_CHANNEL, (name, payload) => {
      if (name === push) listener(payload);
    });
  };
  return Object.freeze({ ...calls, on, pathForFile: (file: File) => pathForFile(file) });
}
