// Exposes window.auditscope, built from the contract, and nothing else.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { DROPPED_CHANNEL } from '../../shared/transport.ts';
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
  (file) => {
    // Only a file the user really dropped or picked has a path; main is told it may read it.
    const path = webUtils.getPathForFile(file);
    if (path) ipcRenderer.send(DROPPED_CHANNEL, path);
    return path;
  },
);

contextBridge.exposeInMainWorld('auditscope', bridge);
