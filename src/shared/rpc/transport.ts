/**
 * What an RPC channel needs of the wire under it: send a frame, hear frames, close. A worker's
 * port, a child process's IPC, a WebSocket and Electron's invoke each fit in a few lines.
 */
export interface RpcTransport<Out> {
  /** Sends one frame. A throw (a value the wire cannot carry) fails only the request it carried. */
  send(frame: Out): void;
  /** Registers the one receiver of every frame that arrives, until the transport closes. */
  onFrame(receive: (frame: unknown) => void): void;
  /** Lets go of the wire (ends the worker, the socket...). Called once, by the channel's close(). */
  close(): void;
}
