import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../shared/csp';
import { SNAPSHOT_MEDIA_TYPE } from '../shared/hostWire';
import { isEncodedSnapshot } from '../shared/snapshotCodec';
import { createConnection } from '../core/connection';
import type { ServiceHost } from '../core/serviceHost';
import { type AccessPolicy, TOKEN_COOKIE, allowedHostsFor, checkAccess } from './access';
import { serveStatic } from './staticFiles';
import type { HostStreamRequest, HostStreamResponse } from '../shared/hostWire';

export interface HostOptions {
  service: ServiceHost;
  /** The built renderer (out/web). */
  staticRoot: string;
  address?: string;
  port?: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  token?: string;
}

export interface RunningHost {
  url: string;
  origin: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(address: string): boolean {
  return LOOPBACK.has(address) || address.startsWith('127.');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(text);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  sendJson(res, status, { ok: false, error: { code: status === 401 || status === 403 ? 'access-denied' : 'invalid-input', message } });
}

async function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The browser host: the built renderer and the API contract for an ordinary browser.
 * Calls are `POST /api/call {method, input}`; streams run over the WebSocket at /api/stream.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const address = options.address ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024;
  const policy: AccessPolicy = { token, allowedHosts: new Set() };
  const sockets = new Set<WebSocket>();

  // eslint-disable-next-line @typescript-eslint/no-misused-promises -- TODO(lead): .catch here once the RPC channel lands
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://vmscope.invalid');
    const verdict = checkAccess(req, url, policy);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
    const host = req.headers.host ?? '';
    if (url.pathname === '/api/call') {
      if (req.method !== 'POST') return refuse(res, 405, 'Use POST for /api/call.');
      const body = await readBody(req, maxBody);
      if (body === null) return refuse(res, 413, `Request larger than ${maxBody} bytes.`);
      let request: { method?: unknown; input?: unknown };
      try {
        request = JSON.parse(body) as typeof request;
      } catch {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-input', message: 'The request body is not JSON.' } });
      }
      if (typeof request !== 'object' || request === null) {
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-input', message: 'Expected {method, input}.' } });
      }
      const result = await options.service.call(request.method as string, request.input);
      if (result.ok && isEncodedSnapshot(result.value)) {
        const body = Buffer.from(result.value.data);
        res.writeHead(200, { 'content-type': SNAPSHOT_MEDIA_TYPE, 'content-length': String(body.length), 'cache-control': 'no-store' });
        return res.end(body);
      }
      return sendJson(res, 200, result);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    if (verdict.viaQuery) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(302, {
        location: url.pathname + (url.search || ''),
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
      return res.end();
    }
    await serveStatic(options.staticRoot, url.pathname, res, {
      'content-security-policy': contentSecurityPolicy([`ws://${host}`]),
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxBody });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://vmscope.invalid');
    const verdict = checkAccess(req, url, policy);
    if (url.pathname !== '/api/stream' || !verdict.ok) {
      const status = verdict.ok ? 404 : verdict.status;
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    const reply = (message: HostStreamResponse): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const connection = createConnection(options.service, (id, message) => reply({ type: 'message', id, message }));
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- TODO(lead): .catch here once the RPC channel lands
    ws.on('message', async (raw) => {
      let request: HostStreamRequest;
      try {
        request = JSON.parse(String(raw)) as HostStreamRequest;
      } catch {
        return reply({ type: 'error', error: { code: 'invalid-input', message: 'Stream requests must be JSON.' } });
      }
      if (request?.type === 'subscribe') {
        reply({ type: 'subscribed', ref: request.ref, result: await connection.subscribe(request.topic, request.input) });
      } else if (request?.type === 'unsubscribe') {
        await connection.unsubscribe(request.id);
      } else {
        reply({ type: 'error', error: { code: 'invalid-input', message: 'Unknown stream request type.' } });
      }
    });
    ws.on('close', () => {
      sockets.delete(ws);
      void connection.dispose();
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolvePromise());
  });
  const port = (server.address() as AddressInfo).port;
  for (const h of allowedHostsFor(address, port)) policy.allowedHosts.add(h);
  const shown = address.includes(':') ? `[${address}]` : address;
  const origin = `http://${shown}:${port}`;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    port,
    async close() {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
