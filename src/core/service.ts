import { hostname } from 'node:os';
import type {
  MethodName,
  MethodOutput,
  MethodParsedInput,
  StreamMessage,
  TopicEvent,
  TopicName,
  TopicParsedInput,
} from '../shared/api';
import type { SystemInfo } from '../shared/model';
import { VMSCOPE_VERSION } from '../shared/version';
import { DEFAULT_INTERVAL_MS, Sampler } from './sampler/sampler';
import { SourceRegistry } from './sources/registry';

export type MethodImpl = {
  [M in MethodName]: (input: MethodParsedInput<M>) => Promise<MethodOutput<M>>;
};

/** Starts a stream; returns the function that stops it. `emit` ends the stream on an `end` message. */
export type TopicImpl = {
  [T in TopicName]: (input: TopicParsedInput<T>, emit: (message: StreamMessage<TopicEvent<T>>) => void) => () => void;
};

export interface Service {
  methods: MethodImpl;
  topics: TopicImpl;
}

/** The one implementation of the API contract. Inputs arrive already validated (dispatch.ts). */
export function createService(registry = new SourceRegistry(), sampler = new Sampler()): Service {
  return {
    methods: {
      'system.info': async (): Promise<SystemInfo> => {
        const sources = registry.available();
        const layout = registry.get(undefined).layout();
        return {
          platform: process.platform,
          arch: process.arch,
          hostname: hostname(),
          sources,
          defaultSource: registry.defaultSource(),
          pageSize: layout.pageSize,
          allocationGranularity: layout.allocationGranularity,
          version: VMSCOPE_VERSION,
        };
      },
      'processes.list': ({ source }) => registry.get(source).listProcesses(),
      'process.snapshot': ({ pid, source, includeFree }) =>
        registry.get(source).snapshot(pid, { includeFree: includeFree ?? true }),
      'process.counters': ({ pid, source }) => registry.get(source).counters(pid),
    },
    topics: {
      'counters.watch': ({ pid, source, intervalMs }, emit) =>
        sampler.watch(registry.get(source), pid, intervalMs ?? DEFAULT_INTERVAL_MS, emit),
    },
  };
}
