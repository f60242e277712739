/** Messages between the service and the live sandbox child (child_process IPC, 'advanced' serialization). */
import type { VmError } from '../../../shared/errors';
import type { MemoryChunk } from '../../../shared/memoryContents';
import type { Counters } from '../../../shared/model';
import type { SandboxAllocation } from '../../../shared/sandboxSession';
import type { ScriptStep, StepResult } from '../../../shared/sandboxScript';

/** What the live engine refuses, so one sandbox cannot exhaust the machine. */
export interface LiveCaps {
  /** Committed bytes across the sandbox's allocations. */
  commitBytes: number;
  /** Bytes of pages the sandbox has touched (read or written). */
  touchedBytes: number;
  /** Reserved bytes (address space only, but the bookkeeping is per page). */
  reserveBytes: number;
}

export const DEFAULT_CAPS: LiveCaps = {
  commitBytes: 1024 * 1024 * 1024,
  touchedBytes: 256 * 1024 * 1024,
  reserveBytes: 16 * 1024 * 1024 * 1024,
};

export type ToChild =
  | { id: number; kind: 'init'; caps: LiveCaps; touchFile: string }
  | { id: number; kind: 'step'; step: ScriptStep }
  /** `step` died on a real guard page: clear that guard again (see LiveMemory.clearGuard). */
  | { id: number; kind: 'clearGuard'; step: ScriptStep }
  | { id: number; kind: 'view' }
  /** Read-only: the child reads its own memory (through the platform's source, so a guard or no-access page is a hole, never a fault). */
  | { id: number; kind: 'read'; address: string; size: number };

export type FromChild =
  | { id: number; kind: 'ready' }
  | { id: number; kind: 'step'; result: StepResult; calls: string[]; bound: Record<string, string> }
  | { id: number; kind: 'cleared'; calls: string[] }
  /** `counters` where the child reads its own (Windows); null where the service reads /proc. */
  | { id: number; kind: 'view'; allocations: SandboxAllocation[]; counters: Counters | null }
  | { id: number; kind: 'read'; chunk: MemoryChunk }
  | { id: number; kind: 'readFailed'; error: VmError };

/**
 * Written at offset 0 of the session's touch file right before each real access (a file write is
 * synchronous and never blocks on a reader, unlike a pipe), so after a crash the service knows
 * which access it was.
 */
export const TOUCH_LINE = /^touch (0x[0-9a-f]+) (read|write|execute)/;

export function touchRecord(address: number | bigint, access: string): string {
  return `touch 0x${address.toString(16)} ${access}`.padEnd(40, ' ');
}
