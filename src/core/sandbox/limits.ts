/**
 * What one sandbox session may ask for, so no script can exhaust the service (docs/security.md,
 * docs/sandbox.md "Limits"). Each refusal is a `limit-exceeded` error naming the cap.
 */
import { VmscopeError } from '../../shared/errors';
import { MAX_SCRIPT_STEPS } from '../../shared/sandboxScript';

export interface SandboxLimits {
  /** Steps a script or a session's history may hold. */
  maxSteps: number;
  /** Bytes of pages the simulated sandbox process may have touched (each costs the simulator memory). */
  simulatedTouchedBytes: number;
  /** Wall time of one call (a step, a load, an undo) before it is stopped. */
  callMs: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  maxSteps: MAX_SCRIPT_STEPS,
  simulatedTouchedBytes: 1024 * 1024 * 1024,
  callMs: 60_000,
};

export function limitExceeded(cap: string, message: string): VmscopeError {
  return new VmscopeError('limit-exceeded', `${message} (cap: ${cap}).`);
}

const GiB = 2 ** 30;
/** Bytes as people read them in a refusal. */
export function bytesText(n: number): string {
  return n >= GiB ? `${+(n / GiB).toFixed(2)} GiB` : `${+(n / 2 ** 20).toFixed(2)} MiB`;
}
