/** The browser host's limits; docs/security.md lists them with what each refusal looks like. */
export const HOST_LIMITS = {
  /** Largest /api/call body (a sandbox script is the largest input). */
  maxBodyBytes: 16 * 1024 * 1024,
  /** Largest WebSocket frame: stream requests are a few hundred bytes. */
  maxFrameBytes: 64 * 1024,
  /** Streams one WebSocket may hold open at once. */
  maxSubscriptionsPerSocket: 32,
  /** Unsent bytes queued on a WebSocket above which a stream's new message ends that stream. */
  streamHighWaterBytes: 1024 * 1024,
  /** Unsent bytes above which the socket itself is closed (1008, `slow reader`). */
  socketHardCapBytes: 8 * 1024 * 1024,
  /** How long a request may take to send its headers and body. */
  requestTimeoutMs: 30_000,
} as const;
