/** Errors are values: a code a program can switch on and a message a person can act on. */

export const ERROR_CODES = [
  'invalid-input',
  'unknown-method',
  'process-exited',
  'access-denied',
  'source-unavailable',
  'not-found',
  'malformed-file',
  'limit-exceeded',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface VmError {
  code: ErrorCode;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: VmError };

/** Thrown inside the core and turned into an error value at the boundary. */
export class VmscopeError extends Error implements VmError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'VmscopeError';
    this.code = code;
  }
}

export function isVmError(value: unknown): value is VmError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as VmError).message === 'string' &&
    (ERROR_CODES as readonly string[]).includes((value as VmError).code)
  );
}

/** Any thrown thing as an error value; unknown failures become `internal`. */
export function toVmError(err: unknown): VmError {
  if (err instanceof VmscopeError) return { code: err.code, message: err.message };
  if (isVmError(err)) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}
