/**
 * What a 64-bit Windows 10/11 process has before its first instruction: KUSER_SHARED_DATA, the
 * PEB and the main thread's TEB, the main thread's stack, the process heap, and the executable,
 * ntdll, kernel32 and KernelBase as images. A fresh SimProcess is empty (the unit tests want it so);
 * `startProcess` gives it this address space. Every answer VirtualQuery gives about these, and
 * where it comes from, is in test/fidelity/cases/startup.ts and docs/simulator.md.
 *
 * Windows randomizes where the stack, PEB, TEBs and heap go (ASLR). The simulator puts them at
 * fixed offsets in an area chosen from the process id, so runs repeat and two processes differ.
 */
import { PAGE_FLAGS as P } from '../../shared/winConstants';
import { SYSTEM_DLLS, peImage, type ImageLayout } from './images';
import { PAGE_SIZE } from './layout';
import type { SimProcess } from './process';

/** KUSER_SHARED_DATA: one read-only page at the same address in every process (MS-DTYP; wdm.h KI_USER_SHARED_DATA). */
export const KUSER_SHARED_DATA = 0x7ffe0000n;
/** Where executables prefer to load: the x64 linker's default image base (/BASE). */
export const EXE_BASE = 0x1_4000_0000n;
/** The image's SizeOfStackReserve: the linker's default, 1 MiB (/STACK). */
export const STACK_RESERVE = 0x100000;
/** The stack's committed top pages when the thread starts (its guard page lies below them). */
export const STACK_COMMIT = 0x2000;
/** x64 TEBs are two pages (the TEB structure is 0x1838 bytes). */
export const TEB_SIZE = 0x2000;

/** Where one process's own structures are. */
export interface ProcessLandmarks {
  stack: bigint;
  peb: bigint;
  /** The main thread's TEB. */
  teb: bigint;
  heap: bigint;
}

/** The process's area: 0xA000000000 plus (pid mod 256) · 4 GiB, standing in for ASLR's random base. */
export function landmarksOf(pid: number): ProcessLandmarks {
  const area = 0xa0_0000_0000n + BigInt(pid % 256) * 0x1_0000_0000n;
  const peb = area + 0x20_5000n;
  return { stack: area, peb, teb: peb + BigInt(PAGE_SIZE), heap: area + 0x40_0000n };
}

export interface StartupOptions {
  /** The executable's path, e.g. C:\Program Files\Contoso\app.exe. */
  exePath: string;
  /** The main thread's id. */
  threadId: number;
  /** The executable's image layout (default: a small PE at EXE_BASE). */
  exe?: ImageLayout;
}

/** Map the images and make the kernel's and the loader's structures, in the order Windows makes them. */
export function startProcess(process: SimProcess, options: StartupOptions): ProcessLandmarks {
  const at = landmarksOf(process.pid);
  const must = <T>(r: { ok: boolean; value?: T }, what: string): void => {
    if (!r.ok) throw new Error(`process start: ${what} could not be made`);
  };
  must(
    process.createSystemAllocation(
      KUSER_SHARED_DATA,
      PAGE_SIZE,
      P.PAGE_READONLY,
      'KUSER_SHARED_DATA',
      'noChange',
    ),
    'KUSER_SHARED_DATA',
  );
  must(process.mapImage(options.exe ?? peImage(options.exePath, EXE_BASE, 40, 12, 4)), 'the exe');
  for (const dll of SYSTEM_DLLS) must(process.mapImage(dll), dll.path);
  must(
    process.createSystemAllocation(at.peb, PAGE_SIZE, P.PAGE_READWRITE, 'PEB', 'readWrite'),
    'the PEB',
  );
  must(
    process.createSystemAllocation(
      at.teb,
      TEB_SIZE,
      P.PAGE_READWRITE,
      `TEB of thread ${options.threadId}`,
      'readWrite',
    ),
    'the TEB',
  );
  // The kernel fills in the PEB and the TEB: their pages are in the working set from the start.
  process.access('write', at.peb, BigInt(PAGE_SIZE + TEB_SIZE));
  must(
    process.createThreadStack(options.threadId, STACK_RESERVE, STACK_COMMIT, at.stack),
    'the stack',
  );
  process.createProcessHeap(at.heap);
  return at;
}
