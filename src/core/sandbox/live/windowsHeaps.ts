/**
 * The live Windows engine's heaps: HeapCreate through HeapDestroy and HeapWalk, for real, on the
 * heaps the sandbox created and the blocks it allocated from them. The process heap and every
 * other heap are Node's: a step that would allocate from, free into, walk or destroy one makes no
 * call. Part of WindowsLiveMemory (windowsMemory.ts), which gives it its call recording.
 */
import { formatAddress } from '../../../shared/address';
import type { AddressExpr, ScriptStepOf, StepError } from '../../../shared/sandboxScript';
import { HEAP_FLAGS, winError } from '../../../shared/winConstants';
import { isInvalidHandle, type Win32 } from '../../sources/windows/bindings';
import { PROCESS_HEAP_ENTRY_SIZE, PROCESS_HEAP_REGION } from '../../sources/windows/win32Structs';
import type { HeapOp } from './liveOps';
import { errorByCode, fail, ok, type Outcome } from './liveOutcome';

/** What the heaps need from the engine around them. */
export interface HeapContext {
  api: Win32;
  /** Adds a line to the step's real calls. */
  record(line: string): void;
  boolCall(text: string, call: () => number, returned?: (value: number) => Outcome): Outcome;
  lastError(text: string, result: string): StepError;
  /** VirtualQuery's AllocationBase for `address`; null above the user range. */
  allocationOf(address: bigint): bigint | null;
}

const hex = (n: bigint): string => formatAddress(n);
const ADDRESS_SPACE = 1n << 64n;

const heapFlagText = (flags: number): string =>
  Object.entries(HEAP_FLAGS)
    .filter(([, bit]) => (flags & bit) !== 0)
    .map(([name]) => name)
    .join('|') || '0';
/** One PROCESS_HEAP_ENTRY (layout in win32Structs.ts) as the simulator reports HeapWalk entries (addresses hex). */
export function decodeHeapEntry(buf: Buffer): Record<string, unknown> {
  const wFlags = buf.readUInt16LE(14);
  return {
    lpData: hex(buf.readBigUInt64LE(0)),
    cbData: buf.readUInt32LE(8),
    cbOverhead: buf.readUInt8(12),
    iRegionIndex: buf.readUInt8(13),
    wFlags,
    ...((wFlags & PROCESS_HEAP_REGION) !== 0
      ? {
          region: {
            dwCommittedSize: buf.readUInt32LE(16),
            dwUnCommittedSize: buf.readUInt32LE(20),
            lpFirstBlock: hex(buf.readBigUInt64LE(24)),
            lpLastBlock: hex(buf.readBigUInt64LE(32)),
          },
        }
      : {}),
  };
}

export class SandboxHeaps {
  /** The heaps the sandbox created (HeapCreate) and the blocks it allocated from each. */
  private readonly blocks = new Map<bigint, Set<bigint>>();
  /** The allocations holding those heaps' segments and large blocks, with their heap. */
  private readonly segments = new Map<bigint, bigint>();

  constructor(private readonly ctx: HeapContext) {}

  /** The allocation at `base` is a segment or large block of a sandbox heap. */
  owns(base: bigint): boolean {
    return this.segments.has(base);
  }

