/**
 * The Windows source against the real Win32 API, run under Wine by scripts/test-windows.sh
 * (bundled with esbuild, executed by Windows Node's own test runner). Not a vitest file: it
 * needs node.exe and koffi's win32 prebuild.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VmscopeError } from '../../src/shared/errors';
import type { Region, Snapshot } from '../../src/shared/model';
import { MEM_FLAGS, PAGE_FLAGS } from '../../src/shared/winConstants';
import { SourceRegistry } from '../../src/core/sources/registry';
import { createWindowsSource, type WindowsSource } from '../../src/core/sources/windows/windowsSource';
import {
  handleCount,
  liveHandles,
  testProcessApi,
  underWine,
} from './testProcess';

const MiB = 1024 * 1024;
const { MEM_COMMIT, MEM_RELEASE, MEM_RESERVE } = MEM_FLAGS;
const { PAGE_READWRITE } = PAGE_FLAGS;
const api = testProcessApi();
const wine = underWine();
let source: WindowsSource;

before(() => {
  source = createWindowsSource();
});

/** Runs the bundled CLI (cli.mjs beside this bundle) with its stdout in a file, as Wine requires. */
async function runCli(args: string[]): Promise<string> {
  const cli = fileURLToPath(new URL('./cli.mjs', import.meta.url));
  const outFile = fileURLToPath(new URL(`./cli-${args[0]}.out`, import.meta.url));
  const fd = openSync(outFile, 'w');
  try {
    const cliProcess = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', fd, fd] });
    const code = await new Promise((resolve) => cliProcess.once('exit', resolve));
    assert.equal(code, 0, `vmscope ${args.join(' ')} failed: ${readFileSync(outFile, 'utf8')}`);
  } finally {
    closeSync(fd);
  }
  return readFileSync(outFile, 'utf8');
}

function regionAt(snapshot: Snapshot, address: bigint): Region {
  const hex = `0x${address.toString(16)}`;
  const region = snapshot.regions.find((r) => r.base === hex);
  assert.ok(region, `no region starts at ${hex}`);
  return region;
}

function reserve(size: number): bigint {
  const base = BigInt(api.VirtualAlloc(0n, size, MEM_RESERVE, PAGE_READWRITE));
  assert.notEqual(base, 0n, 'VirtualAlloc(MEM_RESERVE) failed');
  return base;
}

function commit(base: bigint, size: number): void {
  assert.equal(BigInt(api.VirtualAlloc(base, size, MEM_COMMIT, PAGE_READWRITE)), base, 'VirtualAlloc(MEM_COMMIT) failed');
}

describe('the registry on Windows', () => {
  test('offers the windows source, as the default', () => {
    const registry = new SourceRegistry();
    assert.equal(registry.available()[0], 'windows');
    assert.ok(!registry.available().includes('linux'));
    assert.equal(registry.defaultSource(), 'windows');
    assert.equal(registry.get(undefined).id, 'windows');
  });
});

describe('the layout', () => {
  test('comes from GetSystemInfo: 4 KiB pages, 64 KiB allocation granularity', () => {
    const layout = source.layout();
    assert.equal(layout.pageSize, 4096);
    assert.equal(layout.allocationGranularity, 65536);
    assert.ok(BigInt(layout.maxAddress) > 0x7fff0000n, `maxAddress ${layout.maxAddress}`);
  });
});

