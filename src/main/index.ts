import { BrowserWindow, app, protocol, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWorkerServiceHost } from '../core/worker/workerServiceHost';
import { APP_SCHEME, appProtocolHandler, appScheme } from './appProtocol';
import { guardContents } from './contentsGuards';
import { bindIpc } from './ipc';
import { rendererUrl } from './rendererUrl';
import { windowCsp, windowOptions } from './windowOptions';

const here = dirname(fileURLToPath(import.meta.url));
const appUrl = rendererUrl(process.env['ELECTRON_RENDERER_URL'], app.isPackaged);

// The service (snapshots, simulation) runs on a worker thread so this thread stays responsive.
// Its live sandbox child is our own entry (sandboxChild.ts), run by Electron's binary as Node
// (the reason the RunAsNode fuse stays on: docs/electron-security.md).
const service = createWorkerServiceHost(join(here, 'serviceWorker.js'), {
  sandbox: { liveChild: { module: join(here, 'sandboxChild.js'), args: [], execArgv: [] } },
});

app.enableSandbox();
// Must happen before `ready`: the scheme's privileges are fixed when Chromium starts.
protocol.registerSchemesAsPrivileged([appScheme]);

app.on('web-contents-created', (_event, contents) => guardContents(contents));

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The dev server's responses get the CSP here; app:// responses carry it from the handler, and
  // the built index.html also has it as a <meta> tag.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [windowCsp()] },
    });
  });
  protocol.handle(
    APP_SCHEME,
    appProtocolHandler(join(here, '../renderer'), {
      'content-security-policy': windowCsp(),
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    }),
  );
  bindIpc(service, () => appUrl);
  const window = new BrowserWindow(windowOptions(join(here, '../preload/index.cjs')));
  window.once('ready-to-show', () => window.show());
  void window.loadURL(appUrl);
});

app.on('window-all-closed', () => {
  void service.close().finally(() => app.quit());
});
