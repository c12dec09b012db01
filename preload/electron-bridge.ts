/**
 * The Electron door on the window side: exposes `window.pulse` with contextBridge. Kept tiny on purpose;
 * the main process answers `pulse:call` with `{ ok: true, result } | { ok: false, error }` (same envelope as
 * the local server's HTTP API) and sends every HostEvent on `pulse:event`.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';

const bridge = {
  call: (method: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('pulse:call', method, input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, event: unknown): void => listener(event);
    ipcRenderer.on('pulse:event', handler);
    return () => {
      ipcRenderer.removeListener('pulse:event', handler);
    };
  },
  /** Dropped or chosen files are already on this machine: the host reads them in place, no upload. */
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('pulse', bridge);

export type PulseBridge = typeof bridge;
