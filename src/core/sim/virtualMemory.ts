/**
 * The Win32 memory calls of one simulated process that its heaps and file mappings are built on.
 * Heap and mappings take this interface, not SimProcess, so the process can own them without an
 * import circle (process -> heap -> process).
 */
import type { AccessKind } from '../../shared/winConstants';
import type { Machine } from './machine';
import type { AccessResult, WinResult } from './results';
import type { Section } from './sections';

export interface VirtualMemory {
  readonly machine: Machine;
  virtualAlloc(
    address: bigint | null,
    size: bigint,
    type: number,
    protect: number,
  ): WinResult<bigint>;
  virtualFree(address: bigint | null, size: bigint, type: number): WinResult<true>;
  mapView(
    section: Section,
    offsetPages: number,
    pages: number,
    protect: number,
    address: bigint | null,
  ): WinResult<bigint>;
  access(kind: AccessKind, address: bigint, size?: bigint): AccessResult;
}
