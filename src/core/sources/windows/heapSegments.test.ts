import { describe, expect, it } from 'vitest';
import { MEM_FLAGS } from '../../../shared/winConstants';
import type { MemoryBasicInfo } from '../../win32/memoryBasicInfo';
import { addHeapSegmentsBySignature } from './heapSegments';
import type { MemoryRead } from './memoryReads';
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

/** Reads over a few fake allocations' first bytes; `reads` records each address. */
function memoryOf(contents: Map<bigint, Buffer>, reads: bigint[]): MemoryRead {
  return (address, size) => {
    reads.push(address);
    const bytes = contents.get(address);
    return bytes ? Buffer.from(bytes.subarray(0, size)) : null;
  };
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
    const read = memoryOf(
      new Map([
        [0x30000000n, segment64(heap)],
        [0x40000000n, segment64(0x70000000n)],
      ]),
      reads,
    );
    addHeapSegmentsBySignature(read, walk, false, uses);
    expect(uses.heaps.get(0x30000000n)).toBe('Heap 1, segment');
    expect(uses.heaps.has(0x40000000n)).toBe(false);
    expect(reads).toEqual([0x30000000n, 0x40000000n]);
  });

  it('reads the 32-bit layout in a WOW64 process only', () => {
    const uses = noUses();
    uses.heaps.set(0xc10000n, '32-bit Process heap');
    const walk = [allocation(0x2000000n)];
    const contents = new Map([[0x2000000n, segment32(0xc10000)]]);
    addHeapSegmentsBySignature(memoryOf(contents, []), walk, false, uses);
    expect(uses.heaps.has(0x2000000n)).toBe(false);
    addHeapSegmentsBySignature(memoryOf(contents, []), walk, true, uses);
    expect(uses.heaps.get(0x2000000n)).toBe('32-bit Process heap, segment');
  });
});
