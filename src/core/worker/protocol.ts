import type { StreamMessage } from '../../shared/api';
import type { Result } from '../../shared/errors';

/** Messages between a face's thread and the service worker. */
export type ToWorker =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'subscribe'; id: number; subscription: string; topic: string; input: unknown }
  | { type: 'unsubscribe'; subscription: string };

export type FromWorker =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'stream'; subscription: string; message: StreamMessage };
