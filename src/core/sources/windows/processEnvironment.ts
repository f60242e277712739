import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import { regionLookup } from './addressSpace';
import type { Win32 } from './bindings';
import { isInvalidHandle } from './bindings';
import { addHeapSegmentsBySignature, addOwnHeapSegments } from './heapSegments';
import { pointerAt, readMemory, readPointer } from './memoryReads';
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

const WOW64: EnvironmentLayout = {
  pointerSize: 4,
  processHeap: 0x18,
  numberOfHeaps: 0x88,
  processHeaps: 0x90,
  stackBase: 0x04,
  stackLimit: 0x08,
  deallocationStack: 0xe0c,
  tebOffset: 0x2000n,
  label: '32-bit ',
};

/** Heaps a process may have before we stop believing the count (a torn read, say). */
const MAX_HEAPS = 4096;

/** TEB32.ProcessEnvironmentBlock: the PEB32. */
const TEB32_PEB = 0x30n;

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
    const peb = readPointer(api, process, teb + WOW64.tebOffset + TEB32_PEB, WOW64.pointerSize);
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
  api: Win32,
  process: ProcessHandle,
  peb: bigint,
  layout: EnvironmentLayout,
  uses: AddressUses,
  { regionBaseOf }: Lookups,
): void {
  const header = readMemory(api, process, peb, layout.processHeaps + layout.pointerSize);
  if (!header) return;
  addLabel(uses, regionBaseOf(peb), `${layout.label}PEB`);
  const { pointerSize } = layout;
  const defaultHeap = pointerAt(header, layout.processHeap, pointerSize);
  const count = header.readUInt32LE(layout.numberOfHeaps);
  const heaps = pointerAt(header, layout.processHeaps, pointerSize);
  const list =
    count > 0 && count <= MAX_HEAPS ? readMemory(api, process, heaps, count * pointerSize) : null;
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
  api: Win32,
  process: ProcessHandle,
  teb64: bigint,
  threadId: number,
  layout: EnvironmentLayout,
  uses: AddressUses,
  { regionBaseOf, allocationBaseOf }: Lookups,
): void {
  const teb = teb64 + layout.tebOffset;
  const limits = readMemory(api, process, teb, layout.stackLimit + layout.pointerSize);
  if (!limits) return;
  addLabel(uses, regionBaseOf(teb), `${layout.label}TEB of thread ${threadId}`);
  const stackLimit = pointerAt(limits, layout.stackLimit, layout.pointerSize);
  // The allocation holding StackLimit is the stack's reservation; DeallocationStack, which
  // normally is its base, is the fallback (Wine's main thread has it a page in).
  const deallocation = readPointer(
    api,
    process,
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

interface ThreadTeb {
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
  const uses = noUses();
  const regionAt = regionLookup(walk);
  const lookups: Lookups = {
    regionBaseOf: (address) => regionAt(address)?.baseAddress ?? address,
    allocationBaseOf: (address) => regionAt(address)?.allocationBase || null,
  };
  const threads = readThreadTebs(api, process.pid);
  const layouts: Array<[EnvironmentLayout, bigint | null]> = [[NATIVE, pebAddress(api, process)]];
  if (wow64) layouts.push([WOW64, peb32Address(api, process, threads)]);
  for (const [layout, peb] of layouts) if (peb) addHeaps(api, process, peb, layout, uses, lookups);
  for (const { threadId, teb } of threads) {
    for (const [layout] of layouts) addStack(api, process, teb, threadId, layout, uses, lookups);
  }
  if (process.pid === api.GetCurrentProcessId())
    addOwnHeapSegments(api, uses, lookups.allocationBaseOf);
  else addHeapSegmentsBySignature(api, process, walk, wow64, uses);
  return uses;
}
