import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import { regionLookup } from './addressSpace';
import type { Win32 } from './bindings';
import { isInvalidHandle } from './bindings';
import { addHeapSegmentsBySignature, addOwnHeapSegments } from './heapSegments';
import { type MemoryRead, pointerAt, processMemoryRead, readPointer } from './memoryReads';
import { pebAddress } from './processFacts';
import type { ProcessHandle } from './processHandle';
import { type AddressUses, addLabel, noUses } from '../../win32/regions';
import { forEachThread } from './toolhelp';
import {
  ProcessWow64Information,
  THREAD_QUERY_INFORMATION,
  THREAD_QUERY_LIMITED_INFORMATION,
  ThreadBasicInformation,
} from '../../win32/constants';
import { decodeTebAddress, THREAD_BASIC_INFORMATION_SIZE } from './win32Structs';

/**
 * Where the PEB and TEB keep what we need, for a 64-bit process and for the 32-bit half of a
 * WOW64 one (whose TEB32 sits 0x2000 after its TEB64). Offsets from the public symbols of
 * ntdll (System Informer's phnt headers list the same ones).
 */
interface EnvironmentLayout {
  pointerSize: 4 | 8;
  processHeap: number;
  numberOfHeaps: number;
  processHeaps: number;
  stackBase: number;
  stackLimit: number;
  deallocationStack: number;
  /** How far this TEB is from the TEB64 NtQueryInformationThread reports. */
  tebOffset: bigint;
  label: string;
}

const NATIVE: EnvironmentLayout = {
  pointerSize: 8,
  processHeap: 0x30,
  numberOfHeaps: 0xe8,
  processHeaps: 0xf0,
  stackBase: 0x08,
  stackLimit: 0x10,
  deallocationStack: 0x1478,
  tebOffset: 0n,
  label: '',
};

/**
 * TEB32.ProcessEnvironmentBlock (the PEB32), PEB32.ProcessParameters,
 * RTL_USER_PROCESS_PARAMETERS32.CommandLine, and where a WOW64 thread's TEB32 is after its TEB64.
 */
export const ENVIRONMENT_32 = {
  tebPeb: 0x30n,
  pebParameters: 0x10n,
  commandLine: 0x40n,
  wow64TebOffset: 0x2000n,
} as const;

const WOW64: EnvironmentLayout = {
  pointerSize: 4,
  processHeap: 0x18,
  numberOfHeaps: 0x88,
  processHeaps: 0x90,
  stackBase: 0x04,
  stackLimit: 0x08,
  deallocationStack: 0xe0c,
  tebOffset: ENVIRONMENT_32.wow64TebOffset,
  label: '32-bit ',
};

/** A 32-bit process on 32-bit Windows (an x86 minidump): the WOW64 half's layout, on its own. */
const X86: EnvironmentLayout = { ...WOW64, tebOffset: 0n, label: '' };

/** Heaps a process may have before we stop believing the count (a torn read, say). */
const MAX_HEAPS = 4096;

/** No PEB lies below the first allocation granule: a smaller answer is not an address. */
const LOWEST_ADDRESS = 0x10000n;

/**
 * The PEB32 of a WOW64 process: ProcessWow64Information's answer (one ULONG_PTR) where it is an
 * address, as on Windows; else the ProcessEnvironmentBlock of a thread's TEB32 (Wine 8 answers
 * another process's ProcessWow64Information with 1, a mere "is WOW64").
 */
function peb32Address(
  api: Win32,
  process: ProcessHandle,
  threads: readonly ThreadTeb[],
): bigint | null {
  const read = processMemoryRead(api, process);
  const buf = Buffer.alloc(8);
  const status = api.NtQueryInformationProcess(
    process.handle,
    ProcessWow64Information,
    buf,
    buf.length,
    null,
  );
  const answer = status < 0 ? 0n : buf.readBigUInt64LE(0);
  if (answer >= LOWEST_ADDRESS) return answer;
  for (const { teb } of threads) {
    const peb = readPointer(read, teb + WOW64.tebOffset + ENVIRONMENT_32.tebPeb, WOW64.pointerSize);
    if (peb && peb >= LOWEST_ADDRESS) return peb;
  }
  return null;
}

/** The walk's lookups: the region and the allocation holding an address. */
interface Lookups {
  regionBaseOf: (address: bigint) => bigint;
  allocationBaseOf: (address: bigint) => bigint | null;
}

function addHeaps(
  read: MemoryRead,
  peb: bigint,
  layout: EnvironmentLayout,
  uses: AddressUses,
  { regionBaseOf }: Lookups,
): void {
  const header = read(peb, layout.processHeaps + layout.pointerSize);
  if (!header) return;
  addLabel(uses, regionBaseOf(peb), `${layout.label}PEB`);
  const { pointerSize } = layout;
  const defaultHeap = pointerAt(header, layout.processHeap, pointerSize);
  const count = header.readUInt32LE(layout.numberOfHeaps);
  const heaps = pointerAt(header, layout.processHeaps, pointerSize);
  const list = count > 0 && count <= MAX_HEAPS ? read(heaps, count * pointerSize) : null;
  // The default heap is named even where ProcessHeaps is not kept (Wine leaves it empty).
  if (defaultHeap) uses.heaps.set(defaultHeap, `${layout.label}Process heap`);
  for (let i = 0; list && i < count; i++) {
    const heap = pointerAt(list, i * pointerSize, pointerSize);
    if (!uses.heaps.has(heap)) uses.heaps.set(heap, `${layout.label}Heap ${i}`);
  }
}

