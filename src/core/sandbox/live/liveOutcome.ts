/**
 * Step outcomes in the public StepResult shape, as both live memory backends (Linux and Windows)
 * build them, and Win32 error names for the codes a real call sets.
 */
import type { StepError, StepResult } from '../../../shared/sandboxScript';
import { WIN_ERRORS, exceptionCodeHex, type AccessKind } from '../../../shared/winConstants';

/** What an op produced before it becomes a StepResult; `address` is what `as` binds. */
export type Outcome = Omit<StepResult, 'op'> & { address?: bigint };

export const ok = (returned: StepResult['returned'], info: StepResult['info'] = null): Outcome => ({
  ok: true,
  returned,
  lastError: null,
  exception: null,
  info,
});

export const fail = (
  error: StepError,
  returned: StepResult['returned'] = false,
  info: StepResult['info'] = null,
): Outcome => ({
  ok: false,
  returned,
  lastError: error,
  exception: null,
  info,
});

export const ERROR_NOT_SUPPORTED: StepError = { code: 50, name: 'ERROR_NOT_SUPPORTED' };

export function exceptionOutcome(
  name: 'EXCEPTION_ACCESS_VIOLATION' | 'STATUS_GUARD_PAGE_VIOLATION',
  address: bigint,
  access: AccessKind,
): Outcome {
  return {
    ok: false,
    returned: null,
    lastError: null,
    exception: { code: exceptionCodeHex(name), name, address: `0x${address.toString(16)}`, access },
    info: null,
  };
}

export const NOTHING_CALLED = 'Nothing was called.';
/** What a refusal says instead when the step had made real calls before it reached the cap (see `calls`). */
export const PARTLY_CALLED =
  'The calls listed were made before the cap was reached; the rest of the step was not done.';

/** A step over one of the caps: no (further) call is made. */
export function refused(what: string, bytes: number, cap: number, error: StepError): Outcome {
  const mib = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MiB`;
  return fail(error, false, {
    refused: `The live sandbox caps ${what} at ${mib(cap)}; this step would bring it to ${mib(bytes)}. ${NOTHING_CALLED}`,
  });
}

/** Codes a real call may set that the simulator never does, so WIN_ERRORS lacks them (winerror.h). */
const OTHER_ERRORS: Readonly<Record<number, string>> = {
  1: 'ERROR_INVALID_FUNCTION',
  50: 'ERROR_NOT_SUPPORTED',
  120: 'ERROR_CALL_NOT_IMPLEMENTED',
  299: 'ERROR_PARTIAL_COPY',
  1004: 'ERROR_INVALID_FLAGS',
};

const NAMES_BY_CODE = new Map<number, string>([
  ...Object.entries(OTHER_ERRORS).map(([code, name]) => [Number(code), name] as const),
  ...Object.entries(WIN_ERRORS).map(([name, info]) => [info.code, name] as const),
]);

/** GetLastError's value as `{code, name}`; a code without a known name is named by its number. */
export function errorByCode(code: number): StepError {
  return { code, name: NAMES_BY_CODE.get(code) ?? `ERROR_${code}` };
}
