/**
 * A 32-bit (WOW64) target snapshotted from 64-bit vmscope: 32-bit Windows Node (npm's
 * node-win-x86, fetched by scripts/setup-wine.sh) run by Wine's 32-bit loader (Debian's wine32).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Snapshot } from '../../src/shared/model';
import { win32 } from '../../src/core/sources/windows/bindings';
import { isWow64 } from '../../src/core/sources/windows/processFacts';
import { withProcess } from '../../src/core/sources/windows/processHandle';
import { imageIsLargeAddressAware } from '../../src/core/sources/windows/win32Structs';
import {
  createWindowsSource,
  type WindowsSource,
} from '../../src/core/sources/windows/windowsSource';
import { startIdleProcess } from './testProcess';

const node32 = fileURLToPath(new URL('../node32/node.exe', import.meta.url));
const IMAGE_FILE_MACHINE_I386 = 0x14c;
const IMAGE_FILE_MACHINE_AMD64 = 0x8664;

/** The 32-bit range a target may use, from its executable's header on disk. */
function expectedLimit(exe = node32): bigint {
  const file = readFileSync(exe);
  const laa = imageIsLargeAddressAware(file.subarray(file.readUInt32LE(0x3c)));
  assert.notEqual(laa, null, 'node32 is a PE image');
  return laa ? 0xfffeffffn : 0x7ffeffffn;
}

describe('a 32-bit process under WOW64', () => {
  let source: WindowsSource;
  let child: ChildProcess;
  let snapshot: Snapshot;
  before(async () => {
    source = createWindowsSource();
    child = await startIdleProcess(node32);
    snapshot = await source.snapshot(child.pid as number);
  });
  after(() => {
    child.kill();
  });

  test('is reported as WOW64: IsWow64Process2 says i386 on AMD64', () => {
    const api = win32();
    withProcess(api, child.pid as number, (process) => {
      assert.equal(isWow64(api, process), true);
      assert.ok(api.IsWow64Process2, 'IsWow64Process2 exists');
      const machine = new Uint16Array(1);
      const native = new Uint16Array(1);
      assert.ok(api.IsWow64Process2(process.handle, machine, native));
      assert.equal(machine[0], IMAGE_FILE_MACHINE_I386);
      assert.equal(native[0], IMAGE_FILE_MACHINE_AMD64);
      const wow64 = new Uint32Array(1);
      assert.ok(
        api.IsWow64Process(process.handle, wow64) && wow64[0] === 1,
        'IsWow64Process agrees',
      );
    });
    withProcess(api, process.pid, (self) =>
      assert.equal(isWow64(api, self), false, 'this 64-bit process is not'),
    );
  });

  test('its address space is walked to its own 32-bit limit, without gaps', (t) => {
    const limit = expectedLimit();
    t.diagnostic(
      `limit ${limit.toString(16)} (large-address-aware: ${limit > 0x80000000n}), ${snapshot.regions.length} regions`,
    );
    assert.equal(
      BigInt(snapshot.system.maxAddress),
      limit,
      'the snapshot states the process’s own range',
    );
    let next = 0n;
    for (const region of snapshot.regions) {
      assert.equal(BigInt(region.base), next, `gap or overlap before ${region.base}`);
      next = BigInt(region.base) + BigInt(region.size);
    }
    assert.equal(next, limit + 1n, 'the walk ends at the limit');
    const exe = snapshot.regions.find(
      (r) => r.kind === 'image' && /node32\\node\.exe$/i.test(r.path ?? ''),
    );
    assert.ok(exe, 'the 32-bit node.exe image');
    assert.ok(
      snapshot.regions.some(
        (r) => r.kind === 'image' && /\\syswow64\\kernel32\.dll$/i.test(r.path ?? ''),
      ),
      '32-bit system DLLs from syswow64',
    );
  });

  test('its 32-bit heaps come from the PEB32 and its 32-bit stacks from the TEB32s', (t) => {
    const details = snapshot.regions.map((r) => r.details ?? '');
    assert.ok(
      details.some((d) => /(^|, )32-bit PEB(,|$)/.test(d)),
      'the PEB32 is found',
    );
    const tebs32 = details.filter((d) => /32-bit TEB of thread/.test(d));
    assert.ok(tebs32.length >= 1, 'TEB32s are labelled');
    const heaps = snapshot.regions.filter((r) => r.kind === 'heap');
    assert.ok(
      heaps.some((r) => r.details === '32-bit Process heap'),
      'the 32-bit default heap from PEB32.ProcessHeap',
    );
    const stacks32 = snapshot.regions.filter(
      (r) => r.kind === 'stack' && /^32-bit Stack of thread \d+$/.test(r.details ?? ''),
    );
    const threads32 = new Set(stacks32.map((r) => r.threadId));
    assert.ok(threads32.size >= 2, `32-bit stacks of several threads (${threads32.size})`);
    for (const stack of stacks32)
      assert.ok(BigInt(stack.base) + BigInt(stack.size) <= 0x100000000n, 'below 4 GiB');
    t.diagnostic(
      `PEB region: ${details.find((d) => /PEB/.test(d))}; ${heaps.length} heap regions, 32-bit stacks of ${threads32.size} threads; command line ${JSON.stringify(snapshot.process.commandLine)}`,
    );
  });

  test('its counters are read like any process’s', async () => {
    const counters = await source.counters(child.pid as number);
    assert.ok(counters.workingSetSize > 0);
    assert.ok(counters.virtualSize > 0);
  });
});

