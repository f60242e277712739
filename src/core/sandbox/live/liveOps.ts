/**
 * What the op table's live side (core/sandbox/ops.ts) calls on a live child's memory backend.
 * LiveMemoryBase implements it; the table imports only this, so the backend can import the
 * table without an import circle.
 */
import type { ScriptOpName, ScriptStepOf } from '../../../shared/sandboxScript';
import type { AccessKind } from '../../../shared/winConstants';
import type { Outcome } from './liveOutcome';

export type HeapOp =
  | 'GetProcessHeap'
  | 'GetProcessHeaps'
  | 'HeapCreate'
  | 'HeapAlloc'
  | 'HeapFree'
  | 'HeapReAlloc'
  | 'HeapSize'
  | 'HeapValidate'
  | 'HeapWalk'
  | 'HeapDestroy';
export type FileMappingOp =
  | 'CreateFileMapping'
  | 'OpenFileMapping'
  | 'MapViewOfFile'
  | 'UnmapViewOfFile'
  | 'FlushViewOfFile'
  | 'CloseHandle';

export interface LiveOpTarget {
  virtualAlloc(step: ScriptStepOf<'VirtualAlloc'>): Outcome;
  virtualFree(step: ScriptStepOf<'VirtualFree'>): Outcome;
  virtualProtect(step: ScriptStepOf<'VirtualProtect'>): Outcome;
  virtualQuery(address: bigint): Outcome;
  queryWorkingSetEx(address: bigint): Outcome;
  lock(op: 'VirtualLock' | 'VirtualUnlock', address: bigint, size: bigint): Outcome;
  access(kind: AccessKind, address: bigint, size: bigint): Outcome;
  emptyWorkingSet(): Outcome;
  memoryInfo(): Outcome;
  systemInfo(): Outcome;
  unsupported(op: ScriptOpName, why?: 'process'): Outcome;
  setWorkingSetSize(step: ScriptStepOf<'SetProcessWorkingSetSize'>): Outcome;
  fileMapping(step: ScriptStepOf<FileMappingOp>): Outcome;
  heap(step: ScriptStepOf<HeapOp>): Outcome;
  writeWatch(step: ScriptStepOf<'GetWriteWatch' | 'ResetWriteWatch'>): Outcome;
}