describe('a snapshot of this process', () => {
  test('shows a region it reserved, then committed, then touched', async () => {
    const base = reserve(MiB);
    try {
      const reserved = regionAt(await source.snapshot(process.pid), base);
      assert.equal(reserved.state, 'reserved');
      assert.equal(reserved.size, MiB);
      assert.equal(reserved.allocationBase, reserved.base);
      assert.equal(reserved.protect, null);
      assert.equal(reserved.allocationProtect, 'PAGE_READWRITE');
      assert.equal(reserved.type, 'private');
      assert.equal(reserved.kind, 'privateData');
      assert.equal(reserved.committed, 0);
      assert.equal(reserved.workingSet.total, 0);

      commit(base, 64 * 1024);
      const committedSnapshot = await source.snapshot(process.pid);
      const committed = regionAt(committedSnapshot, base);
      assert.equal(committed.state, 'committed');
      assert.equal(committed.size, 64 * 1024);
      assert.equal(committed.protect, 'PAGE_READWRITE');
      assert.equal(committed.committed, 64 * 1024);
      assert.equal(committed.workingSet.total, 0, 'committed but untouched pages are not resident');
      const rest = regionAt(committedSnapshot, base + 64n * 1024n);
      assert.equal(rest.state, 'reserved');
      assert.equal(rest.size, MiB - 64 * 1024);
      assert.equal(rest.allocationBase, committed.base);

      api.memset(base, 0x5a, 64 * 1024);
      const touched = regionAt(await source.snapshot(process.pid), base);
      assert.equal(touched.workingSet.total, 64 * 1024);
      assert.equal(touched.workingSet.private, 64 * 1024);
      assert.equal(touched.workingSet.shared, 0);
    } finally {
      api.VirtualFree(base, 0, MEM_RELEASE);
    }
  });

  test('covers the user range without gaps, with images, heaps, stacks and unusable tails', async () => {
    const snapshot = await source.snapshot(process.pid);
    let next = 0n;
    for (const region of snapshot.regions) {
      assert.equal(BigInt(region.base), next, `gap or overlap before ${region.base}`);
      next = BigInt(region.base) + BigInt(region.size);
    }
    const kinds = new Set(snapshot.regions.map((r) => r.kind));
    for (const kind of ['image', 'heap', 'stack', 'privateData', 'free'] as const) {
      assert.ok(kinds.has(kind), `no ${kind} region`);
    }
    const exe = snapshot.regions.find((r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? ''));
    assert.ok(exe, 'node.exe image not found by GetMappedFileNameW');
    assert.match(exe.path ?? '', /^[A-Za-z]:\\/, 'image path in drive-letter form');
    const stack = snapshot.regions.find((r) => r.kind === 'stack');
    assert.ok(stack?.threadId, 'a stack names its thread');
    for (const unusable of snapshot.regions.filter((r) => r.kind === 'unusable')) {
      assert.ok(unusable.size < 65536, `unusable ${unusable.base} is less than a granule`);
      assert.equal((BigInt(unusable.base) + BigInt(unusable.size)) % 65536n, 0n, 'unusable ends on a granule');
    }
    assert.equal(snapshot.source, 'windows');
    assert.equal(snapshot.process.pid, process.pid);
    assert.match(snapshot.process.name, /^node\.exe$/i);
  });
});

describe('counters', () => {
  test('move as the process commits and touches memory', async (t) => {
    const size = 32 * MiB;
    const before = await source.counters(process.pid);
    const base = reserve(size);
    try {
      commit(base, size);
      const committed = await source.counters(process.pid);
      api.memset(base, 1, size);
      const touched = await source.counters(process.pid);
      t.diagnostic(JSON.stringify({ before, committed, touched }));
      assert.ok(touched.workingSetSize - committed.workingSetSize >= size * 0.9, 'working set grows as pages are touched');
      assert.ok(touched.peakWorkingSetSize !== null && touched.peakWorkingSetSize >= touched.workingSetSize);
      assert.ok((touched.pagefileUsage ?? 0) - (before.pagefileUsage ?? 0) >= size * 0.9, 'pagefile-backed memory grows');
      if (wine) {
        // Wine 8 fills VM_COUNTERS from /proc/self/status: no PrivateUsage, no fault count, and a
        // reservation inside its own pre-reserved range does not change VmSize.
        t.diagnostic('under Wine: virtualSize, privateUsage and pageFaultCount are checked on Windows only');
        return;
      }
      assert.ok(committed.virtualSize - before.virtualSize >= size, 'virtual size grows by the reservation');
      assert.ok(committed.privateUsage - before.privateUsage >= size * 0.9, 'private bytes grow by the commit');
      assert.ok(touched.pageFaultCount - committed.pageFaultCount >= (size / 4096) * 0.9, 'a fault per touched page');
    } finally {
      api.VirtualFree(base, 0, MEM_RELEASE);
    }
  });

  test('machine-wide figures from GetPerformanceInfo', () => {
    const perf = source.performance();
    assert.equal(perf.pageSize, 4096);
    assert.ok(perf.physicalTotal > 0 && perf.physicalAvailable <= perf.physicalTotal);
    assert.ok(perf.processCount >= 1);
  });
});