const IMAGE_FILE_LARGE_ADDRESS_AWARE = 0x20;

/**
 * A copy of 32-bit node.exe with IMAGE_FILE_LARGE_ADDRESS_AWARE set, beside the test bundle
 * (the loader checks no checksum of a user program, so the flag is all that changes).
 */
function largeAddressAwareCopy(): string {
  const file = readFileSync(node32);
  const characteristics = file.readUInt32LE(0x3c) + 22;
  file.writeUInt16LE(
    file.readUInt16LE(characteristics) | IMAGE_FILE_LARGE_ADDRESS_AWARE,
    characteristics,
  );
  const copy = fileURLToPath(new URL('./node32-laa.exe', import.meta.url));
  writeFileSync(copy, file);
  return copy;
}

describe('a large-address-aware 32-bit process under WOW64', () => {
  let child: ChildProcess;
  let exe: string;
  before(async () => {
    exe = largeAddressAwareCopy();
    // 36 ArrayBuffers of 64 MiB: 2.25 GiB of address space, reserved and zero, not touched.
    const script =
      'const keep = []; for (let i = 0; i < 36; i++) keep.push(new ArrayBuffer(64 << 20)); setInterval(() => keep, 1000)';
    child = await startIdleProcess(exe, script);
  });
  after(() => {
    child.kill();
  });

  test('is walked to 4 GiB, and uses memory above 2 GiB', async (t) => {
    const limit = expectedLimit(exe);
    assert.equal(limit, 0xfffeffffn);
    const snapshot = await createWindowsSource().snapshot(child.pid as number);
    assert.equal(BigInt(snapshot.system.maxAddress), limit);
    const last = snapshot.regions.at(-1);
    assert.ok(last);
    const tail = snapshot.regions
      .slice(-3)
      .map((r) => `${r.base}+${r.size} ${r.state}`)
      .join(', ');
    assert.equal(
      BigInt(last.base) + BigInt(last.size),
      limit + 1n,
      `the walk ends at 4 GiB less 64 KiB (its last regions: ${tail})`,
    );
    const high = snapshot.regions.filter(
      (r) => r.state === 'committed' && BigInt(r.base) >= 0x80000000n,
    );
    t.diagnostic(`${snapshot.regions.length} regions, ${high.length} committed above 2 GiB`);
    assert.ok(high.length > 0, 'committed memory above 2 GiB');
  });
});
