/**
 * sandbox.read through the contract, on both engines: the simulated model's bytes (its written
 * pattern) and the live child's real bytes (the Write op stores 0xab), with holes for reserved pages.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../src/shared/api';
import type { MemoryChunk } from '../../src/shared/memoryContents';
import type { SandboxState } from '../../src/shared/sandboxSession';
import { dispatchCall } from '../../src/core/dispatch';
import { createService } from '../../src/core/service';
import { writtenLine } from '../../src/core/sim/writtenPages';

const MiB = 1024 * 1024;
const service = createService(undefined, undefined, {
  sandbox: {
    maxSessions: 2,
    liveCaps: { commitBytes: 8 * MiB, touchedBytes: 4 * MiB, reserveBytes: 64 * MiB },
  },
});
const opened: string[] = [];
afterAll(async () => {
  for (const session of opened) await dispatchCall(service, 'sandbox.close', { session });
});

async function call<T>(method: MethodName, input: unknown): Promise<T> {
  const r = await dispatchCall(service, method, input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

/** Reserves three pages, commits the middle one, writes to it; returns the reservation's base. */
async function prepare(engine: 'simulated' | 'live'): Promise<{ session: string; base: bigint }> {
  const { session } = await call<SandboxState>('sandbox.open', { engine });
  opened.push(session);
  const steps = [
    { op: 'VirtualAlloc', size: 0x3000, type: 'MEM_RESERVE', protect: 'PAGE_NOACCESS', as: 'base' },
    {
      op: 'VirtualAlloc',
      address: 'base+0x1000',
      size: 0x1000,
      type: 'MEM_COMMIT',
      protect: 'PAGE_READWRITE',
    },
    { op: 'Write', address: 'base+0x1000', size: 4 },
  ];
  for (const step of steps) await call('sandbox.step', { session, step });
  const state = await call<SandboxState>('sandbox.state', { session });
  return { session, base: BigInt(state.allocations[0]!.base) };
}

describe('sandbox.read', () => {
  it('reads the simulated model: the written pattern, and reserved pages as holes', async () => {
    const { session, base } = await prepare('simulated');
    const chunk = await call<MemoryChunk>('sandbox.read', {
      session,
      address: `0x${base.toString(16)}`,
      size: 0x3000,
    });
    expect(chunk.holes).toEqual([
      { offset: 0, size: 0x1000, reason: 'reserved' },
      { offset: 0x2000, size: 0x1000, reason: 'reserved' },
    ]);
    expect(Buffer.from(chunk.bytes.subarray(0x1000, 0x1040)).toString('latin1')).toBe(
      writtenLine(base + 0x1000n),
    );
  });

  it.runIf(process.platform === 'linux')(
    'reads the live child: the bytes its Write op stored',
    async () => {
      const { session, base } = await prepare('live');
      const chunk = await call<MemoryChunk>('sandbox.read', {
        session,
        address: `0x${(base + 0x1000n).toString(16)}`,
        size: 0x1000,
      });
      expect(chunk.holes).toEqual([]);
      expect(Array.from(chunk.bytes.subarray(0, 4))).toEqual([0xab, 0xab, 0xab, 0xab]);
      const around = await call<MemoryChunk>('sandbox.read', {
        session,
        address: `0x${base.toString(16)}`,
        size: 0x3000,
      });
      expect(around.holes.map((h) => [h.offset, h.size])).toEqual([
        [0, 0x1000],
        [0x2000, 0x1000],
      ]);
      expect(around.holes.every((h) => h.reason === 'no-access' || h.reason === 'guard')).toBe(
        true,
      );
    },
  );
});
