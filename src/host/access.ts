import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'vmscope-token';

export interface AccessPolicy {
  token: string;
  /** Host header values we answer to, e.g. `127.0.0.1:5123`, `localhost:5123`. */
  allowedHosts: Set<string>;
}

export type AccessVerdict =
  { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string };

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return rest.join('=');
  }
  return null;
}

/**
 * Who may talk to the host: the right Host header (a DNS-rebinding page arrives with its own
 * name), no foreign Origin (another site's page in the same browser), and the per-launch token,
 * from the URL once, then from the cookie it sets, or as a Bearer header.
 */
export function checkAccess(req: IncomingMessage, url: URL, policy: AccessPolicy): AccessVerdict {
  const host = req.headers.host ?? '';
  if (!policy.allowedHosts.has(host.toLowerCase())) {
    return {
      ok: false,
      status: 403,
      reason: `Host ${JSON.stringify(host)} is not this vmscope host.`,
    };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${host}`) {
    return {
      ok: false,
      status: 403,
      reason: `Origin ${JSON.stringify(origin)} may not use this vmscope host.`,
    };
  }
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice(7) : null;
  const fromQuery = url.searchParams.get('token');
  for (const [candidate, viaQuery] of [
    [bearer, false],
    [cookieToken(req.headers.cookie), false],
    [fromQuery, true],
  ] as const) {
    if (candidate !== null && sameToken(candidate, policy.token)) return { ok: true, viaQuery };
  }
  return {
    ok: false,
    status: 401,
    reason: 'Missing or wrong token: open the URL vmscope printed when it started.',
  };
}

/** The Host header values a server bound to `address:port` answers to. */
export function allowedHostsFor(address: string, port: number): Set<string> {
  const names = new Set([`${address}:${port}`]);
  if (address === '127.0.0.1' || address === '::1' || address === 'localhost') {
    for (const n of ['127.0.0.1', 'localhost', '[::1]']) names.add(`${n}:${port}`);
  }
  if (address.includes(':') && !address.startsWith('[')) names.add(`[${address}]:${port}`);
  return names;
}
