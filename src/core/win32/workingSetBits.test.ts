import { describe, expect, it } from 'vitest';
import {
  addPage,
  emptyWorkingSet,
  fillWorkingSetQuery,
  pageAttributes,
  WORKING_SET_EX_ENTRY_SIZE,
} from './workingSetBits';

const PAGE = 4096;
const VALID = 1;
const shareCount = (n: number): number => n << 1;
const SHARED = 1 << 15;
const LOCKED = 1 << 22;

describe('addPage', () => {
  it('ignores pages that are not resident', () => {
    const ws = emptyWorkingSet();
    addPage(ws, SHARED | shareCount(3) | LOCKED, PAGE);
    expect(ws).toEqual(emptyWorkingSet());
  });

  it('counts a resident page nobody shares as private', () => {
    const ws = emptyWorkingSet();
    addPage(ws, VALID, PAGE);
    expect(ws).toEqual({ total: PAGE, private: PAGE, shareable: 0, shared: 0, locked: 0 });
  });

  it('counts a shareable page mapped once as shareable only, and mapped twice as shared too', () => {
    const ws = emptyWorkingSet();
    addPage(ws, VALID | SHARED | shareCount(1), PAGE);
    expect(ws).toEqual({ total: PAGE, private: 0, shareable: PAGE, shared: 0, locked: 0 });
    addPage(ws, VALID | SHARED | shareCount(2), PAGE);
    expect(ws).toEqual({
      total: 2 * PAGE,
      private: 0,
      shareable: 2 * PAGE,
      shared: PAGE,
      locked: 0,
    });
  });

  it('counts locked pages', () => {
    const ws = emptyWorkingSet();
    addPage(ws, VALID | LOCKED, PAGE);
    expect(ws.locked).toBe(PAGE);
  });
});

describe('the QueryWorkingSetEx buffer', () => {
  it('asks for one page per entry and reads the attributes back', () => {
    const buf = Buffer.alloc(3 * WORKING_SET_EX_ENTRY_SIZE, 0xff);
    fillWorkingSetQuery(buf, 0x7ff600000000n, 3, PAGE);
    expect(buf.readBigUInt64LE(0)).toBe(0x7ff600000000n);
    expect(buf.readBigUInt64LE(16)).toBe(0x7ff600001000n);
    expect(buf.readBigUInt64LE(32)).toBe(0x7ff600002000n);
    expect(pageAttributes(buf, 2)).toBe(0);
    buf.writeUInt32LE(VALID | SHARED, 2 * WORKING_SET_EX_ENTRY_SIZE + 8);
    expect(pageAttributes(buf, 2)).toBe(VALID | SHARED);
  });
});
