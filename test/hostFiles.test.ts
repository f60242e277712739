/**
 * Files in and out (issue 14, point 5): devices, FIFOs and hostile documents are refused before
 * they cost memory or hang a command; --out never replaces anything but a regular file, and no
 * temporary file survives a signal.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSnapshotFile } from '../src/core/io/readSnapshotFile';
import { removeTempFilesSync, writeFileAtomic } from '../src/core/io/atomicWrite';
import { loadSandboxScript } from '../src/core/sandbox/runScript';
import { parseSnapshotJson } from '../src/shared/snapshotJson';
import { CLI, assertBuilt, runCli } from './support/cli';
import { firstLine, lineReader } from './support/children';
import { apiCall } from './support/hostClient';

const dir = mkdtempSync(join(tmpdir(), 'vmscope-files-'));
const fifo = join(dir, 'pipe');
execFileSync('mkfifo', [fifo]);

describe('input files', () => {
  it('refuses a device before reading it (diff /dev/zero used to read 600 MB)', async () => {
    const before = process.memoryUsage().rss;
    await expect(readSnapshotFile('/dev/zero')).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'Cannot read /dev/zero: it is a device, not a regular file.',
    });
    await expect(loadSandboxScript('/dev/zero')).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/\/dev\/zero: it is a device/),
    });
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a FIFO without waiting for a writer', async () => {
    await expect(readSnapshotFile(fifo)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/it is a FIFO/),
    });
    await expect(loadSandboxScript(fifo)).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/it is a FIFO/),
    });
  });

  it('diff, serve --open and sandbox run of a FIFO end with the reason', async () => {
    for (const args of [
      ['diff', fifo, fifo],
      ['serve', '--open', fifo],
      ['sandbox', 'run', fifo],
    ]) {
      const run = await runCli(args, { timeoutMs: 20_000 });
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toContain(`${fifo}: it is a FIFO`);
    }
  });

  it('checks the region cap before any per-field validation (10,000,000 {} regions used to run V8 out of memory)', () => {
    const text = `{"regions":[${'{},'.repeat(10_000_000)}{}]}`;
    const before = process.memoryUsage().rss;
    expect(() => parseSnapshotJson(text)).toThrow(
      expect.objectContaining({
        code: 'limit-exceeded',
        message: expect.stringMatching(/more than a snapshot of 1000000 regions holds/),
      }),
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });

  it('costs one issue, not one per region, for many bad regions under the cap', () => {
    const text = `{"format":"vmscope-snapshot","version":1,"regions":[${'{},'.repeat(500_000)}{}]}`;
    expect(() => parseSnapshotJson(text)).toThrow(/Not a vmscope-snapshot v1\/v2 document: /);
  });

  it('refuses a value nested 100,000 levels deep before parsing it', () => {
    const text = `{"regions":[{"linux":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
    expect(() => parseSnapshotJson(text)).toThrow(
      expect.objectContaining({
        code: 'limit-exceeded',
        message: expect.stringMatching(/Nested more than 64 levels/),
      }),
    );
  });

  it('serve --open refuses a deep file at start with its name', async () => {
    const deep = join(dir, 'deep.json');
    writeFileSync(deep, `{"regions":[{"linux":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`);
    const run = await runCli(['serve', '--open', deep], { timeoutMs: 20_000 });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${deep}: Nested more than 64 levels`);
  });
});

describe('--out', () => {
  it("refuses a FIFO, a folder and a device, naming the user's path, and leaves them as they were", async () => {
    for (const [target, kind] of [
      [fifo, 'a FIFO'],
      [dir, 'a folder'],
      ['/dev/null', 'a device'],
    ] as const) {
      await expect(writeFileAtomic(target, 'x')).rejects.toMatchObject({
        code: 'invalid-input',
        message: expect.stringContaining(`Cannot write ${target}: it is ${kind}`),
      });
    }
    expect(statSync(fifo).isFIFO()).toBe(true);
    expect(statSync('/dev/null').isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('vmscope snapshot --out FIFO exits 2 naming the path; --out - writes to stdout', async () => {
    const refused = await runCli(['snapshot', '--pid', String(process.pid), '--out', fifo]);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trim()).toBe(
      `vmscope: Cannot write ${fifo}: it is a FIFO (named pipe); --out writes regular files only (use --out - for stdout).`,
    );
    const stdout = await runCli(['snapshot', '--pid', String(process.pid), '--out', '-']);
    expect(stdout.code).toBe(0);
    expect(JSON.parse(stdout.stdout)).toMatchObject({
      format: 'vmscope-snapshot',
      process: { pid: process.pid },
    });
    expect(existsSync('-')).toBe(false);
  });

  it("an error names the user's path, never the temporary file", async () => {
    const missing = join(dir, 'no-such-folder', 'out.json');
    await expect(writeFileAtomic(missing, 'x')).rejects.toMatchObject({
      message: `Cannot write ${missing}: its folder does not exist.`,
    });
  });

  it('removes unfinished temporary files when the process is told to stop', async () => {
    const target = join(dir, 'big.json');
    const writing = writeFileAtomic(target, Buffer.alloc(512 * 1024 * 1024));
    await expect
      .poll(() => readdirSync(dir).some((f) => f.startsWith('.big.json.')), { timeout: 10_000 })
      .toBe(true);
    removeTempFilesSync();
    expect(readdirSync(dir).filter((f) => f.startsWith('.big.json.'))).toEqual([]);
    await expect(writing).rejects.toMatchObject({
      message: expect.stringContaining(`Cannot write ${target}`),
    });
    expect(existsSync(target)).toBe(false);
  });
});

describe('Ctrl-C', () => {
  it('ends serve within the grace period and leaves no child behind', async () => {
    assertBuilt();
    const child = spawn(process.execPath, [CLI, 'serve'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await firstLine(child);
    const url = new URL(/(http\S+)/.exec(line)![1]!);
    const host = { port: Number(url.port), token: url.searchParams.get('token')! } as never;
    const opened = await apiCall(host, 'sandbox.open', { engine: 'live' });
    const livePid = (opened.value as { pid: number }).pid;
    expect(existsSync(`/proc/${livePid}`)).toBe(true);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect.poll(() => existsSync(`/proc/${livePid}`), { timeout: 5000 }).toBe(false);
  });

  it('ends a command that does not handle the signal at once (143 for SIGTERM)', async () => {
    assertBuilt();
    const child = spawn(
      process.execPath,
      [CLI, 'watch', '--pid', String(process.pid), '--interval', '100'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Read without closing stdout: a closed pipe would end watch with EPIPE before the signal.
    await lineReader(child)();
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
  });
});
