import { describe, expect, it } from 'vitest';
import { MEM_FLAGS as M, PAGE_FLAGS as P } from '../../shared/winConstants';
import { readSimulatedMemory } from './pageContents';
import { writtenLine } from './writtenPages';
import type { WinResult } from './results';
import { createSimulation } from './simulation';

function value<T>(r: WinResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error}`);
  return r.value;
}

const PAGE = 4096;
const text = (bytes: Uint8Array, from: number, length: number): string =>
  Buffer.from(bytes.subarray(from, from + length)).toString('latin1');

describe('simulated memory contents', () => {
  it('reads zero for committed pages never written, and the written pattern after a write', () => {
    const p = createSimulation().process;
    const base = value(
      p.virtualAlloc(null, 4n * BigInt(PAGE), M.MEM_RESERVE | M.MEM_COMMIT, P.PAGE_READWRITE),
    );
    expect(p.access('write', base + BigInt(PAGE) + 10n, 1n).ok).toBe(true);
    const chunk = readSimulatedMemory(p, base, 4 * PAGE);
    expect(chunk.holes).toEqual([]);
    expect(chunk.bytes.subarray(0, PAGE).every((b) => b === 0)).toBe(true);
    const line = writtenLine(base + BigInt(PAGE));
    expect(text(chunk.bytes, PAGE, 64)).toBe(line);
    expect(text(chunk.bytes, 2 * PAGE - 64, 64)).toBe(line);
    expect(chunk.bytes.subarray(2 * PAGE).every((b) => b === 0)).toBe(true);
  });

  it('returns reserved, guard, no-access and free pages as holes, and reads zero again after decommit', () => {
    const p = createSimulation().process;
    const base = value(p.virtualAlloc(null, 0x10000n, M.MEM_RESERVE, P.PAGE_READWRITE));
    const page = (i: number): bigint => base + BigInt(i * PAGE);
    value(p.virtualAlloc(page(0), BigInt(PAGE), M.MEM_COMMIT, P.PAGE_READWRITE));
    value(p.virtualAlloc(page(1), BigInt(PAGE), M.MEM_COMMIT, P.PAGE_READWRITE | P.PAGE_GUARD));
    value(p.virtualAlloc(page(2), BigInt(PAGE), M.MEM_COMMIT, P.PAGE_NOACCESS));
    expect(p.access('write', page(0), 1n).ok).toBe(true);
    const chunk = readSimulatedMemory(p, page(0), 0x10000 + PAGE);
    expect(chunk.holes).toEqual([
      { offset: PAGE, size: PAGE, reason: 'guard' },
      { offset: 2 * PAGE, size: PAGE, reason: 'no-access' },
      { offset: 3 * PAGE, size: 0x10000 - 3 * PAGE, reason: 'reserved' },
      { offset: 0x10000, size: PAGE, reason: 'free' },
    ]);
    expect(text(chunk.bytes, 0, 64)).toBe(writtenLine(page(0)));
    value(p.virtualFree(page(0), BigInt(PAGE), M.MEM_DECOMMIT));
    value(p.virtualAlloc(page(0), BigInt(PAGE), M.MEM_COMMIT, P.PAGE_READWRITE));
    expect(readSimulatedMemory(p, page(0), PAGE).bytes.every((b) => b === 0)).toBe(true);
  });
});
