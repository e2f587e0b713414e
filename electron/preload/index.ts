// Exposes window.auditscope, built from the contract, and nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { contract, type CallName, type CallOutcome } from '../../shared/contract.ts';

const api = Object.fromEntries(
  (Object.keys(contract) as CallName[]).map((name) => [
    name,
    (...args: unknown[]): Promise<CallOutcome<unknown>> => ipcRenderer.invoke('auditscope:call', name, args),
  ]),
);

contextBridge.exposeInMainWorld('auditscope', Object.freeze(api));
