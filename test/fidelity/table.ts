/**
 * The ported table: what Wine's and ReactOS's conformance tests assert about Windows memory
 * management, rewritten as sandbox scripts (docs/sandbox-script.md) with the answer Windows gives
 * at each asserted step. Each row cites the test it comes from; a row Wine itself fails carries
 * `wine`, the reason, from which test/windows/wineDifferences.ts lists the known Wine deviations.
 *
 * Citations name the file and test function in the Wine tree (wine-mirror/wine) or the ReactOS
 * apitest (reactos/reactos), and the call whose result they assert; every asserted row gives the
 * assertion's line as `file.c:line@commit` (withLines), counted in that commit's file.
 */
import type { SandboxRunResult, StepResult } from '../../src/shared/sandboxScript';

/** What a step must answer. Only the fields given are compared. */
export interface Expect {
  ok: boolean;
  /** The returned value; a string `NAME` or `NAME+0xOFF` naming a bound address is resolved first. */
  returned?: unknown;
  /** GetLastError's code, or null for none. */
  error?: number | null;
  exception?: { name: string; access?: string; address?: string };
  /** A subset of `info` (MEMORY_BASIC_INFORMATION fields, write-watch addresses); addresses resolve as above. */
  info?: Record<string, unknown>;
}

export interface Row {
  step: Record<string, unknown>;
  /** null: a setup step whose result the source does not assert. */
  expect: Expect | null;
  /** File and test function, and the assertion. */
  source: string;
  /** Set when Wine fails this assertion (todo_wine or a known deviation): why. */
  wine?: string;
}

export interface FidelityCase {
  name: string;
  rows: Row[];
  /**
   * Set when the case needs something the live Windows engine does not make (a simulated file, a
   * thread's own stack): the cross-check under Wine skips it and says why.
   */
  simulatorOnly?: string;
}

// ---- expectation helpers ----

export const succeeds = (returned?: unknown): Expect =>
  returned === undefined ? { ok: true } : { ok: true, returned };
export const fails = (error: number | null, returned?: unknown): Expect => ({
  ok: false,
  error,
  ...(returned === undefined ? {} : { returned }),
});
export const mbi = (info: Record<string, unknown>): Expect => ({ ok: true, returned: 48, info });
export const raises = (name: string, access: string, address?: string): Expect => ({
  ok: false,
  exception: { name, access, ...(address ? { address } : {}) },
});
export const AV = 'EXCEPTION_ACCESS_VIOLATION';

export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_INVALID_ADDRESS = 487;
export const ERROR_NOACCESS = 998;
export const ERROR_ACCESS_DENIED = 5;
export const ERROR_NOT_ENOUGH_MEMORY = 8;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_ALREADY_EXISTS = 183;
export const ERROR_INVALID_HANDLE = 6;
export const ERROR_NOT_LOCKED = 158;

/** A builder that stamps each row with its file and test function. */
export function rowsFrom(file: string) {
  return (fn: string) =>
    (step: Record<string, unknown>, expect: Expect | null, what = '', wine?: string): Row => ({
      step,
      expect,
      source: `${file} ${fn}${what ? `: ${what}` : ''}`,
      ...(wine ? { wine } : {}),
    });
}

/**
 * The case with the line of each asserted row's assertion in its citation: `lines` are in the
 * asserted rows' order, in the file as it stood at `commit` (`file.c:348@b5be39cf test_X: …`).
 */
export function withLines(c: FidelityCase, commit: string, lines: readonly number[]): FidelityCase {
  const asserted = c.rows.filter((r) => r.expect).length;
  if (asserted !== lines.length)
    throw new Error(`${c.name}: ${lines.length} lines for ${asserted} asserted rows`);
  let next = 0;
  const rows = c.rows.map((row) =>
    row.expect
      ? {
          ...row,
          source: row.source.replace(/^((?:wine|reactos) \S+) /, `$1:${lines[next++]}@${commit} `),
        }
      : row,
  );
  return { ...c, rows };
}

// ---- checking a run ----

const NAMED = /^([A-Za-z_][A-Za-z0-9_]*)(?:([+-])(0x[0-9a-fA-F]+|\d+))?$/;

/** The names the run bound with `as`: the returned address, or 0 when the step failed (as the engines bind them). */
export function bindingsOf(
  rows: readonly Row[],
  steps: readonly StepResult[],
): Map<string, bigint> {
  const bound = new Map<string, bigint>();
  rows.forEach((row, i) => {
    const as = row.step['as'];
    if (typeof as !== 'string') return;
    const r = steps[i]!.returned;
    bound.set(as, steps[i]!.ok && typeof r === 'string' && r.startsWith('0x') ? BigInt(r) : 0n);
  });
  return bound;
}

/** `NAME+0xOFF` of a bound name → its hex address; anything else unchanged. */
export function resolveExpected(value: unknown, bound: Map<string, bigint>): unknown {
  if (typeof value !== 'string') return value;
  const m = NAMED.exec(value);
  if (!m || !bound.has(m[1]!)) return value;
  const offset = m[3] === undefined ? 0n : BigInt(m[3]);
  return `0x${(bound.get(m[1]!)! + (m[2] === '-' ? -offset : offset)).toString(16)}`;
}

/** The differences between a step's result and its expectation, as `field: expected X, got Y` lines. */
export function mismatches(expect: Expect, got: StepResult, bound: Map<string, bigint>): string[] {
  const out: string[] = [];
  const check = (field: string, want: unknown, have: unknown): void => {
    const resolved = Array.isArray(want)
      ? want.map((w) => resolveExpected(w, bound))
      : resolveExpected(want, bound);
    if (JSON.stringify(resolved) !== JSON.stringify(have))
      out.push(`${field}: expected ${JSON.stringify(resolved)}, got ${JSON.stringify(have)}`);
  };
  check('ok', expect.ok, got.ok);
  if ('returned' in expect) {
    // VirtualProtect returns a BOOL: the tables (ported from C that reads `old` afterwards) name the
    // old protection, which the result carries as its out-parameter, info.oldProtect.
    if (got.op === 'VirtualProtect' && typeof expect.returned === 'string') {
      check('returned', true, got.returned);
      check('info.oldProtect', expect.returned, got.info?.['oldProtect']);
    } else check('returned', expect.returned, got.returned);
  }
  if ('error' in expect) check('lastError', expect.error, got.lastError?.code ?? null);
  if (expect.exception) {
    check('exception.name', expect.exception.name, got.exception?.name ?? null);
    if (expect.exception.access)
      check('exception.access', expect.exception.access, got.exception?.access ?? null);
    if (expect.exception.address)
      check('exception.address', expect.exception.address, got.exception?.address ?? null);
  }
  const info = (got.info ?? {}) as Record<string, unknown>;
  for (const [key, want] of Object.entries(expect.info ?? {}))
    check(`info.${key}`, want, info[key]);
  return out;
}

/** Every asserted row of a run that does not answer as expected, with its index and source. */
export function failures(c: FidelityCase, run: SandboxRunResult): string[] {
  const bound = bindingsOf(c.rows, run.steps);
  return c.rows.flatMap((row, i) => {
    if (!row.expect) return [];
    const bad = mismatches(row.expect, run.steps[i]!, bound);
    return bad.length
      ? [`${c.name} step ${i} (${row.step['op'] as string}; ${row.source}): ${bad.join('; ')}`]
      : [];
  });
}

/** The case as a sandbox script. */
export const scriptOf = (c: FidelityCase): { steps: Record<string, unknown>[] } => ({
  steps: c.rows.map((r) => r.step),
});
