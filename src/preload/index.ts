/**
 * The whole bridge: the contract's three calls and its stream channel as `window.vmscope`,
 * nothing else. Sandboxed, so this must bundle to a single CommonJS file.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { StreamMessage } from '../shared/api';
import type { Bridge } from '../shared/bridge';
import { type Result, toVmError } from '../shared/errors';
import { IPC } from '../shared/ipcChannels';
import { RpcChannel, frameId } from '../shared/rpc/channel';
import { createStreamRouter } from '../shared/streamRouter';

const streams = createStreamRouter();
ipcRenderer.on(IPC.stream, (_event, id: string, message: StreamMessage) =>
  streams.deliver(id, message),
);

/** One IPC request: its channel's name and arguments. */
interface Invocation {
  id: number;
  channel: typeof IPC.call | typeof IPC.subscribe;
  args: unknown[];
}

/** Hands an invoke's answer to the channel (set when the channel starts listening). */
let deliver: (frame: { id: number; result: Result<unknown> }) => void = () => undefined;

/**
 * Calls and subscribes as an RPC channel over ipcRenderer.invoke, which answers each frame
 * itself: the channel bounds what is pending and turns a failed invoke (an input IPC cannot
 * clone) into an error value like every other failure.
 */
const rpc = new RpcChannel<Invocation, Result<unknown>>(
  {
    send(frame) {
      ipcRenderer.invoke(frame.channel, ...frame.args).then(
        (result: Result<unknown>) => deliver({ id: frame.id, result }),
        (err: unknown) =>
          deliver({
            id: frame.id,
            result: {
              ok: false,
              error: {
                code: 'invalid-input',
                message: `The request cannot be sent to vmscope: ${toVmError(err).message}`,
              },
            },
          }),
      );
    },
    onFrame: (receive) => (deliver = receive),
    close: () => undefined,
  },
  {
    replyOf: (frame) => {
      const id = frameId(frame);
      return id === undefined
        ? undefined
        : { id, reply: (frame as { result: Result<unknown> }).result };
    },
    peer: 'vmscope',
  },
);

const invoke = async (
  channel: Invocation['channel'],
  ...args: unknown[]
): Promise<Result<unknown>> => {
  const reply = await rpc.request((id) => ({ id, channel, args }));
  return reply.ok ? reply.value : reply;
};

const bridge: Bridge = {
  call: (method, input) => invoke(IPC.call, method, input),
  async subscribe(topic, input, listener) {
    const result = (await invoke(IPC.subscribe, topic, input)) as Result<string>;
    if (result.ok) streams.attach(result.value, listener);
    return result;
  },
  unsubscribe: async (id) => {
    streams.detach(id);
    await ipcRenderer.invoke(IPC.unsubscribe, id);
  },
};

contextBridge.exposeInMainWorld('vmscope', bridge);
