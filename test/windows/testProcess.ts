import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { LibraryHandle } from 'koffi';

/**
 * What the Wine tests do to their own process through the real API: reserve, commit, touch and
 * free memory, and count handles. Declared here, not in the source: vmscope itself never
 * changes a process's memory (the live sandbox engine has its own bindings).
 */
export interface TestProcessApi {
  VirtualAlloc(address: bigint, size: number, type: number, protect: number): bigint;
  VirtualFree(address: bigint, size: number, type: number): number;
  memset(address: bigint, value: number, size: number): bigint;
  GetProcessHandleCount(process: bigint, count: Uint32Array): number;
  GetCurrentProcess(): bigint;
  GetHandleInformation(handle: bigint, flags: Uint32Array): number;
  HeapCreate(options: number, initial: number, maximum: number): bigint | null;
  HeapAlloc(heap: bigint | null, flags: number, size: number): bigint;
  HeapDestroy(heap: bigint | null): number;
  OpenProcess(access: number, inherit: number, pid: number): bigint | null;
  CloseHandle(handle: bigint | null): number;
  InitializeAcl(acl: Buffer, length: number, revision: number): number;
  AddAccessAllowedAce(acl: Buffer, revision: number, mask: number, sid: Buffer): number;
  CreateWellKnownSid(type: number, domain: null, sid: Buffer, size: Uint32Array): number;
  /** A Win32 error code, 0 on success. */
  SetSecurityInfo(
    handle: bigint | null,
    type: number,
    info: number,
    owner: null,
    group: null,
    dacl: Buffer,
    sacl: null,
  ): number;
}

export function testProcessApi(): TestProcessApi {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): LibraryHandle };
  const kernel32 = koffi.load('kernel32.dll');
  const ntdll = koffi.load('ntdll.dll');
  const advapi32 = koffi.load('advapi32.dll');
  return {
    VirtualAlloc: kernel32.func(
      'uintptr_t VirtualAlloc(uintptr_t address, uintptr_t size, uint32_t type, uint32_t protect)',
    ),
    VirtualFree: kernel32.func('int VirtualFree(uintptr_t address, uintptr_t size, uint32_t type)'),
    memset: ntdll.func('uintptr_t memset(uintptr_t dest, int value, uintptr_t size)'),
    GetProcessHandleCount: kernel32.func('int GetProcessHandleCount(void *process, void *count)'),
    GetCurrentProcess: kernel32.func('void *GetCurrentProcess()'),
    GetHandleInformation: kernel32.func('int GetHandleInformation(void *handle, void *flags)'),
    HeapCreate: kernel32.func(
      'void *HeapCreate(uint32_t options, uintptr_t initial, uintptr_t maximum)',
    ),
    HeapAlloc: kernel32.func('uintptr_t HeapAlloc(void *heap, uint32_t flags, uintptr_t size)'),
    HeapDestroy: kernel32.func('int HeapDestroy(void *heap)'),
    OpenProcess: kernel32.func('void *OpenProcess(uint32_t access, int inherit, uint32_t pid)'),
    CloseHandle: kernel32.func('int CloseHandle(void *handle)'),
    InitializeAcl: advapi32.func(
      'int InitializeAcl(void *acl, uint32_t length, uint32_t revision)',
    ),
    AddAccessAllowedAce: advapi32.func(
      'int AddAccessAllowedAce(void *acl, uint32_t revision, uint32_t mask, void *sid)',
    ),
    CreateWellKnownSid: advapi32.func(
      'int CreateWellKnownSid(int type, void *domain, void *sid, void *size)',
    ),
    SetSecurityInfo: advapi32.func(
      'uint32_t SetSecurityInfo(void *handle, int type, uint32_t info, void *owner, void *group, void *dacl, void *sacl)',
    ),
  };
}

/** True under Wine, whose ntdll exports wine_get_version. */
export function underWine(): boolean {
  const koffi = createRequire(import.meta.url)('koffi') as { load(path: string): LibraryHandle };
  try {
    koffi.load('ntdll.dll').func('const char *wine_get_version()');
    return true;
  } catch {
    return false;
  }
}

/** GetProcessHandleCount for this process; 0 where it is not kept (Wine 8 answers 0). */
export function handleCount(api: TestProcessApi): number {
  const count = new Uint32Array(1);
  return api.GetProcessHandleCount(api.GetCurrentProcess(), count) ? (count[0] ?? 0) : 0;
}

