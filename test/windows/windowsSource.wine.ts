/**
 * The Windows source against the real Win32 API, run under Wine by scripts/test-windows.sh
 * (bundled with esbuild, executed by Windows Node's own test runner). Not a vitest file: it
 * needs node.exe and koffi's win32 prebuild.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { VmscopeError } from '../../src/shared/errors';
import type { Region, Snapshot } from '../../src/shared/model';
import { MEM_FLAGS, PAGE_FLAGS } from '../../src/shared/winConstants';
import { SourceRegistry } from '../../src/core/sources/registry';
import {
  createWindowsSource,
  type WindowsSource,
} from '../../src/core/sources/windows/windowsSource';
import { type Win32, win32 } from '../../src/core/sources/windows/bindings';
import { readMemoryCounters } from '../../src/core/sources/windows/counters';
import { withProcess } from '../../src/core/sources/windows/processHandle';
import {
  LISTING_MAX_AGE_MS,
  SystemProcessTable,
} from '../../src/core/sources/windows/systemProcesses';
import { PROCESS_MEMORY_COUNTERS_EX_SIZE } from '../../src/core/sources/windows/win32Structs';
import {
  handleCount,
  liveHandles,
  runBundledCli,
  startIdleProcess,
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
  assert.equal(
    BigInt(api.VirtualAlloc(base, size, MEM_COMMIT, PAGE_READWRITE)),
    base,
    'VirtualAlloc(MEM_COMMIT) failed',
  );
}

describe('the registry on Windows', () => {
  test('offers the windows source, as the default', async () => {
    const registry = new SourceRegistry();
    assert.equal(registry.available()[0], 'windows');
    assert.ok(!registry.available().includes('linux'));
    assert.equal(registry.defaultSource(), 'windows');
    assert.equal((await registry.get(undefined)).id, 'windows');
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

  test('labels every segment of a growable heap that has grown, and its large blocks, heap', async (t) => {
    const heap = api.HeapCreate(0, 0, 0);
    assert.ok(heap, 'HeapCreate');
    try {
      // 8 MiB in 16 KiB blocks outgrows the first segment; 2 MiB is past the large-block size.
      const blocks = Array.from({ length: 512 }, () => BigInt(api.HeapAlloc(heap, 0, 16 * 1024)));
      const large = BigInt(api.HeapAlloc(heap, 0, 2 * MiB));
      assert.ok(blocks.every((b) => b !== 0n) && large !== 0n, 'HeapAlloc');
      const snapshot = await source.snapshot(process.pid);
      const containing = (address: bigint): Region => {
        const region = snapshot.regions.find(
          (r) => BigInt(r.base) <= address && address < BigInt(r.base) + BigInt(r.size),
        );
        assert.ok(region, `no region holds 0x${address.toString(16)}`);
        return region;
      };
      const first = containing(heap);
      assert.equal(first.kind, 'heap');
      const name = first.details ?? '';
      const segments = new Set(blocks.map((b) => containing(b).allocationBase));
      t.diagnostic(
        `heap ${name} at ${first.allocationBase}: blocks in ${segments.size} allocations; ` +
          `large block in ${containing(large).allocationBase}; snapshot with every heap walked ${snapshot.durationMs?.toFixed(0)} ms`,
      );
      assert.ok(segments.size >= 2, 'the heap grew into a second segment');
      for (const block of blocks) {
        const region = containing(block);
        assert.equal(
          region.kind,
          'heap',
          `block 0x${block.toString(16)} in ${region.base} (${region.kind})`,
        );
        if (region.allocationBase !== first.allocationBase)
          assert.equal(region.details, `${name}, segment`);
      }
      const largeRegion = containing(large);
      assert.equal(largeRegion.kind, 'heap', 'the large block');
      assert.notEqual(largeRegion.allocationBase, first.allocationBase);
      assert.equal(largeRegion.details, `${name}, large block`);
    } finally {
      api.HeapDestroy(heap);
    }
  });

  test('covers the user range without gaps, with images, heaps, stacks and unusable tails', async () => {
    const snapshot = await source.snapshot(process.pid);
    let next = 0n;
    for (const region of snapshot.regions) {
      assert.equal(BigInt(region.base), next, `gap or overlap before ${region.base}`);
      next = BigInt(region.base) + BigInt(region.size);
    }
    // The walk reaches the top of the user range, and says nothing was cut.
    assert.equal(snapshot.truncated, undefined, `truncated: ${JSON.stringify(snapshot.truncated)}`);
    assert.equal(
      next,
      BigInt(snapshot.system.maxAddress) + 1n,
      'the walk ends at the top of the user range',
    );
    const kinds = new Set(snapshot.regions.map((r) => r.kind));
    for (const kind of ['image', 'heap', 'stack', 'privateData', 'free'] as const) {
      assert.ok(kinds.has(kind), `no ${kind} region`);
    }
    const exe = snapshot.regions.find(
      (r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? ''),
    );
    assert.ok(exe, 'node.exe image not found by GetMappedFileNameW');
    assert.match(exe.path ?? '', /^[A-Za-z]:\\/, 'image path in drive-letter form');
    const stack = snapshot.regions.find((r) => r.kind === 'stack');
    assert.ok(stack?.threadId, 'a stack names its thread');
    for (const unusable of snapshot.regions.filter((r) => r.kind === 'unusable')) {
      assert.ok(unusable.size < 65536, `unusable ${unusable.base} is less than a granule`);
      assert.equal(
        (BigInt(unusable.base) + BigInt(unusable.size)) % 65536n,
        0n,
        'unusable ends on a granule',
      );
    }
    assert.equal(snapshot.source, 'windows');
    assert.equal(snapshot.process.pid, process.pid);
    assert.match(snapshot.process.name, /^node\.exe$/i);
  });
});

/** Why the Windows-only checks below are skipped under Wine; the test totals show it. */
const WINE_COUNTERS =
  'Windows only: Wine 8 fills VM_COUNTERS from /proc/self/status, with no PrivateUsage and no fault counts';
