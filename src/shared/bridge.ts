/**
 * The untyped transport every face provides (preload over IPC, the host over HTTP and a
 * WebSocket, the CLI in process), and the typed client the UI builds on it.
 */
import type {
  MethodInput,
  MethodName,
  MethodOutput,
  StreamMessage,
  TopicEvent,
  TopicInput,
  TopicName,
} from './api';
import { type Result, VmscopeError } from './errors';
import { decodeResult } from './rpc/resultEncoding';

export interface Bridge {
  /** Resolves to the result in its wire form (a binary-encoded method's value is an EncodedValue). */
  call(method: string, input: unknown): Promise<Result<unknown>>;
  /** Starts a stream; listener gets its messages until an `end`. Resolves to the subscription id. */
  subscribe(
    topic: string,
    input: unknown,
    listener: (message: StreamMessage) => void,
  ): Promise<Result<string>>;
  unsubscribe(id: string): Promise<void>;
}

export interface Subscription {
  id: string;
  close(): Promise<void>;
}

export interface Client {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>>;
  subscribe<T extends TopicName>(
    topic: T,
    input: TopicInput<T>,
    listener: (message: StreamMessage<TopicEvent<T>>) => void,
  ): Promise<Subscription>;
}

/**
 * A typed client: failures reject with a VmscopeError carrying the contract's error code. With
 * `wire: false` results are taken as the bridge gives them, undecoded: only for a bridge that
 * passes the service's results on as they are (serviceHost.ts createLocalServiceHost, same option).
 */
export function createClient(bridge: Bridge, { wire = true }: { wire?: boolean } = {}): Client {
  return {
    async call(method, input) {
      const answer = await bridge.call(method, input);
      const result = wire ? decodeResult(method, answer) : answer;
      if (!result.ok) throw new VmscopeError(result.error.code, result.error.message);
      return result.value as never;
    },
    async subscribe(topic, input, listener) {
      const result = await bridge.subscribe(topic, input, listener as (m: StreamMessage) => void);
      if (!result.ok) throw new VmscopeError(result.error.code, result.error.message);
      const id = result.value;
      return { id, close: () => bridge.unsubscribe(id) };
    },
  };
}