/** Handle values scanned for live handles: 2^16 handles, far more than a leak-free test holds. */
const HANDLE_SCAN_LIMIT = 4 * 65536;

/**
 * Live handles of this process, counted by asking GetHandleInformation about every possible
 * handle value (multiples of 4). Slower than GetProcessHandleCount, but Wine 8 answers that with 0.
 */
export function liveHandles(api: TestProcessApi): number {
  const flags = new Uint32Array(1);
  let live = 0;
  for (let value = 4; value < HANDLE_SCAN_LIMIT; value += 4)
    if (api.GetHandleInformation(BigInt(value), flags)) live++;
  return live;
}

const WRITE_DAC = 0x40000;
const SE_KERNEL_OBJECT = 6;
const DACL_SECURITY_INFORMATION = 4;
const ACL_REVISION = 2;
const WinWorldSid = 1;

/**
 * Replaces another process's DACL (through a handle opened with WRITE_DAC, which its owner
 * always gets) with one allowing Everyone only `allowed` (0: an empty DACL, which allows nobody
 * anything). OpenProcess then refuses every other right, as Windows does for a process of
 * another user or a protected one.
 */
export function restrictProcess(api: TestProcessApi, pid: number, allowed: number): void {
  const handle = api.OpenProcess(WRITE_DAC, 0, pid);
  if (!handle) throw new Error(`OpenProcess(WRITE_DAC) of ${pid} failed`);
  try {
    const acl = Buffer.alloc(64);
    if (!api.InitializeAcl(acl, acl.length, ACL_REVISION)) throw new Error('InitializeAcl failed');
    if (allowed) {
      const sid = Buffer.alloc(68);
      if (!api.CreateWellKnownSid(WinWorldSid, null, sid, new Uint32Array([sid.length])))
        throw new Error('CreateWellKnownSid failed');
      if (!api.AddAccessAllowedAce(acl, ACL_REVISION, allowed, sid))
        throw new Error('AddAccessAllowedAce failed');
    }
    const error = api.SetSecurityInfo(
      handle,
      SE_KERNEL_OBJECT,
      DACL_SECURITY_INFORMATION,
      null,
      null,
      acl,
      null,
    );
    if (error) throw new Error(`SetSecurityInfo failed with Win32 error ${error}`);
  } finally {
    api.CloseHandle(handle);
  }
}

let started = 0;

/**
 * Starts a program (Windows Node by default) that idles (or runs `script`) until killed, and
 * waits for it to say it is running: the script's first act, after Node has mapped its images and
 * started its threads, is to write a file, which the test waits for (stdio is ignored: under
 * Wine, pipes between Windows processes fail with EBADF). No fixed settle time: a slow start
 * under load only makes the wait longer.
 */
export async function startIdleProcess(
  program = process.execPath,
  script = 'setInterval(() => {}, 1000)',
): Promise<ChildProcess> {
  const ready = fileURLToPath(new URL(`./ready-${process.pid}-${started++}.txt`, import.meta.url));
  rmSync(ready, { force: true });
  const signal = `require('fs').writeFileSync(${JSON.stringify(ready)}, String(process.pid));`;
  const child = spawn(program, ['-e', `${script};${signal}`], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  const deadline = Date.now() + 120_000;
  while (!existsSync(ready)) {
    if (child.exitCode !== null)
      throw new Error(`${program} exited with ${child.exitCode} before it was ready`);
    if (Date.now() > deadline) throw new Error(`${program} did not start within 120 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return child;
}

/** The bundled CLI, built beside the test bundles by scripts/test-windows.sh. */
export const BUNDLED_CLI = fileURLToPath(new URL('./cli.mjs', import.meta.url));

/** Runs the bundled CLI with its stdout in the file cli-NAME.out (under Wine, stdout to a pipe fails); fails on a non-zero exit. */
export async function runBundledCli(args: string[], name: string): Promise<string> {
  const outFile = fileURLToPath(new URL(`./cli-${name}.out`, import.meta.url));
  const fd = openSync(outFile, 'w');
  try {
    const cliProcess = spawn(process.execPath, [BUNDLED_CLI, ...args], {
      stdio: ['ignore', fd, fd],
    });
    const code = await new Promise((resolve) => cliProcess.once('exit', resolve));
    assert.equal(code, 0, `vmscope ${args.join(' ')} failed: ${readFileSync(outFile, 'utf8')}`);
  } finally {
    closeSync(fd);
  }
  return readFileSync(outFile, 'utf8');
}
