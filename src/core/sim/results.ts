/** What a simulated API call or memory access returns: Windows' error or exception, as values. */
import type { AccessKind, WinErrorName, WinExceptionName } from '../../shared/winConstants';

export type WinResult<T> = { ok: true; value: T } | { ok: false; error: WinErrorName };

export const success = <T>(value: T): WinResult<T> => ({ ok: true, value });
export const failure = <T = never>(error: WinErrorName): WinResult<T> => ({ ok: false, error });

/** An exception a memory access raised (EXCEPTION_RECORD: code, faulting address, access kind). */
export interface SimException {
  name: WinExceptionName;
  address: bigint;
  access: AccessKind;
}

/** Faults an access took, by kind. Demand-zero faults are soft faults. */
export interface FaultTally {
  demandZero: number;
  soft: number;
  hard: number;
}

export type AccessResult =
  { ok: true; faults: FaultTally } | { ok: false; exception: SimException; faults: FaultTally };
