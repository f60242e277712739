import { BrowserWindow, app, session, shell } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createWorkerServiceHost } from '../core/worker/workerServiceHost';
import { bindIpc } from './ipc';
import { windowCsp, windowOptions } from './windowOptions';

const here = dirname(fileURLToPath(import.meta.url));
const rendererHtml = join(here, '../renderer/index.html');
const devUrl = process.env['ELECTRON_RENDERER_URL'];
const appUrl = (): string => devUrl ?? pathToFileURL(rendererHtml).href;

// The service (snapshots, simulation) runs on a worker thread so this thread stays responsive.
// Its live sandbox child is our own entry (sandboxChild.ts), run by Electron's binary as Node.
const service = createWorkerServiceHost(join(here, 'serviceWorker.js'), {
  sandbox: { liveChild: { module: join(here, 'sandboxChild.js'), args: [], execArgv: [] } },
});

app.enableSandbox();

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to documentation open in the user's browser, never inside the app.
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
});

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [windowCsp()] },
    });
  });
  bindIpc(service, appUrl);
  const window = new BrowserWindow(windowOptions(join(here, '../preload/index.cjs')));
  window.once('ready-to-show', () => window.show());
  void (devUrl ? window.loadURL(devUrl) : window.loadFile(rendererHtml));
});

app.on('window-all-closed', () => {
  void service.close().finally(() => app.quit());
});
