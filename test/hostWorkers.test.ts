/**
 * The supervised service workers (src/core/worker/workerServiceHost.ts), run from the built CLI
 * bundle as `serve` runs them: light calls beside heavy ones, bounded queues and deadlines, and a
 * worker that dies mid-session coming back with its sessions and without its old live children.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SandboxState } from '../src/shared/sandboxSession';
import {
  type SupervisedServiceHost,
  createWorkerServiceHost,
} from '../src/core/worker/workerServiceHost';
import type { ServiceLimits } from '../src/core/service/limits';
import type { ServiceOptions } from '../src/core/service';
import type { SnapshotStreamEvent, StreamMessage } from '../src/shared/api';
import { decodeResult } from '../src/shared/rpc/resultEncoding';
import type { Snapshot } from '../src/shared/model';
import { decodeSnapshot } from '../src/shared/snapshotCodec';
import { LARGE_SNAPSHOT_REGIONS } from '../src/core/worker/snapshotMemory';
import { compileHelper } from './helpers/compile';
import { BUILT_CLI, assertBuilt, runCli } from './support/cli';
import { firstLine, spawnChild, stopAllChildren } from './support/children';

const hosts: SupervisedServiceHost[] = [];
function supervised(
  options: ServiceOptions = {},
  limits: Partial<ServiceLimits> = {},
): SupervisedServiceHost {
  assertBuilt();
  const host = createWorkerServiceHost(BUILT_CLI, options, limits);
  hosts.push(host);
  return host;
}
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((h) => h.close()));
});

const alive = (pid: number): boolean =>
  existsSync(`/proc/${pid}`) && !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));

async function value<T>(
  promise: Promise<{ ok: boolean; value?: unknown; error?: unknown }>,
): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.value as T;
}

const steps = [
  { op: 'VirtualAlloc', size: 65536, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'a' },
  { op: 'VirtualAlloc', address: 'a', size: 8192, type: 'MEM_COMMIT', protect: 'PAGE_READWRITE' },
  { op: 'Write', address: 'a', size: 4096 },
];

describe('a worker that dies', () => {
  it('comes back with every sandbox session rebuilt from its history (simulated)', async () => {
    const host = supervised();
    const opened = await value<SandboxState>(host.call('sandbox.open', { engine: 'simulated' }));
    for (const step of steps)
      await value(host.call('sandbox.step', { session: opened.session, step }));
    await value(host.call('sandbox.undo', { session: opened.session }));
    await value(host.call('sandbox.step', { session: opened.session, step: steps[2] }));
    const before = await value<SandboxState>(
      host.call('sandbox.state', { session: opened.session }),
    );

    // A call in flight when the worker dies fails with `internal` and a message.
    const inFlight = host.call('sandbox.step', {
      session: opened.session,
      step: { op: 'GetProcessMemoryInfo' },
    });
    await host.restart('sandbox', 'killed by the test');
    const failed = await inFlight;
    if (!failed.ok)
      expect(failed.error).toMatchObject({
        code: 'internal',
        message: expect.stringMatching(/killed by the test/),
      });

    const after = await value<SandboxState>(
      host.call('sandbox.state', { session: opened.session }),
    );
    const history = (s: SandboxState) => s.history.map((h) => h.step);
    expect(history(after).slice(0, 3)).toEqual(history(before));
    expect(after.allocations).toEqual(before.allocations);
  });

  it.runIf(process.platform === 'linux')(
    'kills the live child of the dead worker and gives the session a fresh one with its history',
    async () => {
      const host = supervised();
      const opened = await value<SandboxState>(host.call('sandbox.open', { engine: 'live' }));
      await value(host.call('sandbox.step', { session: opened.session, step: steps[0] }));
      const oldPid = (
        await value<SandboxState>(
          host.call('sandbox.step', { session: opened.session, step: steps[1] }),
        )
      ).pid!;
      expect(alive(oldPid)).toBe(true);
      await host.restart('sandbox', 'killed by the test');
      await expect.poll(() => alive(oldPid), { timeout: 10_000 }).toBe(false);
      const after = await value<SandboxState>(
        host.call('sandbox.state', { session: opened.session }),
      );
      expect(after.history.map((h) => h.step)).toEqual(steps.slice(0, 2));
      expect(after.pid).not.toBe(oldPid);
      expect(alive(after.pid!)).toBe(true);
      expect(after.allocations.map((a) => a.size)).toEqual([65536]);
      await host.close();
      await expect.poll(() => alive(after.pid!), { timeout: 10_000 }).toBe(false);
    },
  );

  it('fails the calls of a dead light worker with internal and starts a new one', async () => {
    const host = supervised();
    await value(host.call('system.info', {}));
    await host.restart('light', 'killed by the test');
    expect(await value<{ platform: string }>(host.call('system.info', {}))).toMatchObject({
      platform: process.platform,
    });
  });
});

describe('inputs the worker cannot take fail their call, not the worker', () => {
  it('a value nested 10,000 levels deep (the Electron IPC path) is invalid-input', async () => {
    const host = supervised();
    let input: unknown = {};
    for (let i = 0; i < 10_000; i++) input = { script: input };
    expect(await host.call('sandbox.load', { session: 'x', script: input })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await host.call('system.info', {})).toMatchObject({ ok: true });
  });

  it('a value structured clone refuses (a function) is invalid-input', async () => {
    const host = supervised();
    expect(await host.call('process.counters', { pid: () => 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await host.call('system.info', {})).toMatchObject({ ok: true });
  });

  it('files.snapshot of a file that became 100,000 levels deep is refused and the worker lives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmscope-deep-'));
    const file = join(dir, 'snap.json');
    const host = supervised({ openFiles: [file] });
    writeFileSync(
      file,
      `{"format":"vmscope-snapshot","regions":[{"linux":${'['.repeat(100_000)}${']'.repeat(100_000)}}]}`,
    );
    expect(await host.call('files.snapshot', { index: 0 })).toMatchObject({
      ok: false,
      error: {
        code: 'limit-exceeded',
        message: expect.stringMatching(/snap\.json: Nested more than 64 levels/),
      },
    });
    expect(await host.call('files.opened', {})).toMatchObject({ ok: true });
  });
});

describe('heavy calls are bounded', () => {
  it('refuses calls beyond the queue at once with limit-exceeded', async () => {
    const host = supervised({}, { heavyWorkers: 1, heavyQueue: 2 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => host.call('process.snapshot', { pid: process.pid })),
    );
    const refused = results.filter((r) => !r.ok);
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused[0]).toMatchObject({
      error: {
        code: 'limit-exceeded',
        message: expect.stringMatching(/busy: 2 heavy calls are already waiting/),
      },
    });
    expect(results.filter((r) => r.ok).length).toBeGreaterThanOrEqual(1);
  });

  it('stops a call past its deadline and answers the next one from a fresh worker', async () => {
    // 1 ms: less than a worker takes to start, so the first call always misses it.
    const host = supervised({}, { heavyDeadlineMs: 1 });
    expect(await host.call('process.snapshot', { pid: process.pid })).toMatchObject({
      ok: false,
      error: { code: 'limit-exceeded', message: expect.stringMatching(/took longer than/) },
    });
    expect(await host.call('system.info', {})).toMatchObject({ ok: true });
  });

  it('drops a queued call whose caller went away, and stops a running one', async () => {
    const host = supervised({}, { heavyWorkers: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    const first = host.call('process.snapshot', { pid: process.pid }, running.signal);
    const second = host.call('process.snapshot', { pid: process.pid }, queued.signal);
    queued.abort();
    running.abort();
    expect(await first).toMatchObject({ ok: false, error: { message: 'The caller went away.' } });
    expect(await second).toMatchObject({ ok: false, error: { message: 'The caller went away.' } });
    expect(await host.call('process.snapshot', { pid: process.pid })).toMatchObject({ ok: true });
  });

  it('starts each lane on its first call and lets an idle heavy worker go', async () => {
    const host = supervised({}, { heavyIdleMs: 200 });
    expect([host.running('light'), host.running('heavy'), host.running('sandbox')]).toEqual([
      0, 0, 0,
    ]);
    await value(host.call('system.info', {}));
    expect([host.running('light'), host.running('heavy')]).toEqual([1, 0]);
    await value(host.call('process.snapshot', { pid: process.pid }));
    expect(host.running('heavy')).toBe(1);
    // Polled on the real condition, with a bounded deadline.
    const deadline = Date.now() + 10_000;
    while (host.running('heavy') > 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(host.running('heavy')).toBe(0);
    // The light worker keeps what it holds (streams, the sampler's history): it stays.
    expect(host.running('light')).toBe(1);
    // The next heavy call starts a worker again.
    expect(await host.call('process.snapshot', { pid: process.pid })).toMatchObject({ ok: true });
  });

  it('answers light calls while the heavy lane is full', async () => {
    const host = supervised({}, { heavyWorkers: 1, heavyQueue: 32 });
    await value(host.call('system.info', {}));
    let heavyDone = 0;
    const heavy = Array.from({ length: 16 }, () =>
      host.call('process.snapshot', { pid: process.pid }).then((r) => (heavyDone++, r)),
    );
    const light = await host.call('processes.list', {});
    expect(light.ok).toBe(true);
    // The light answer did not wait for the heavy queue to drain.
    expect(heavyDone).toBeLessThan(16);
    await Promise.all(heavy);
  });
});

describe.runIf(process.platform === 'linux')('a large snapshot through the workers', () => {
  afterEach(stopAllChildren);

  // Large enough for the workers to collect its scratch memory around its encoding and after
  // sending it (core/worker/snapshotMemory.ts); the stream's buffer is transferred, not cloned.
  it('arrives whole by call and by stream, and the workers answer on', async () => {
    const child = spawnChild(compileHelper('spacedmaps'), ['6000']);
    expect(await firstLine(child)).toBe('ready 6000');
    const pid = child.pid!;
    const host = supervised();

    const called = decodeResult('process.snapshot', await host.call('process.snapshot', { pid }));
    if (!called.ok) throw new Error(JSON.stringify(called));
    const regions = (called.value as Snapshot).regions;
    expect(regions.length).toBeGreaterThan(LARGE_SNAPSHOT_REGIONS);

    const messages: StreamMessage<SnapshotStreamEvent>[] = [];
    const ended = new Promise<void>((resolve) => {
      void host.subscribe('process.snapshotStream', { pid }, (m) => {
        messages.push(m as StreamMessage<SnapshotStreamEvent>);
        if (m.kind === 'end') resolve();
      });
    });
    await ended;
    expect(messages.at(-1)).toEqual({ kind: 'end', reason: 'closed' });
    const last = messages.at(-2);
    if (last?.kind !== 'data') throw new Error(JSON.stringify(last));
    expect(last.data.final).toBe(true);
    const streamed = decodeSnapshot(last.data.snapshot).regions;
    expect(streamed.length).toBe(regions.length);
    const layout = (r: Snapshot['regions'][number]): string =>
      `${r.base} ${r.size} ${r.state} ${r.kind}`;
    expect(streamed.map(layout)).toEqual(regions.map(layout));

    // The workers that collected and sent them serve the next calls.
    expect(await host.call('process.snapshot', { pid })).toMatchObject({ ok: true });
    expect(await host.call('system.info', {})).toMatchObject({ ok: true });
  });
});

describe('vmscope serve when it cannot listen', () => {
  it('exits 1 with one line for a busy port and for a bad address', async () => {
    const { createServer } = await import('node:net');
    const busy = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => busy.once('listening', r));
    const port = (busy.address() as { port: number }).port;
    try {
      const taken = await runCli(['serve', '--port', String(port)], { timeoutMs: 20_000 });
      expect(taken.code).toBe(1);
      expect(taken.stderr.trim().split('\n')).toEqual([
        `vmscope: cannot listen on 127.0.0.1:${port}: the port is in use.`,
      ]);
      const bad = await runCli(['serve', '--host', '256.1.1.1'], { timeoutMs: 20_000 });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(
        /^vmscope: warning: .*\nvmscope: cannot listen on 256\.1\.1\.1:0: /,
      );
    } finally {
      busy.close();
    }
  });
});
