// Exposes window.auditscope, built from the contract, and nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { buildBridge } from './bridge.ts';

const bridge = buildBridge(
  (channel, name, args) => ipcRenderer.invoke(channel, name, args),
  (channel, handler) => {
    const wrapped = (_event: IpcRendererEvent, name: unknown, payload: unknown): void =>
      handler(name, payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },
  (file) => webUtils.getPathForFile(file),
);

contextBridge.exposeInMainWorld('auditscope', bridge);
