/**
 * ReadProcessMemory for real under Wine, on a second Wine process with known contents: it
 * reserves four pages, commits three read-write, writes a marker at +0x10, makes page 1 a guard
 * page and page 2 no-access, and leaves page 3 reserved; then it says where.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { VmscopeError } from '../../src/shared/errors';
import {
  createWindowsSource,
  type WindowsSource,
} from '../../src/core/sources/windows/windowsSource';
import { PROCESS_QUERY_LIMITED_INFORMATION } from '../../src/core/win32/constants';
import { restrictProcess, runBundledCli, startIdleProcess, testProcessApi } from './testProcess';

const MARKER = 'VMSCOPE-WINE-MARKER-5150';
const where = fileURLToPath(new URL(`./contents-${process.pid}.txt`, import.meta.url));

/** The child's script: lay out the known contents, write their address to `where`, then idle. */
const script = `
const koffi = require('koffi');
const k = koffi.load('kernel32.dll');
const VirtualAlloc = k.func('uintptr_t VirtualAlloc(uintptr_t a, uintptr_t s, uint32_t t, uint32_t p)');
const VirtualProtect = k.func('int VirtualProtect(uintptr_t a, uintptr_t s, uint32_t p, _Out_ uint32_t *old)');
const RtlMoveMemory = k.func('void RtlMoveMemory(uintptr_t d, const void *s, uintptr_t n)');
// uintptr_t comes back as a number (addresses below 2^53).
const base = Number(VirtualAlloc(0, 0x4000, 0x2000, 1));
VirtualAlloc(base, 0x3000, 0x1000, 4);
const marker = Buffer.from(${JSON.stringify(MARKER)});
RtlMoveMemory(base + 0x10, marker, marker.length);
const old = [0];
VirtualProtect(base + 0x1000, 0x1000, 0x104, old);
VirtualProtect(base + 0x2000, 0x1000, 0x01, old);
require('fs').writeFileSync(${JSON.stringify(where)}, '0x' + base.toString(16));
setInterval(() => {}, 1000)`;

let source: WindowsSource;
let child: ChildProcess;
let base: bigint;

before(async () => {
  source = createWindowsSource();
  rmSync(where, { force: true });
  child = await startIdleProcess(process.execPath, script);
  base = BigInt(readFileSync(where, 'utf8'));
});
after(() => {
  child.kill();
});

describe('readMemory on another Wine process', () => {
  test('reads the marker, and gives guard, no-access and reserved pages as holes', async () => {
    const chunk = await source.readMemory!(child.pid as number, base, 0x4000);
    assert.equal(
      Buffer.from(chunk.bytes.subarray(0x10, 0x10 + MARKER.length)).toString('latin1'),
      MARKER,
    );
    assert.ok(
      chunk.bytes.subarray(0x100, 0x1000).every((b) => b === 0),
      'the rest of page 0 is zero',
    );
    assert.deepEqual(chunk.holes, [
      { offset: 0x1000, size: 0x1000, reason: 'guard' },
      { offset: 0x2000, size: 0x1000, reason: 'no-access' },
      { offset: 0x3000, size: 0x1000, reason: 'reserved' },
    ]);
  });

  test('leaves the guard page armed (reading it is never a touch)', async () => {
    await source.readMemory!(child.pid as number, base, 0x4000);
    const again = await source.readMemory!(child.pid as number, base + 0x1000n, 0x1000);
    assert.deepEqual(again.holes, [{ offset: 0, size: 0x1000, reason: 'guard' }]);
  });

  test('vmscope read prints the marker in its xxd-like dump', async () => {
    const out = await runBundledCli(
      ['read', '--pid', String(child.pid), '--address', `0x${base.toString(16)}`, '--size', '64'],
      'read-marker',
    );
    assert.match(out, /VMSCOPE-WINE-MAR/);
  });
});

describe('readMemory with only limited rights', () => {
  let limited: ChildProcess;
  before(async () => {
    limited = await startIdleProcess();
    restrictProcess(testProcessApi(), limited.pid as number, PROCESS_QUERY_LIMITED_INFORMATION);
  });
  after(() => {
    limited.kill();
  });

  test('is access-denied, saying why and what to do', async () => {
    await assert.rejects(
      source.readMemory!(limited.pid as number, 0x10000n, 16),
      (err: unknown) => {
        assert.ok(err instanceof VmscopeError);
        assert.equal(err.code, 'access-denied');
        assert.match(err.message, /elevated/);
        return true;
      },
    );
  });
});
