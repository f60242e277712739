/**
 * The Content-Security-Policy of the UI, the same for the Electron window and the browser host.
 * Scripts only from our own origin; styles allow inline attributes (React style props and
 * recharts set them); images allow data: and blob: for chart and map exports.
 * `connect` lists the extra endpoints the page may reach (the host's WebSocket).
 */
export function contentSecurityPolicy(connect: string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
