import type { Client } from '../shared/bridge';

/** What every command gets: the typed contract and where the built pieces live. */
export interface CliContext {
  client: Client;
  /**
   * Files the in-process service opens as `serve --open` would (a `--dump FILE`): added before the
   * first call, their index is their place here.
   */
  openFiles: string[];
  /** This bundle's own file: the service worker re-enters it. */
  selfFile: string;
  /** The built renderer for `serve`. */
  webRoot: string;
  out: (text: string) => void;
  /**
   * Bytes to stdout as they are; resolves when the stream has written them, after which the
   * caller may overwrite `data` (a document in chunks from one reused buffer).
   */
  write: (data: Uint8Array) => Promise<void>;
}
