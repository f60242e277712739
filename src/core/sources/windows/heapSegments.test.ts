import { describe, expect, it } from 'vitest';
import { MEM_FLAGS } from '../../../shared/winConstants';
import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import type { Win32 } from './bindings';
import { addHeapSegmentsBySignature } from './heapSegments';
import type { ProcessHandle } from './processHandle';
import { noUses } from '../../win32/regions';
import { HEAP_SEGMENT_SIGNATURE } from './win32Structs';

const { MEM_COMMIT, MEM_PRIVATE, MEM_RESERVE } = MEM_FLAGS;

function allocation(base: bigint, state: number = MEM_COMMIT): MemoryBasicInfo {
  return {
    baseAddress: base,
    allocationBase: base,
    allocationProtect: 4,
    regionSize: 0x10000n,
    state,
    protect: 4,
    type: MEM_PRIVATE,
  };
}

/** ReadProcessMemory over a few fake allocations' first bytes; `reads` records each address. */
function memoryOf(contents: Map<bigint, Buffer>, reads: bigint[]): Win32 {
  return {
    ReadProcessMemory: (_h: unknown, address: bigint, buffer: Buffer, size: number) => {
      reads.push(address);
      const bytes = contents.get(address);
      if (!bytes) return 0;
      bytes.copy(buffer, 0, 0, size);
      return 1;
    },
  } as unknown as Win32;
}

function segment64(heap: bigint): Buffer {
  const buf = Buffer.alloc(0x30);
  buf.writeUInt32LE(HEAP_SEGMENT_SIGNATURE, 0x10);
  buf.writeBigUInt64LE(heap, 0x28);
  return buf;
}

function segment32(heap: number): Buffer {
  const buf = Buffer.alloc(0x30);
  buf.writeUInt32LE(HEAP_SEGMENT_SIGNATURE, 0x08);
  buf.writeUInt32LE(heap, 0x18);
  return buf;
}

const process: ProcessHandle = { pid: 1234, handle: 1n, canReadMemory: true };

describe('addHeapSegmentsBySignature', () => {
  it('labels an allocation whose NT segment header names a known heap, and nothing else', () => {
    const heap = 0x20000000n;
    const uses = noUses();
    uses.heaps.set(heap, 'Heap 1');
    uses.stacks.set(0x50000000n, { threadId: 9, details: 'Stack of thread 9' });
    const walk = [
      allocation(heap),
      allocation(0x30000000n), // a further segment of Heap 1
      allocation(0x40000000n), // names a heap nobody listed
      allocation(0x50000000n), // a stack: not read
      allocation(0x60000000n, MEM_RESERVE), // reserved: nothing to read
      { ...allocation(0x30000000n), baseAddress: 0x30010000n }, // not an allocation's first region
    ];
    const reads: bigint[] = [];
    const api = memoryOf(
      new Map([
        [0x30000000n, segment64(heap)],
        [0x40000000n, segment64(0x70000000n)],
      ]),
      reads,
    );
    addHeapSegmentsBySignature(api, process, walk, false, uses);
    expect(uses.heaps.get(0x30000000n)).toBe('Heap 1, segment');
    expect(uses.heaps.has(0x40000000n)).toBe(false);
    expect(reads).toEqual([0x30000000n, 0x40000000n]);
  });

  it('reads the 32-bit layout in a WOW64 process only', () => {
    const uses = noUses();
    uses.heaps.set(0xc10000n, '32-bit Process heap');
    const walk = [allocation(0x2000000n)];
    const contents = new Map([[0x2000000n, segment32(0xc10000)]]);
    addHeapSegmentsBySignature(memoryOf(contents, []), process, walk, false, uses);
    expect(uses.heaps.has(0x2000000n)).toBe(false);
    addHeapSegmentsBySignature(memoryOf(contents, []), process, walk, true, uses);
    expect(uses.heaps.get(0x2000000n)).toBe('32-bit Process heap, segment');
  });
});
