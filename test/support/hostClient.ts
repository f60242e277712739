import { expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { createLocalServiceHost } from '../../src/core/serviceHost';
import { type HostOptions, type RunningHost, startHost } from '../../src/host/server';

export interface TestHost {
  host: RunningHost;
  /** The folder of the static files it serves (an index.html). */
  root: string;
  /** What the host reported as unexpected: every test expects none. */
  logged: string[];
  close(): Promise<void>;
}

/** A browser host on loopback port 0 over an in-process service, serving a one-file renderer. */
export async function startTestHost(options: Partial<HostOptions> = {}): Promise<TestHost> {
  const root = mkdtempSync(join(tmpdir(), 'vmscope-web-'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>vmscope</title>');
  const service = createLocalServiceHost();
  const logged: string[] = [];
  const host = await startHost({
    service,
    staticRoot: root,
    log: (m) => logged.push(m),
    ...options,
  });
  return {
    host,
    root,
    logged,
    async close() {
      await host.close();
      await service.close();
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request, so tests control every header a browser (or an attacker) would send. */
export function raw(
  host: RunningHost,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers,
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += String(c)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

export const authHeaders = (host: RunningHost): Record<string, string> => ({
  host: `127.0.0.1:${host.port}`,
  authorization: `Bearer ${host.token}`,
  'content-type': 'application/json',
});

/** A contract call over HTTP with the token: the parsed answer. */
export async function apiCall(
  host: RunningHost,
  method: string,
  input: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
  const res = await raw(host, '/api/call', {
    method: 'POST',
    headers: authHeaders(host),
    body: JSON.stringify({ method, input }),
  });
  return JSON.parse(res.body) as never;
}

/** A TCP socket to the host, connected. */
export async function tcp(host: RunningHost): Promise<Socket> {
  const socket = connect(host.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((r) => socket.once('connect', r));
  return socket;
}

/** Resolves when the server has closed (or reset) this socket. */
export function closed(socket: Socket): Promise<void> {
  return new Promise((r) => {
    if (socket.destroyed) return r();
    socket.once('close', () => r());
  });
}

export async function openStream(host: RunningHost): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/stream`, {
    headers: { authorization: `Bearer ${host.token}` },
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  return ws;
}

/** The host still answers a call: the process did not die and the service did not wedge. */
export async function assertAlive(host: RunningHost): Promise<void> {
  const answer = await apiCall(host, 'system.info', {});
  // An assertion of the test's own (vitest's requireAssertions counts it): the host still answers.
  expect(answer, 'the host still answers a call').toMatchObject({ ok: true });
}
