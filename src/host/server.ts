import { randomBytes } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { contentSecurityPolicy } from '../shared/csp';
import { type VmError, VmscopeError, toVmError } from '../shared/errors';
import { parseBoundedJson } from '../shared/jsonBounds';
import { codecOf } from '../shared/rpc/codecs';
import { binaryEncodingOf, wireBuffer } from '../shared/rpc/resultEncoding';
import { createConnection } from '../core/connection';
import type { ServiceHost } from '../core/serviceHost';
import { type AccessPolicy, TOKEN_COOKIE, allowedHostsFor, checkAccess } from './access';
import { HOST_LIMITS } from './limits';
import { serveStatic } from './staticFiles';
import {
  type HostStreamRequest,
  type HostStreamResponse,
  encodeStreamFrame,
} from '../shared/hostWire';

export interface HostOptions {
  service: ServiceHost;
  /** The built renderer (out/web). */
  staticRoot: string;
  address?: string;
  port?: number;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes?: number;
  /** Streams one WebSocket may hold at once. */
  maxSubscriptionsPerSocket?: number;
  token?: string;
  /** Where unexpected errors are reported (they never end the host); stderr by default. */
  log?: (message: string) => void;
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

const STATUS_CODES: Record<number, VmError['code']> = {
  401: 'access-denied',
  403: 'access-denied',
  413: 'limit-exceeded',
  500: 'internal',
  503: 'limit-exceeded',
};

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return void res.destroy();
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
  sendJson(res, status, {
    ok: false,
    error: { code: STATUS_CODES[status] ?? 'invalid-input', message },
  });
}

/** The request's URL, or null when it cannot be one (`//`, `http://[`, an absolute form with a bad host). */
function parseUrl(raw: string | undefined): URL | null {
  try {
    const url = new URL(raw ?? '/', 'http://vmscope.invalid');
    return url.origin === 'http://vmscope.invalid' ? url : null;
  } catch {
    return null;
  }
}

/**
 * The body, or null when it passed `limit`: the rest is read and dropped (so the 413 reaches a
 * client that is still sending; the request timeout bounds how long). Rejects when the client aborts.
 */
function readBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        resolve(null);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    req.on('aborted', () => reject(Object.assign(new Error('aborted'), { code: 'ECONNRESET' })));
  });
}

/** A raw socket answer for an upgrade we refuse. The socket may already be gone. */
function refuseUpgrade(socket: Duplex, status: number): void {
  const text =
    status === 400
      ? 'Bad Request'
      : status === 404
        ? 'Not Found'
        : status === 401
          ? 'Unauthorized'
          : 'Forbidden';
  if (socket.writable)
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  else socket.destroy();
}