describe('another process', () => {
  let child: ReturnType<typeof spawn>;
  before(async () => {
    // stdio ignored: under Wine, pipes between Windows processes fail with EBADF.
    child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    await new Promise((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    // Give it time to map its image and start its threads.
    await new Promise((resolve) => setTimeout(resolve, 1500));
  });
  after(() => {
    child.kill();
  });

  test('is listed with its name and sizes', async () => {
    const list = await source.listProcesses();
    const self = list.find((p) => p.pid === process.pid);
    const other = list.find((p) => p.pid === child.pid);
    assert.ok(self && other, 'both node.exe processes are listed');
    assert.match(other.name, /^node\.exe$/i);
    assert.equal(other.parentPid, process.pid);
    assert.ok((other.workingSetSize ?? 0) > 0);
    assert.ok(other.startTime !== null);
    assert.match(other.commandLine ?? '', /setInterval/, 'command line from its PEB');
    assert.ok(other.user, 'user from its token');
    assert.equal(other.user, self.user, 'both run as the same account');
  });

  test('is snapshotted: its own image, committed memory and working set', async (t) => {
    const snapshot = await source.snapshot(child.pid as number);
    assert.equal(snapshot.process.pid, child.pid);
    assert.match(snapshot.process.commandLine ?? '', /node\.exe.*setInterval/i);
    const exe = snapshot.regions.find((r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? ''));
    assert.ok(exe, 'node.exe image in the other process');
    const committed = snapshot.regions.reduce((sum, r) => sum + r.committed, 0);
    assert.ok(committed > 10 * MiB, `committed ${committed}`);
    assert.ok(snapshot.counters.workingSetSize > 0);
    assert.ok(snapshot.regions.some((r) => r.kind === 'heap'), 'heaps from the other PEB');
    assert.ok(snapshot.regions.some((r) => r.kind === 'stack'), 'stacks from the other TEBs');
    const known = snapshot.regions.filter((r) => r.state === 'committed').map((r) => r.windows?.workingSetKnown);
    if (known.every((k) => k === false)) {
      // Wine 8 answers QueryWorkingSetEx for the calling process only; Windows answers it here.
      t.diagnostic('QueryWorkingSetEx refused for another process: working-set columns unknown');
      return;
    }
    const resident = snapshot.regions.reduce((sum, r) => sum + r.workingSet.total, 0);
    assert.ok(resident > 0 && resident <= committed, `resident ${resident}`);
  });

  test('no handle leaks over 1,000 snapshots of it (and 100 process lists)', async (t) => {
    const pid = child.pid as number;
    await source.snapshot(pid, { includeFree: false });
    await source.listProcesses();
    const before = { count: handleCount(api), live: liveHandles(api) };
    for (let i = 0; i < 1000; i++) await source.snapshot(pid, { includeFree: false });
    for (let i = 0; i < 100; i++) await source.listProcesses();
    await source.counters(0x7ffffff0).catch(() => null);
    const after = { count: handleCount(api), live: liveHandles(api) };
    t.diagnostic(`handles before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    // Each snapshot opens a process handle, a toolhelp snapshot and one handle per thread, each
    // list a handle and a token per process; a leak of any of them would add at least 100.
    // A few may come and go with Node's own work.
    assert.ok(before.live > 0, 'the scan sees handles');
    assert.ok(after.live - before.live < 10, 'live handles');
    assert.ok(after.count - before.count < 10, 'GetProcessHandleCount');
  });

  test('is listed and snapshotted by the vmscope CLI, with the windows source as its default', async () => {
    const json = await runCli(['snapshot', '--pid', String(child.pid), '--no-free']);
    const snapshot = JSON.parse(json) as Snapshot;
    assert.equal(snapshot.source, 'windows');
    assert.equal(snapshot.process.pid, child.pid);
    assert.ok(snapshot.regions.some((r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? '')));
    assert.ok(snapshot.regions.every((r) => r.state !== 'free'));
    const list = JSON.parse(await runCli(['ps', '--json'])) as Array<{ pid: number; name: string }>;
    assert.ok(list.some((p) => p.pid === child.pid && /^node\.exe$/i.test(p.name)));
  });

  test('that has exited gives process-exited', async () => {
    const exited = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => exited.once('exit', resolve));
    await assert.rejects(source.snapshot(exited.pid as number), (err: unknown) => {
      assert.ok(err instanceof VmscopeError);
      assert.equal(err.code, 'process-exited');
      return true;
    });
  });
});

describe('errors', () => {
  test('a bad pid gives a clear error', async () => {
    const pid = 0x7ffffff0;
    for (const call of [() => source.snapshot(pid), () => source.counters(pid)]) {
      await assert.rejects(call(), (err: unknown) => {
        assert.ok(err instanceof VmscopeError);
        assert.equal(err.code, 'process-exited');
        assert.match(err.message, new RegExp(`process ${pid}`));
        return true;
      });
    }
  });
});
