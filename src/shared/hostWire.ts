import type { StreamMessage } from './api';
import type { Result, VmError } from './errors';
import { BINARY_CODECS } from './rpc/codecs';

/** The browser host's WebSocket protocol at /api/stream. */
export type HostStreamRequest =
  | { type: 'subscribe'; ref: number; topic: string; input: unknown }
  | { type: 'unsubscribe'; id: string };

export type HostStreamResponse =
  | { type: 'subscribed'; ref: number; result: Result<string> }
  | { type: 'message'; id: string; message: StreamMessage }
  | { type: 'error'; error: VmError };

/** A successful call whose value is a snapshot answers with its encoded form (snapshotCodec.ts) as the body. */
export const SNAPSHOT_MEDIA_TYPE = BINARY_CODECS.snapshot.mediaType;