  /** One heap op, `resolve` giving the step's addresses and handles. */
  run(step: ScriptStepOf<HeapOp>, resolve: (expr: AddressExpr) => bigint): Outcome {
    switch (step.op) {
      case 'GetProcessHeap': {
        const handle = BigInt(this.ctx.api.GetProcessHeap()!);
        this.ctx.record(`GetProcessHeap() = ${hex(handle)}`);
        return { ...ok(hex(handle)), address: handle };
      }
      case 'GetProcessHeaps': {
        const count = this.ctx.api.GetProcessHeaps(0, new BigUint64Array(1));
        const heaps = new BigUint64Array(Math.max(count, 1));
        const got = this.ctx.api.GetProcessHeaps(heaps.length, heaps);
        this.ctx.record(`GetProcessHeaps(${heaps.length}, heaps) = ${got}`);
        return ok(got, { heaps: [...heaps.subarray(0, got)].map(hex) });
      }
      case 'HeapCreate': {
        const text = `HeapCreate(${heapFlagText(step.options)}, ${step.initialSize}, ${step.maximumSize})`;
        const handle = this.ctx.api.HeapCreate(step.options, step.initialSize, step.maximumSize);
        if (isInvalidHandle(handle))
          return { ...fail(this.ctx.lastError(text, 'NULL'), null), address: 0n };
        const value = BigInt(handle!);
        this.ctx.record(`${text} = ${hex(value)}`);
        this.blocks.set(value, new Set());
        this.ownSegment(value, value);
        return { ...ok(hex(value)), address: value };
      }
      case 'HeapAlloc': {
        const heap = resolve(step.heap);
        if (!this.blocks.has(heap)) return this.refuseHeap(heap, null);
        return this.block(
          heap,
          `HeapAlloc(${hex(heap)}, ${heapFlagText(step.flags)}, ${step.size})`,
          () => this.ctx.api.HeapAlloc(heap, step.flags, step.size),
        );
      }
      case 'HeapReAlloc': {
        const [heap, block] = [resolve(step.heap), resolve(step.address)];
        // A NULL block gets the real call whatever the heap: Windows fails it without touching the heap.
        if (block !== 0n && !this.blocks.get(heap)?.has(block))
          return this.refuseHeap(heap, null, block);
        const text = `HeapReAlloc(${hex(heap)}, ${heapFlagText(step.flags)}, ${hex(block)}, ${step.size})`;
        return this.block(
          heap,
          text,
          () => this.ctx.api.HeapReAlloc(heap, step.flags, block, step.size),
          block,
        );
      }
      case 'HeapFree': {
        const [heap, block] = [resolve(step.heap), resolve(step.address)];
        // HeapFree of NULL succeeds without touching the heap (HeapFree(NULL, 0, NULL) too): the real call.
        if (block !== 0n && !this.blocks.get(heap)?.has(block))
          return this.refuseHeap(heap, false, block);
        return this.ctx.boolCall(
          `HeapFree(${hex(heap)}, ${heapFlagText(step.flags)}, ${block === 0n ? 'NULL' : hex(block)})`,
          () => this.ctx.api.HeapFree(heap, step.flags, block),
          () => {
            this.blocks.get(heap)?.delete(block);
            return ok(true);
          },
        );
      }
      case 'HeapSize': {
        const [heap, block] = [resolve(step.heap), resolve(step.address)];
        if (!this.blocks.get(heap)?.has(block)) return this.refuseHeap(heap, -1, block);
        const size = BigInt(this.ctx.api.HeapSize(heap, step.flags, block));
        this.ctx.record(
          `HeapSize(${hex(heap)}, ${heapFlagText(step.flags)}, ${hex(block)}) = ${size === ADDRESS_SPACE - 1n ? '(SIZE_T)-1' : size}`,
        );
        // HeapSize sets no last error when it fails.
        return size === ADDRESS_SPACE - 1n
          ? { ok: false, returned: -1, lastError: null, exception: null, info: null }
          : ok(Number(size));
      }
      case 'HeapValidate': {
        const [heap, block] = [resolve(step.heap), resolve(step.address)];
        // Any address inside the sandbox heap's own segments may be validated (a freed block: FALSE, no last error).
        const inHeap =
          block === 0n ||
          this.blocks.get(heap)?.has(block) ||
          this.segments.get(this.ctx.allocationOf(block) ?? 0n) === heap;
        if (!this.blocks.has(heap) || !inHeap) return this.refuseHeap(heap, false, block);
        const valid = this.ctx.api.HeapValidate(heap, step.flags, block);
        this.ctx.record(
          `HeapValidate(${hex(heap)}, ${heapFlagText(step.flags)}, ${block === 0n ? 'NULL' : hex(block)}) = ${valid ? 'TRUE' : 'FALSE'}`,
        );
        // HeapValidate sets no last error either.
        return valid
          ? ok(true)
          : { ok: false, returned: false, lastError: null, exception: null, info: null };
      }
      case 'HeapWalk':
        return this.walk(resolve(step.heap));
      case 'HeapDestroy': {
        const heap = resolve(step.heap);
        if (!this.blocks.has(heap)) return this.refuseHeap(heap, false);
        return this.ctx.boolCall(
          `HeapDestroy(${hex(heap)})`,
          () => this.ctx.api.HeapDestroy(heap),
          () => {
            this.blocks.delete(heap);
            for (const [segment, owner] of this.segments)
              if (owner === heap) this.segments.delete(segment);
            return ok(true);
          },
        );
      }
    }
  }

  /** The segment (allocation) holding `address` belongs to the sandbox heap `heap`: Read and Write may touch it. */
  private ownSegment(heap: bigint, address: bigint): void {
    const base = this.ctx.allocationOf(address);
    if (base) this.segments.set(base, heap);
  }

  /** HeapAlloc / HeapReAlloc: the block, or the failure with what GetLastError says (reset first: these set it only sometimes). */
  private block(heap: bigint, text: string, call: () => number | bigint, old?: bigint): Outcome {
    this.ctx.api.SetLastError(0);
    const block = BigInt(call());
    if (block === 0n) {
      const code = this.ctx.api.GetLastError();
      this.ctx.record(
        `${text} = NULL${code ? `; GetLastError() = ${code} (${errorByCode(code).name})` : ''}`,
      );
      return {
        ok: false,
        returned: null,
        lastError: code ? errorByCode(code) : null,
        exception: null,
        info: null,
        address: 0n,
      };
    }
    this.ctx.record(`${text} = ${hex(block)}`);
    const blocks = this.blocks.get(heap)!;
    if (old !== undefined) blocks.delete(old);
    blocks.add(block);
    this.ownSegment(heap, block);
    return { ...ok(hex(block)), address: block };
  }

  /** A heap or block the sandbox did not create: no call (the process heap and every other belong to Node). */
  private refuseHeap(heap: bigint, returned: Outcome['returned'], block?: bigint): Outcome {
    const known = this.blocks.has(heap);
    this.ctx.record(
      `(no call made: ${known ? `${hex(block!)} is not a block the sandbox allocated from` : `${hex(heap)} is not a heap the sandbox created,`} ${known ? hex(heap) : 'and the live engine changes no other'})`,
    );
    return {
      ...fail(winError(known ? 'ERROR_INVALID_PARAMETER' : 'ERROR_INVALID_HANDLE'), returned),
      address: 0n,
    };
  }

  /** HeapWalk to the end (FALSE with ERROR_NO_MORE_ITEMS), each PROCESS_HEAP_ENTRY decoded as the simulator reports it. */
  private walk(heap: bigint): Outcome {
    if (!this.blocks.has(heap)) return this.refuseHeap(heap, 0);
    const entry = Buffer.alloc(PROCESS_HEAP_ENTRY_SIZE);
    const entries: Record<string, unknown>[] = [];
    while (this.ctx.api.HeapWalk(heap, entry)) entries.push(decodeHeapEntry(entry));
    const end = errorByCode(this.ctx.api.GetLastError());
    this.ctx.record(
      `HeapWalk(${hex(heap)}, &entry) x ${entries.length + 1}: ${entries.length} entries, then FALSE; GetLastError() = ${end.code} (${end.name})`,
    );
    return ok(entries.length, { entries, end });
  }
}
