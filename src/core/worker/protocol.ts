import type { StreamMessage } from '../../shared/api';
import type { Result } from '../../shared/errors';
import type { JournalChange, SessionRecord } from '../sandbox/journal';
import type { ServiceOptions } from '../service';

/** What a worker serves: light calls and streams, heavy inspection calls, or sandbox sessions (service/lanes.ts). */
export type Lane = 'light' | 'heavy' | 'sandbox';

export interface WorkerData {
  lane: Lane;
  options: ServiceOptions;
  /** Sessions a dead sandbox worker had: rebuilt before the first call is served. */
  restore: SessionRecord[];
}

/** Messages between a face's thread and a service worker. */
export type ToWorker =
  | { type: 'call'; id: number; method: string; input: unknown }
  | { type: 'subscribe'; id: number; subscription: string; topic: string; input: unknown }
  | { type: 'unsubscribe'; subscription: string };

export type FromWorker =
  | { type: 'result'; id: number; result: Result<unknown> }
  /**
   * Stream messages, batched: every message of one event-loop turn in one postMessage (the sampler
   * reads every process of an interval in one turn, so 300 watched processes are one message).
   */
  | { type: 'streams'; batch: { subscription: string; message: StreamMessage }[] }
  /** A sandbox session's history changed (sandbox/journal.ts). */
  | { type: 'journal'; change: JournalChange }
  /** A sandbox session's live child is this process (null: it has none). */
  | { type: 'child'; session: string; pid: number | null }
  /** The sessions in WorkerData.restore are rebuilt (or given up). */
  | { type: 'restored' };