/**
 * The browser host: the built renderer and the API contract for an ordinary browser.
 * Calls are `POST /api/call {method, input}`; streams run over the WebSocket at /api/stream.
 * No request, upgrade, socket or frame can end it: every path handles its errors, and an
 * unexpected one is logged and answered 500. Limits: ./limits.ts and docs/security.md.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const address = options.address ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const maxBody = options.maxBodyBytes ?? HOST_LIMITS.maxBodyBytes;
  const maxSubscriptions =
    options.maxSubscriptionsPerSocket ?? HOST_LIMITS.maxSubscriptionsPerSocket;
  const log = options.log ?? ((message: string) => process.stderr.write(`vmscope: ${message}\n`));
  const policy: AccessPolicy = { token, allowedHosts: new Set() };
  const sockets = new Set<WebSocket>();

  async function call(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'Use POST for /api/call.');
    // A cross-site form or no-cors fetch can only send text/plain, form or multipart bodies, and a
    // page's script always sends its Origin: require one or the other.
    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json' && req.headers.origin === undefined) {
      return refuse(res, 415, 'POST /api/call needs Content-Type: application/json.');
    }
    const body = await readBody(req, maxBody);
    if (body === null) {
      res.shouldKeepAlive = false;
      return refuse(res, 413, `Request larger than ${maxBody} bytes.`);
    }
    let request: { method?: unknown; input?: unknown };
    try {
      request = parseBoundedJson(body, 'The request body') as typeof request;
    } catch (err) {
      return sendJson(res, 400, { ok: false, error: toVmError(err) });
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      return sendJson(res, 400, {
        ok: false,
        error: { code: 'invalid-input', message: 'Expected {method, input}.' },
      });
    }
    // A client that goes away cancels its call: a queued one never runs, a running one is stopped.
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const result = await options.service.call(
      request.method as string,
      request.input,
      abort.signal,
    );
    if (abort.signal.aborted) return;
    // A method declared binary (api.ts) answers its encoded value as the body, with its codec's type.
    const method = String(request.method);
    const buffer = wireBuffer(method, result);
    const encoding = binaryEncodingOf(method);
    if (buffer && encoding) {
      const data = Buffer.from(buffer);
      res.writeHead(200, {
        'content-type': codecOf(encoding).mediaType,
        'content-length': String(data.length),
        'cache-control': 'no-store',
      });
      return void res.end(data);
    }
    return sendJson(res, 200, result);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = parseUrl(req.url);
    if (!url) return refuse(res, 400, 'That is not a request path.');
    const verdict = checkAccess(req, url, policy);
    if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
    const host = req.headers.host ?? '';
    if (url.pathname === '/api/call') return call(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 405, 'Method not allowed.');
    if (verdict.viaQuery) {
      // Trade the token in the URL for a cookie, and drop it from the address bar.
      url.searchParams.delete('token');
      res.writeHead(302, {
        location: url.pathname + (url.search || ''),
        'set-cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        'cache-control': 'no-store',
      });
      return void res.end();
    }
    await serveStatic(options.staticRoot, url.pathname, res, {
      'content-security-policy': contentSecurityPolicy([`ws://${host}`]),
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
    });
  }

  const server = createServer({ requestTimeout: HOST_LIMITS.requestTimeoutMs }, (req, res) => {
    // An aborted body or a reset socket is an error event on these streams: never unhandled.
    req.on('error', () => undefined);
    res.on('error', () => undefined);
    handle(req, res).catch((err: unknown) => {
      if (req.destroyed || (err as NodeJS.ErrnoException)?.code === 'ECONNRESET')
        return void res.destroy();
      log(
        `the request ${req.method} ${JSON.stringify(req.url)} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      if (res.headersSent) res.destroy();
      else refuse(res, 500, 'vmscope hit an unexpected error; it is still running.');
    });
  });
  // Malformed HTTP and sockets reset before a request: answer 400 when possible, never throw.
  server.on('clientError', (_err, socket: Socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: HOST_LIMITS.maxFrameBytes });
  wss.on('error', (err) => log(`WebSocket server: ${err.message}`));
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    try {
      const url = parseUrl(req.url);
      if (!url) return refuseUpgrade(socket, 400);
      const verdict = checkAccess(req, url, policy);
      if (!verdict.ok) return refuseUpgrade(socket, verdict.status);
      if (url.pathname !== '/api/stream') return refuseUpgrade(socket, 404);
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch (err) {
      log(`a WebSocket upgrade failed: ${(err as Error).message}`);
      socket.destroy();
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    // An invalid frame, an oversized one or a reset: ws closes the socket; the error is only reported.
    ws.on('error', () => ws.terminate());
    const reply = (message: HostStreamResponse): void => {
      if (ws.readyState === ws.OPEN) ws.send(encodeStreamFrame(message));
    };
    const connection = createConnection(
      options.service,
      (id, message) => {
        if (ws.readyState !== ws.OPEN) return;
        // An end is a few bytes: it may follow a large last event (a whole snapshot) still queued.
        if (message.kind !== 'end' && ws.bufferedAmount > HOST_LIMITS.socketHardCapBytes)
          return void ws.close(1008, 'slow reader');
        if (message.kind !== 'end' && ws.bufferedAmount > HOST_LIMITS.streamHighWaterBytes) {
          // The client does not read: end this stream (it may subscribe again) rather than queue without bound.
          void connection.unsubscribe(id);
          const error = {
            code: 'limit-exceeded',
            message: `The stream was ended: more than ${HOST_LIMITS.streamHighWaterBytes} bytes were waiting to be read.`,
          };
          return reply({ type: 'message', id, message: { kind: 'end', reason: 'error', error } });
        }
        reply({ type: 'message', id, message });
      },
      { maxSubscriptions },
    );
    const onMessage = async (raw: unknown): Promise<void> => {
      let request: HostStreamRequest;
      try {
        request = parseBoundedJson(String(raw), 'A stream request') as HostStreamRequest;
      } catch (err) {
        return reply({ type: 'error', error: toVmError(err) });
      }
      if (request?.type === 'subscribe') {
        reply({
          type: 'subscribed',
          ref: request.ref,
          result: await connection.subscribe(request.topic, request.input),
        });
      } else if (request?.type === 'unsubscribe') {
        await connection.unsubscribe(request.id);
      } else {
        reply({
          type: 'error',
          error: { code: 'invalid-input', message: 'Unknown stream request type.' },
        });
      }
    };
    ws.on('message', (raw) => {
      onMessage(raw).catch((err: unknown) => {
        log(`a stream request failed: ${(err as Error)?.message ?? String(err)}`);
        reply({
          type: 'error',
          error: toVmError(
            new VmscopeError('internal', 'vmscope hit an unexpected error; it is still running.'),
          ),
        });
      });
    });
    ws.on('close', () => {
      sockets.delete(ws);
      void connection.dispose();
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  server.on('error', (err) => log(`the server: ${err.message}`));
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
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
