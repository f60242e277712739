/**
 * The live sandbox child's entry in the desktop app (electron.vite.config.ts builds it to
 * out/main/sandboxChild.js). The service forks it with Electron's own binary as plain Node
 * (ELECTRON_RUN_AS_NODE), so it needs nothing of Electron.
 */
import { runLiveChild } from '../core/sandbox/live/child';

runLiveChild();
