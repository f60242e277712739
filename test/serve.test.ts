import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_MEDIA_TYPE } from '../src/shared/hostWire';
import { decodeSnapshot } from '../src/shared/snapshotCodec';
import { CLI, assertBuilt } from './support/cli';
import { firstLine, stopChild } from './support/children';

describe('vmscope serve (the built host, with the service on a worker thread)', () => {
  it('serves the renderer and answers calls through the worker', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, 'serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await firstLine(child);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(line)?.[1];
      expect(url, line).toBeTruthy();
      const { origin, searchParams } = new URL(url!);
      const headers = { authorization: `Bearer ${searchParams.get('token')}` };
      const page = await fetch(`${origin}/`, { headers });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const call = await fetch(`${origin}/api/call`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'processes.list', input: {} }),
      });
      const result = (await call.json()) as { ok: boolean; value: { pid: number }[] };
      expect(result.ok).toBe(true);
      expect(result.value.some((p) => p.pid === child.pid)).toBe(true);

      // A snapshot comes back as the compact encoded body, which decodes to the full model.
      const snap = await fetch(`${origin}/api/call`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ method: 'process.snapshot', input: { pid: child.pid } }),
      });
      expect(snap.headers.get('content-type')).toBe(SNAPSHOT_MEDIA_TYPE);
      const decoded = decodeSnapshot({ $codec: 'snapshot', data: await snap.arrayBuffer() });
      expect(decoded).toMatchObject({ format: 'vmscope-snapshot', process: { pid: child.pid } });
      expect(decoded.regions.some((r) => r.kind === 'image' && r.path === process.execPath)).toBe(true);
    } finally {
      await stopChild(child);
    }
  });

  it('warns when asked to bind beyond loopback', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, 'serve', '--host', '0.0.0.0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let stderr = '';
      child.stderr.on('data', (c) => (stderr += String(c)));
      await firstLine(child);
      expect(stderr).toMatch(/warning: binding 0\.0\.0\.0/);
    } finally {
      await stopChild(child);
    }
  });
});
