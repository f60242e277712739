import { type IpcMainInvokeEvent, type WebContents, ipcMain } from 'electron';
import { createConnection, type Connection } from '../core/connection';
import type { ServiceHost } from '../core/serviceHost';
import { IPC } from '../shared/ipcChannels';
import { isAppUrl } from './windowOptions';

/**
 * The contract over IPC. Like VS Code's validatedIpcMain: every message must come from the top
 * frame of one of our windows, showing our own page; anything else is refused and logged.
 * Each window is a connection: its streams end when it is destroyed or navigates away.
 */
export function bindIpc(service: ServiceHost, appUrl: () => string): void {
  const connections = new Map<number, Connection>();

  const validSender = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    if (!frame || frame !== event.sender.mainFrame || !isAppUrl(frame.url, appUrl())) {
      console.error(`vmscope: refused IPC from ${frame?.url ?? 'an unknown frame'}`);
      return false;
    }
    return true;
  };

  const connectionOf = (contents: WebContents): Connection => {
    let connection = connections.get(contents.id);
    if (!connection) {
      const created = createConnection(service, (id, message) => {
        if (!contents.isDestroyed()) contents.send(IPC.stream, id, message);
      });
      connections.set(contents.id, created);
      const end = (): void => {
        connections.delete(contents.id);
        void created.dispose();
      };
      contents.once('destroyed', end);
      contents.once('did-start-navigation', end);
      connection = created;
    }
    return connection;
  };

  const denied = {
    ok: false,
    error: { code: 'access-denied', message: 'IPC from an untrusted frame.' },
  } as const;

  ipcMain.handle(IPC.call, (event, method: unknown, input: unknown) =>
    validSender(event) ? service.call(String(method), input) : denied,
  );
  ipcMain.handle(IPC.subscribe, (event, topic: unknown, input: unknown) =>
    validSender(event) ? connectionOf(event.sender).subscribe(topic, input) : denied,
  );
  ipcMain.handle(IPC.unsubscribe, async (event, id: unknown) => {
    if (validSender(event)) await connectionOf(event.sender).unsubscribe(id);
  });
}
