import { type Bridge, createClient } from '../../shared/bridge';
import { createHostBridge } from './hostBridge';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in an ordinary browser. */
    vmscope?: Bridge;
  }
}

/** The typed contract, over IPC in Electron and over HTTP in the browser host. */
export const client = createClient(window.vmscope ?? createHostBridge());
export const runningIn: 'electron' | 'browser' = window.vmscope ? 'electron' : 'browser';
