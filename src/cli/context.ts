import type { Client } from '../shared/bridge';

/** What every command gets: the typed contract and where the built pieces live. */
export interface CliContext {
  client: Client;
  /** This bundle's own file: the service worker re-enters it. */
  selfFile: string;
  /** The built renderer for `serve`. */
  webRoot: string;
  out: (text: string) => void;
  /** Bytes to stdout as they are; resolves when the stream has taken them (a document in chunks). */
  write: (data: Uint8Array) => Promise<void>;
}
