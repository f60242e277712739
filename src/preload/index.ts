/**
 * The whole bridge: the contract's three calls and its stream channel as `window.vmscope`,
 * nothing else. Sandboxed, so this must bundle to a single CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { StreamMessage } from '../shared/api';
import type { Bridge } from '../shared/bridge';
import type { Result } from '../shared/errors';
import { IPC } from '../shared/ipcChannels';
import { createStreamRouter } from '../shared/streamRouter';

const streams = createStreamRouter();
ipcRenderer.on(IPC.stream, (_event, id: string, message: StreamMessage) =>
  streams.deliver(id, message),
);

const bridge: Bridge = {
  call: (method, input) => ipcRenderer.invoke(IPC.call, method, input) as Promise<Result<unknown>>,
  async subscribe(topic, input, listener) {
    const result = (await ipcRenderer.invoke(IPC.subscribe, topic, input)) as Result<string>;
    if (result.ok) streams.attach(result.value, listener);
    return result;
  },
  unsubscribe: async (id) => {
    streams.detach(id);
    await ipcRenderer.invoke(IPC.unsubscribe, id);
  },
};

contextBridge.exposeInMainWorld('vmscope', bridge);