function readTeb(api: Win32, threadId: number): bigint | null {
  let thread = api.OpenThread(THREAD_QUERY_INFORMATION, 0, threadId);
  if (isInvalidHandle(thread))
    thread = api.OpenThread(THREAD_QUERY_LIMITED_INFORMATION, 0, threadId);
  if (isInvalidHandle(thread)) return null;
  try {
    const buf = Buffer.alloc(THREAD_BASIC_INFORMATION_SIZE);
    const status = api.NtQueryInformationThread(
      thread,
      ThreadBasicInformation,
      buf,
      buf.length,
      null,
    );
    return status < 0 ? null : decodeTebAddress(buf);
  } finally {
    api.CloseHandle(thread);
  }
}

function addStack(
  read: MemoryRead,
  teb64: bigint,
  threadId: number,
  layout: EnvironmentLayout,
  uses: AddressUses,
  { regionBaseOf, allocationBaseOf }: Lookups,
): void {
  const teb = teb64 + layout.tebOffset;
  const limits = read(teb, layout.stackLimit + layout.pointerSize);
  if (!limits) return;
  addLabel(uses, regionBaseOf(teb), `${layout.label}TEB of thread ${threadId}`);
  const stackLimit = pointerAt(limits, layout.stackLimit, layout.pointerSize);
  // The allocation holding StackLimit is the stack's reservation; DeallocationStack, which
  // normally is its base, is the fallback (Wine's main thread has it a page in).
  const deallocation = readPointer(
    read,
    teb + BigInt(layout.deallocationStack),
    layout.pointerSize,
  );
  const reservation =
    allocationBaseOf(stackLimit) ?? (deallocation ? allocationBaseOf(deallocation) : null);
  if (reservation)
    uses.stacks.set(reservation, {
      threadId,
      details: `${layout.label}Stack of thread ${threadId}`,
    });
}

export interface ThreadTeb {
  threadId: number;
  /** The TEB64 (for a WOW64 thread its TEB32 follows at WOW64.tebOffset). */
  teb: bigint;
}

function readThreadTebs(api: Win32, pid: number): ThreadTeb[] {
  const threads: ThreadTeb[] = [];
  forEachThread(api, pid, (threadId) => {
    const teb = readTeb(api, threadId);
    if (teb) threads.push({ threadId, teb });
  });
  return threads;
}

/**
 * What the process's own bookkeeping says its allocations are for: heaps from the PEB's
 * ProcessHeaps and their further segments, each thread's stack from its TEB (for a WOW64
 * process from the PEB32 and TEB32s too). Reads that fail leave the regions unlabelled
 * (privateData) rather than failing the snapshot.
 */
export function readAddressUses(
  api: Win32,
  process: ProcessHandle,
  wow64: boolean,
  walk: readonly MemoryBasicInfo[],
): AddressUses {
  const threads = readThreadTebs(api, process.pid);
  const pebs = {
    native: pebAddress(api, process),
    wow64: wow64 ? peb32Address(api, process, threads) : null,
  };
  const read = processMemoryRead(api, process);
  const own = process.pid === api.GetCurrentProcessId();
  const uses = addressUsesFromMemory(read, walk, threads, pebs, wow64, !own);
  if (own) addOwnHeapSegments(api, uses, lookupsOf(walk).allocationBaseOf);
  return uses;
}

function lookupsOf(walk: readonly MemoryBasicInfo[]): Lookups {
  const regionAt = regionLookup(walk);
  return {
    regionBaseOf: (address) => regionAt(address)?.baseAddress ?? address,
    allocationBaseOf: (address) => regionAt(address)?.allocationBase || null,
  };
}

/**
 * The uses read from memory alone, given the threads' TEBs and the PEB(s): the live source reads
 * them from the process, a minidump from the bytes it captured (docs/dumps.md). `x86`: the
 * process is 32-bit on 32-bit Windows (its TEBs and PEB are 32-bit, and there is no other half).
 */
export function addressUsesFromMemory(
  read: MemoryRead,
  walk: readonly MemoryBasicInfo[],
  threads: readonly ThreadTeb[],
  pebs: { native: bigint | null; wow64: bigint | null },
  wow64: boolean,
  segmentsBySignature: boolean,
  x86 = false,
): AddressUses {
  const uses = noUses();
  const lookups = lookupsOf(walk);
  const layouts: Array<[EnvironmentLayout, bigint | null]> = [[x86 ? X86 : NATIVE, pebs.native]];
  if (wow64 && !x86) layouts.push([WOW64, pebs.wow64]);
  for (const [layout, peb] of layouts) if (peb) addHeaps(read, peb, layout, uses, lookups);
  for (const { threadId, teb } of threads) {
    for (const [layout] of layouts) addStack(read, teb, threadId, layout, uses, lookups);
  }
  if (segmentsBySignature) addHeapSegmentsBySignature(read, walk, wow64 || x86, uses);
  return uses;
}
