import { MEM_FLAGS } from '../../../shared/winConstants';
import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import type { Win32 } from './bindings';
import type { MemoryRead } from './memoryReads';
import type { AddressUses } from '../../win32/regions';
import {
  decodeHeapEntry,
  decodeHeapSegmentOwner,
  HEAP_SEGMENT_HEADER_SIZE,
  PROCESS_HEAP_ENTRY_BUSY,
  PROCESS_HEAP_ENTRY_SIZE,
  PROCESS_HEAP_REGION,
} from './win32Structs';

/** Heaps a process may have before we stop believing GetProcessHeaps. */
const MAX_HEAPS = 4096;

/** Every heap handle of the calling process (GetProcessHeaps: Wine keeps no PEB.ProcessHeaps). */
function ownHeaps(api: Win32): bigint[] {
  const handles = new BigUint64Array(256);
  const count = api.GetProcessHeaps(handles.length, handles);
  if (count <= handles.length) return Array.from(handles.subarray(0, count));
  const all = new BigUint64Array(Math.min(count, MAX_HEAPS));
  return Array.from(all.subarray(0, api.GetProcessHeaps(all.length, all)));
}

/** Entries walked per heap at most: about 2.5 s of HeapWalk under Wine, far more than a heap of ours has. */
const MAX_HEAP_ENTRIES = 1_000_000;

/**
 * The allocations one heap of the calling process occupies, from HeapWalk: each region entry
 * starts a segment, and a busy block outside every segment is a large block in its own
 * VirtualAlloc. HeapWalk visits every block, so this costs a call per block.
 *
 * The heap is not locked (HeapLock): while it is held, any allocation by another thread waits,
 * and V8 then waits for its GC helper threads, which wait in malloc for the lock; the test run
 * hung so. Each HeapWalk step takes the lock itself; a step that fails because the heap changed
 * meanwhile ends the walk early with what it found.
 */
function heapAllocations(
  api: Win32,
  heap: bigint,
  allocationBaseOf: (address: bigint) => bigint | null,
): Map<bigint, string> {
  const found = new Map<bigint, string>();
  const buf = Buffer.alloc(PROCESS_HEAP_ENTRY_SIZE);
  let segmentStart = 0n;
  let segmentEnd = 0n;
  for (let entries = 0; entries < MAX_HEAP_ENTRIES && api.HeapWalk(heap, buf); entries++) {
    const entry = decodeHeapEntry(buf);
    if (entry.flags & PROCESS_HEAP_REGION) {
      segmentStart = entry.data;
      segmentEnd = entry.lastBlock;
      const base = allocationBaseOf(entry.data);
      if (base) found.set(base, 'segment');
    } else if (
      entry.flags & PROCESS_HEAP_ENTRY_BUSY &&
      (entry.data < segmentStart || entry.data >= segmentEnd)
    ) {
      const base = allocationBaseOf(entry.data);
      if (base && !found.has(base)) found.set(base, 'large block');
    }
  }
  return found;
}

/**
 * Labels every segment and large block of every heap of the calling process, named after the
 * heap (the heap's own allocation keeps the heap's name).
 */
export function addOwnHeapSegments(
  api: Win32,
  uses: AddressUses,
  allocationBaseOf: (address: bigint) => bigint | null,
): void {
  ownHeaps(api).forEach((heap, i) => {
    if (!uses.heaps.has(heap)) uses.heaps.set(heap, `Heap ${i}`);
    const name = uses.heaps.get(heap) as string;
    for (const [base, what] of heapAllocations(api, heap, allocationBaseOf)) {
      if (!uses.heaps.has(base)) uses.heaps.set(base, `${name}, ${what}`);
    }
  });
}

/**
 * Labels the further segments of another process's known heaps the way System Informer finds
 * them: every committed private allocation not yet explained is read for an NT heap segment
 * header whose owning heap is one the PEB listed. One small read per such allocation. Heaps of
 * another layout (Windows' segment heap, Wine's own heap) have no such header and keep only
 * their first segment labelled.
 */
export function addHeapSegmentsBySignature(
  read: MemoryRead,
  walk: readonly MemoryBasicInfo[],
  wow64: boolean,
  uses: AddressUses,
): void {
  const known = new Map(uses.heaps);
  for (const mbi of walk) {
    if (mbi.baseAddress !== mbi.allocationBase || mbi.state !== MEM_FLAGS.MEM_COMMIT) continue;
    if (
      mbi.type !== MEM_FLAGS.MEM_PRIVATE ||
      uses.heaps.has(mbi.baseAddress) ||
      uses.stacks.has(mbi.baseAddress)
    )
      continue;
    const header = read(mbi.baseAddress, HEAP_SEGMENT_HEADER_SIZE);
    const owner = header ? decodeHeapSegmentOwner(header, wow64) : null;
    const name = owner === null ? undefined : known.get(owner);
    if (name) uses.heaps.set(mbi.baseAddress, `${name}, segment`);
  }
}
