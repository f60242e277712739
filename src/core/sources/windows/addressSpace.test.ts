import { describe, expect, it } from 'vitest';
import { VmscopeError } from '../../../shared/errors';
import { MEM_FLAGS } from '../../../shared/winConstants';
import { regionLookup, walkAddressSpace } from './addressSpace';
import type { Win32 } from './bindings';
import type { ProcessHandle } from './processHandle';

const { MEM_COMMIT, MEM_FREE, MEM_PRIVATE } = MEM_FLAGS;
const STILL_ACTIVE = 259;

/**
 * VirtualQueryEx over a fixed list of [base, size, state] regions; past the last it fails, as it
 * does at any address in `failing` (with ERROR_ACCESS_DENIED, the process still running).
 */
function addressSpace(
  regions: Array<[bigint, bigint, number]>,
  failing: bigint[] = [],
  exitCode = STILL_ACTIVE,
): Win32 {
  return {
    GetLastError: () => 5,
    GetExitCodeProcess: (_h: unknown, code: Uint32Array) => {
      code[0] = exitCode;
      return 1;
    },
    VirtualQueryEx: (_h: unknown, address: bigint, buf: Buffer) => {
      const region = regions.find(([base, size]) => address >= base && address < base + size);
      if (!region || failing.includes(address)) return 0;
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
    expect(walk.truncated).toBeNull();
    expect(walk.regions.map((r) => [r.baseAddress, r.regionSize])).toEqual([
      [0n, 0x10000n],
      [0x10000n, 0x10000n],
      [0x20000n, 0x7fff0000n - 0x20000n],
    ]);
  });

  it('marks the walk truncated, with the reason, where a query fails below the limit', () => {
    const api = addressSpace(
      [
        [0n, 0x10000n, MEM_FREE],
        [0x10000n, 0x10000n, MEM_COMMIT],
        [0x20000n, 0x7fff00000000n, MEM_FREE],
      ],
      [0x20000n],
    );
    const walk = walkAddressSpace(api, process, 0x7ffffffeffffn);
    expect(walk.regions.map((r) => r.regionSize)).toEqual([0x10000n, 0x10000n]);
    expect(walk.truncated?.at).toBe(0x20000n);
    expect(walk.truncated?.reason).toMatch(
      /^VirtualQueryEx failed 3 times at 0x20000: .*process 1/,
    );
  });

  it('takes regions that end below the limit for a truncated walk too', () => {
    const api = addressSpace([
      [0n, 0x10000n, MEM_FREE],
      [0x10000n, 0x10000n, MEM_COMMIT],
    ]);
    expect(walkAddressSpace(api, process, 0x7ffffffeffffn).truncated?.at).toBe(0x20000n);
  });

  it('fails where the first query fails, and where the process exited mid-walk', () => {
    const regions: Array<[bigint, bigint, number]> = [
      [0n, 0x10000n, MEM_FREE],
      [0x10000n, 0x10000n, MEM_COMMIT],
    ];
    expect(() => walkAddressSpace(addressSpace(regions, [0n]), process, 0x1ffffn)).toThrow(
      VmscopeError,
    );
    expect(() => walkAddressSpace(addressSpace(regions, [0x10000n], 0), process, 0x1ffffn)).toThrow(
      expect.objectContaining({ code: 'process-exited' }),
    );
  });

  it('retries a failed query before giving up on it', () => {
    const regions: Array<[bigint, bigint, number]> = [
      [0n, 0x10000n, MEM_FREE],
      [0x10000n, 0x10000n, MEM_COMMIT],
    ];
    const api = addressSpace(regions);
    const query = api.VirtualQueryEx;
    let failures = 2;
    api.VirtualQueryEx = ((...args: Parameters<typeof query>) =>
      args[1] === 0x10000n && failures-- > 0 ? 0 : query(...args)) as typeof query;
    const walk = walkAddressSpace(api, process, 0x1ffffn);
    expect(walk.truncated).toBeNull();
    expect(walk.regions).toHaveLength(2);
  });
});

describe('regionLookup', () => {
  it('finds the region holding an address, and none past the walk', () => {
    const api = addressSpace([
      [0n, 0x10000n, MEM_FREE],
      [0x10000n, 0x10000n, MEM_COMMIT],
    ]);
    const lookup = regionLookup(walkAddressSpace(api, process, 0x1ffffn).regions);
    expect(lookup(0x18000n)?.baseAddress).toBe(0x10000n);
    expect(lookup(0x8000n)?.state).toBe(MEM_FREE);
    expect(lookup(0x30000n)).toBeNull();
  });
});