const WINE_FAULTS =
  'Windows only: Wine 8 leaves PageFaultCount and HardFaultCount 0 in the process listing';
const WINE_EX2 = 'Windows only: Wine 8 takes the _EX2 buffer but fills only its _EX part';
const WINE_OTHER_WS = 'Windows only: Wine 8 answers QueryWorkingSetEx for the calling process only';

type Counters = Awaited<ReturnType<WindowsSource['counters']>>;

describe('counters', () => {
  let moved: { before: Counters; committed: Counters; touched: Counters } | undefined;

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
      moved = { before, committed, touched };
      assert.ok(
        touched.workingSetSize - committed.workingSetSize >= size * 0.9,
        'working set grows as pages are touched',
      );
      assert.ok(
        touched.peakWorkingSetSize !== null && touched.peakWorkingSetSize >= touched.workingSetSize,
      );
      assert.ok(
        (touched.pagefileUsage ?? 0) - (before.pagefileUsage ?? 0) >= size * 0.9,
        'pagefile-backed memory grows',
      );
      if (wine) {
        // Wine 8's exact answers: VM_COUNTERS from /proc/self/status, so no PrivateUsage and no
        // fault count, and a reservation inside Wine's own pre-reserved range leaves VmSize as it was.
        for (const c of [before, committed, touched]) {
          assert.equal(c.privateUsage, 0, 'Wine: PrivateUsage 0');
          assert.equal(c.pageFaultCount, 0, 'Wine: PageFaultCount 0');
          assert.equal(c.privateWorkingSetSize, null, 'Wine: no _EX2 part');
        }
        assert.equal(
          committed.virtualSize,
          before.virtualSize,
          'Wine: the reservation leaves VmSize',
        );
      }
    } finally {
      api.VirtualFree(base, 0, MEM_RELEASE);
    }
  });

  test(
    'virtual size, private bytes and faults move with the reservation, commit and touch',
    { skip: wine && WINE_COUNTERS },
    () => {
      const size = 32 * MiB;
      assert.ok(moved, 'the test before measured them');
      const { before, committed, touched } = moved;
      assert.ok(
        committed.virtualSize - before.virtualSize >= size,
        'virtual size grows by the reservation',
      );
      assert.ok(
        committed.privateUsage - before.privateUsage >= size * 0.9,
        'private bytes grow by the commit',
      );
      assert.ok(
        touched.pageFaultCount - committed.pageFaultCount >= (size / 4096) * 0.9,
        'a fault per touched page',
      );
    },
  );

  let faults:
    | {
        before: { pageFaultCount: number; hardFaultCount: number };
        after: { pageFaultCount: number; hardFaultCount: number };
        softBefore: number | null;
        softAfter: number | null;
      }
    | undefined;

  test('soft and hard faults come from the system process listing', async (t) => {
    const size = 32 * MiB;
    let clock = 0;
    // A table whose every call is past the listing's age: each entry() is a new system call.
    const listing = new SystemProcessTable(win32(), () => (clock += LISTING_MAX_AGE_MS + 1));
    const countersBefore = await source.counters(process.pid);
    const before = listing.entry(process.pid);
    assert.ok(before, 'this process is in the listing');
    assert.ok(before.threadCount >= 1);
    const base = reserve(size);
    try {
      commit(base, size);
      api.memset(base, 1, size);
      const after = listing.entry(process.pid);
      assert.ok(after);
      // The entry read is this process's: its working set grows by the pages just touched.
      assert.ok(
        after.workingSetSize - before.workingSetSize >= size * 0.9,
        'the listing sees the touched pages',
      );
      await new Promise((resolve) => setTimeout(resolve, LISTING_MAX_AGE_MS + 10));
      const counters = await source.counters(process.pid);
      assert.equal(typeof counters.hardFaultCount, 'number');
      assert.equal(typeof counters.softFaultCount, 'number');
      const started = performance.now();
      for (let i = 0; i < 100; i++) listing.entry(process.pid);
      const perListing = (performance.now() - started) / 100;
      t.diagnostic(
        `one listing: ${perListing.toFixed(2)} ms, ${listing.bufferBytes} bytes buffered; ` +
          `faults before ${before.pageFaultCount}/${before.hardFaultCount} hard, after ${after.pageFaultCount}/${after.hardFaultCount} hard`,
      );
      faults = {
        before,
        after,
        softBefore: countersBefore.softFaultCount,
        softAfter: counters.softFaultCount,
      };
      if (wine) {
        // Wine 8's exact answers: the listing's sizes come from /proc, both fault counts stay 0.
        for (const entry of [before, after]) {
          assert.equal(entry.pageFaultCount, 0, 'Wine: PageFaultCount 0');
          assert.equal(entry.hardFaultCount, 0, 'Wine: HardFaultCount 0');
        }
        assert.equal(counters.softFaultCount, 0, 'Wine: no soft faults');
        assert.equal(counters.hardFaultCount, 0, 'Wine: no hard faults');
      }
    } finally {
      api.VirtualFree(base, 0, MEM_RELEASE);
    }
  });

  test(
    'a fault per touched page, soft for demand-zero pages',
    { skip: wine && WINE_FAULTS },
    () => {
      const size = 32 * MiB;
      assert.ok(faults, 'the test before measured them');
      const { before, after, softBefore, softAfter } = faults;
      assert.ok(
        after.pageFaultCount - before.pageFaultCount >= (size / 4096) * 0.9,
        'a fault per touched page',
      );
      assert.ok(after.hardFaultCount >= before.hardFaultCount);
      assert.ok((softAfter ?? 0) - (softBefore ?? 0) >= (size / 4096) * 0.9);
    },
  );

  let privateWorkingSet: { ex2: number | null; workingSet: number } | undefined;

  test('GetProcessMemoryInfo is asked for _EX2 and falls back to _EX where that size is refused', () => {
    const real = win32();
    withProcess(real, process.pid, (handle) => {
      const ex2 = readMemoryCounters(real, handle);
      const sizes: number[] = [];
      // The real call behind an OS that refuses the _EX2 size, as one without it may.
      const refusing: Win32 = {
        ...real,
        GetProcessMemoryInfo: (h, buf, bytes) => {
          sizes.push(bytes);
          return bytes > PROCESS_MEMORY_COUNTERS_EX_SIZE
            ? 0
            : real.GetProcessMemoryInfo(h, buf, bytes);
        },
      };
      const ex = readMemoryCounters(refusing, handle);
      assert.deepEqual(sizes, [96, PROCESS_MEMORY_COUNTERS_EX_SIZE]);
      assert.equal(ex.privateWorkingSetSize, null);
      assert.equal(ex.sharedCommitUsage, null);
      assert.ok(
        ex.workingSetSize > 0 &&
          Math.abs(ex.workingSetSize - ex2.workingSetSize) < ex2.workingSetSize * 0.2,
      );
      assert.ok(ex.pagefileUsage > 0);
      privateWorkingSet = { ex2: ex2.privateWorkingSetSize, workingSet: ex2.workingSetSize };
      if (wine) {
        // Wine 8's exact answer: it takes the 96-byte buffer but fills only its _EX part.
        assert.equal(ex2.privateWorkingSetSize, null, 'Wine: no PrivateWorkingSetSize');
        assert.equal(ex2.sharedCommitUsage, null, 'Wine: no SharedCommitUsage');
      }
    });
  });

  test('_EX2 gives the private working set', { skip: wine && WINE_EX2 }, () => {
    assert.ok(privateWorkingSet, 'the test before read it');
    const { ex2, workingSet } = privateWorkingSet;
    assert.ok(ex2 !== null && ex2 > 0 && ex2 <= workingSet);
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
    child = await startIdleProcess();
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

  let otherWorkingSet:
    { committed: number; resident: number; known: Array<boolean | undefined> } | undefined;

  test('is snapshotted: its own image, committed memory and working set', async () => {
    const snapshot = await source.snapshot(child.pid as number);
    assert.equal(snapshot.process.pid, child.pid);
    assert.match(snapshot.process.commandLine ?? '', /node\.exe.*setInterval/i);
    const exe = snapshot.regions.find(
      (r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? ''),
    );
    assert.ok(exe, 'node.exe image in the other process');
    const committed = snapshot.regions.reduce((sum, r) => sum + r.committed, 0);
    assert.ok(committed > 10 * MiB, `committed ${committed}`);
    assert.ok((snapshot.counters.workingSetSize ?? 0) > 0);
    assert.ok(
      snapshot.regions.some((r) => r.kind === 'heap'),
      'heaps from the other PEB',
    );
    assert.ok(
      snapshot.regions.some((r) => r.kind === 'stack'),
      'stacks from the other TEBs',
    );
    const known = snapshot.regions
      .filter((r) => r.state === 'committed')
      .map((r) => r.windows?.workingSetKnown as boolean | undefined);
    const resident = snapshot.regions.reduce((sum, r) => sum + r.workingSet.total, 0);
    otherWorkingSet = { committed, resident, known };
    if (wine) {
      // Wine 8's exact answer: QueryWorkingSetEx is refused for another process, so every
      // committed region says its working set is unknown, and none is counted.
      assert.ok(
        known.every((k) => k === false),
        'Wine: working sets unknown',
      );
      assert.equal(resident, 0, 'Wine: no resident bytes counted');
    }
  });

  test('its working set is read through QueryWorkingSetEx', { skip: wine && WINE_OTHER_WS }, () => {
    assert.ok(otherWorkingSet, 'the test before snapshotted it');
    const { committed, resident, known } = otherWorkingSet;
    assert.ok(
      known.every((k) => k === true),
      'every committed region has a known working set',
    );
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
    const json = await runBundledCli(
      ['snapshot', '--pid', String(child.pid), '--no-free'],
      'snapshot',
    );
    const snapshot = JSON.parse(json) as Snapshot;
    assert.equal(snapshot.source, 'windows');
    assert.equal(snapshot.process.pid, child.pid);
    assert.ok(snapshot.regions.some((r) => r.kind === 'image' && /node\.exe$/i.test(r.path ?? '')));
    assert.ok(snapshot.regions.every((r) => r.state !== 'free'));
    const list = JSON.parse(await runBundledCli(['ps', '--json'], 'ps')) as Array<{
      pid: number;
      name: string;
    }>;
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
