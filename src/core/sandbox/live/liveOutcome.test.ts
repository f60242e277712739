import { describe, expect, it } from 'vitest';
import { errorByCode } from './liveOutcome';
import { PROCESS_HEAP_ENTRY_SIZE } from '../../sources/windows/win32Structs';
import { decodeHeapEntry } from './windowsHeaps';

describe('errorByCode', () => {
  it('names the codes the simulator uses and the ones only real calls set; others by number', () => {
    expect(errorByCode(87)).toEqual({ code: 87, name: 'ERROR_INVALID_PARAMETER' });
    expect(errorByCode(487)).toEqual({ code: 487, name: 'ERROR_INVALID_ADDRESS' });
    expect(errorByCode(0x80000001)).toEqual({
      code: 0x80000001,
      name: 'STATUS_GUARD_PAGE_VIOLATION',
    });
    expect(errorByCode(299)).toEqual({ code: 299, name: 'ERROR_PARTIAL_COPY' });
    expect(errorByCode(12345)).toEqual({ code: 12345, name: 'ERROR_12345' });
  });
});

describe('decodeHeapEntry', () => {
  it("reads PROCESS_HEAP_ENTRY's x64 layout, with the Region union for region entries", () => {
    const buf = Buffer.alloc(PROCESS_HEAP_ENTRY_SIZE);
    buf.writeBigUInt64LE(0x7840000n, 0);
    buf.writeUInt32LE(0x1000, 8);
    buf.writeUInt8(0x10, 12);
    buf.writeUInt8(2, 13);
    buf.writeUInt16LE(0x0001, 14); // PROCESS_HEAP_REGION
    buf.writeUInt32LE(0x3000, 16);
    buf.writeUInt32LE(0xd000, 20);
    buf.writeBigUInt64LE(0x7840400n, 24);
    buf.writeBigUInt64LE(0x7850000n, 32);
    expect(decodeHeapEntry(buf)).toEqual({
      lpData: '0x7840000',
      cbData: 0x1000,
      cbOverhead: 0x10,
      iRegionIndex: 2,
      wFlags: 1,
      region: {
        dwCommittedSize: 0x3000,
        dwUnCommittedSize: 0xd000,
        lpFirstBlock: '0x7840400',
        lpLastBlock: '0x7850000',
      },
    });
    buf.writeUInt16LE(0x0004, 14); // PROCESS_HEAP_ENTRY_BUSY: a block, no region
    expect(decodeHeapEntry(buf)).not.toHaveProperty('region');
  });
});
