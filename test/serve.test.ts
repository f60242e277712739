import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_MEDIA_TYPE } from '../src/shared/hostWire';
import { decodeSnapshot } from '../src/shared/snapshotCodec';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, assertBuilt, runCli } from './support/cli';
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
      expect(decoded.regions.some((r) => r.kind === 'image' && r.path === process.execPath)).toBe(
        true,
      );
    } finally {
      await stopChild(child);
    }
  });

  it('warns when asked to bind beyond loopback', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, 'serve', '--host', '0.0.0.0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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

describe('vmscope serve --open FILE', () => {
  it('offers the files it was started with, and refuses to start on a bad one', async () => {
    assertBuilt();
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-open-'));
    const good = join(dir, 'good.json');
    const snap = await runCli(['snapshot', '--pid', String(process.pid), '--out', good]);
    expect(snap.code).toBe(0);
    const child = spawn(process.execPath, [CLI, 'serve', '--open', good], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const { origin, searchParams } = new URL(/(http\S+)/.exec(await firstLine(child))![1]!);
      const call = (method: string, input: unknown) =>
        fetch(`${origin}/api/call`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${searchParams.get('token')}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ method, input }),
        });
      expect(await (await call('files.opened', {})).json()).toEqual({
        ok: true,
        value: [{ index: 0, name: 'good.json' }],
      });
      const body = await (await call('files.snapshot', { index: 0 })).arrayBuffer();
      expect(decodeSnapshot({ $codec: 'snapshot', data: body }).process.pid).toBe(process.pid);
      expect(await (await call('files.snapshot', { index: 3 })).json()).toMatchObject({
        ok: false,
        error: { code: 'not-found' },
      });
    } finally {
      await stopChild(child);
    }

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "vmscope-snapshot", "version": 3}');
    const refused = await runCli(['serve', '--open', bad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad\.json: Not a vmscope-snapshot v1\/v2 document: version/);
  });
});
