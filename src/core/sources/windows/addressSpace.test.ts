import { describe, expect, it } from 'vitest';
import { MEM_FLAGS } from '../../../shared/winConstants';
import { regionLookup, walkAddressSpace } from './addressSpace';
import type { Win32 } from './bindings';
import type { ProcessHandle } from './processHandle';

const { MEM_COMMIT, MEM_FREE, MEM_PRIVATE } = MEM_FLAGS;

/** VirtualQueryEx over a fixed list of [base, size, state] regions; past the last it fails. */
function addressSpace(regions: Array<[bigint, bigint, number]>): Win32 {
  return {
    VirtualQueryEx: (_h: unknown, address: bigint, buf: Buffer) => {
      const region = regions.find(([base, size]) => address >= base && address < base + size);
      if (!region) return 0;
      const [base, size, state] = region;
      buf.fill(0);
      buf.writeBigUInt64LE(base, 0);
      buf.writeBigUInt64LE(state === MEM_FREE ? 0n : base, 8);
      buf.writeBigUInt64LE(size, 24);
      buf.writeUInt32LE(state, 32);
      buf.writeUInt32LE(state === MEM_FREE ? 0 : MEM_PRIVATE, 40);
      return 48;
    },
  } as unknown as Win32;
}

const process: ProcessHandle = { pid: 1, handle: 1n, canReadMemory: true };

describe('walkAddressSpace', () => {
  it('cuts the region that reaches past the limit, as a WOW64 process’s range ends at 2 GiB', () => {
    const api = addressSpace([
      [0n, 0x10000n, MEM_FREE],
      [0x10000n, 0x10000n, MEM_COMMIT],
      [0x20000n, 0x7fff00000000n, MEM_FREE],
    ]);
    const walk = walkAddressSpace(api, process, 0x7ffeffffn);
    expect(walk.map((r) => [r.baseAddress, r.regionSize])).toEqual([
      [0n, 0x10000n],
      [0x10000n, 0x10000n],
      [0x20000n, 0x7fff0000n - 0x20000n],
    ]);
  });

  it('leaves the walk as it is where the regions end below the limit', () => {
    const api = addressSpace([[0n, 0x10000n, MEM_FREE], [0x10000n, 0x10000n, MEM_COMMIT]]);
    expect(walkAddressSpace(api, process, 0x7ffffffeffffn).map((r) => r.regionSize)).toEqual([0x10000n, 0x10000n]);
  });
});

describe('regionLookup', () => {
  it('finds the region holding an address, and none past the walk', () => {
    const api = addressSpace([[0n, 0x10000n, MEM_FREE], [0x10000n, 0x10000n, MEM_COMMIT]]);
    const lookup = regionLookup(walkAddressSpace(api, process, 0x7ffeffffn));
    expect(lookup(0x18000n)?.baseAddress).toBe(0x10000n);
    expect(lookup(0x8000n)?.state).toBe(MEM_FREE);
    expect(lookup(0x30000n)).toBeNull();
  });
});
