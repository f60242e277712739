/**
 * The whole bridge: the contract's three calls and its stream channel as `window.vmscope`,
 * nothing else. Sandboxed, so this must bundle to a single CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { StreamMessage } from '../shared/api';
import type { Bridge } from '../shared/bridge';
import type { Result } from '../shared/errors';
import { IPC } from '../shared/ipcChannels';

const listeners = new Map<string, (message: StreamMessage) => void>();
const early = new Map<string, StreamMessage[]>();

ipcRenderer.on(IPC.stream, (_event, id: string, message: StreamMessage) => {
  const listener = listeners.get(id);
  if (!listener) {
    // The stream spoke before invoke() returned its id.
    early.set(id, [...(early.get(id) ?? []), message]);
    return;
  }
  if (message.kind === 'end') listeners.delete(id);
  listener(message);
});

const bridge: Bridge = {
  call: (method, input) => ipcRenderer.invoke(IPC.call, method, input) as Promise<Result<unknown>>,
  async subscribe(topic, input, listener) {
    const result = (await ipcRenderer.invoke(IPC.subscribe, topic, input)) as Result<string>;
    if (result.ok) {
      listeners.set(result.value, listener);
      for (const message of early.get(result.value) ?? []) listener(message);
      early.delete(result.value);
    }
    return result;
  },
  unsubscribe: async (id) => {
    listeners.delete(id);
    await ipcRenderer.invoke(IPC.unsubscribe, id);
  },
};

contextBridge.exposeInMainWorld('vmscope', bridge);
