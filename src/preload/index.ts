// Exposes the contract's client to the sandboxed renderer. Nothing else crosses.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { Api, Channel, EventName, EventPayload, Request, Response } from '../shared/contract';
import type { WireError } from '../shared/errors';

// Type-only: a sandboxed preload can require nothing but electron, so the renderer checks the codes.
interface Envelope {
  ok: boolean;
  value?: unknown;
  error?: WireError;
}

const api: Api = {
  async invoke<C extends Channel>(channel: C, request: Request<C>): Promise<Response<C>> {
    const res = (await ipcRenderer.invoke('invoke', channel, request)) as Envelope;
    if (!res.ok) throw Object.assign(new Error(res.error?.message ?? 'unknown error'), { code: res.error?.code, file: res.error?.file });
    return res.value as Response<C>;
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
    const fn = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload as EventPayload<E>);
    };
    ipcRenderer.on('event', fn);
    return () => ipcRenderer.off('event', fn);
  },
};

contextBridge.exposeInMainWorld('heartbeat', api);

// Drag and drop: the file-system path of a dropped file (sandboxed renderers cannot read it).
contextBridge.exposeInMainWorld('heartbeatFiles', { pathForFile: (file: File): string => webUtils.getPathForFile(file) });
