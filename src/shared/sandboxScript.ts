/**
 * The sandbox script: a JSON list of Windows memory-management steps, shared by the UI, the CLI
 * (`vmscope sandbox run`) and every engine. Documented in docs/sandbox-script.md.
 *
 * Parsing resolves flag names to numbers and address strings to expressions, and checks that
 * every `name+0xOFF` refers to a name an earlier step bound with `as`, so a malformed script is
 * rejected before any step runs, with the path of the bad field (`steps.3.size: ...`).
 */
import { z } from 'zod';
import { ENGINE_KINDS } from './engineKinds';
import { machineSettingsSchema } from './machineSettings';
import type { Region } from './model';
import { FILE_MAP_FLAGS, FLAG_VALUES, HEAP_FLAGS, WRITE_WATCH_FLAGS } from './winConstants';

/** `null`, an absolute address, or an offset from the address an earlier step bound with `as`. */
export type AddressExpr =
  | { kind: 'null' }
  | { kind: 'absolute'; value: bigint }
  | { kind: 'named'; name: string; offset: bigint };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAMED = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:([+-])\s*(0[xX][0-9a-fA-F]+|\d+))?$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;

/** A number, `0x` hex or decimal string → bigint; null when it is not one. */
function parseInteger(text: string): bigint | null {
  if (HEX.test(text) || /^\d+$/.test(text)) return BigInt(text);
  return null;
}

/** The largest value a 64-bit pointer or SIZE_T holds. */
export const MAX_U64 = (1n << 64n) - 1n;

const tooBig = (what: string, text: string): string =>
  `${text} does not fit in 64 bits: a 64-bit ${what} holds at most 0xffffffffffffffff`;

export function parseAddressExpr(value: null | number | string): AddressExpr | string {
  if (value === null) return { kind: 'null' };
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) return 'expected a non-negative whole number';
    return value === 0 ? { kind: 'null' } : { kind: 'absolute', value: BigInt(value) };
  }
  const text = value.trim();
  const absolute = parseInteger(text);
  if (absolute !== null) {
    if (absolute > MAX_U64) return tooBig('address', text);
    return absolute === 0n ? { kind: 'null' } : { kind: 'absolute', value: absolute };
  }
  const m = NAMED.exec(text);
  if (!m) return `expected null, a number, a 0x hex string or NAME+0xOFFSET, got "${value}"`;
  const [, name = '', sign, off] = m;
  const magnitude = off === undefined ? 0n : BigInt(off);
  if (magnitude > MAX_U64) return tooBig('offset', off!);
  return { kind: 'named', name, offset: sign === '-' ? -magnitude : magnitude };
}

const addressField = z
  .union([z.null(), z.number(), z.string()])
  .transform((value, ctx): AddressExpr => {
    const parsed = parseAddressExpr(value);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

/** A size in bytes: a whole number or a `0x` hex string (1 TiB is fine either way). */
const sizeField = z.union([z.number(), z.string()]).transform((value, ctx): bigint => {
  const parsed =
    typeof value === 'number'
      ? Number.isSafeInteger(value) && value >= 0
        ? BigInt(value)
        : null
      : parseInteger(value.trim());
  if (parsed === null) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a non-negative whole number of bytes, got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  if (parsed > MAX_U64) {
    ctx.addIssue({ code: 'custom', message: tooBig('SIZE_T', String(value).trim()) });
    return z.NEVER;
  }
  return parsed;
});

/** A flag name from `table`, an array of names (OR-ed), an "A|B" string, or a number. */
const namedFlags = (table: Readonly<Record<string, number>>, hint: string) =>
  z.union([z.number(), z.string(), z.array(z.string())]).transform((value, ctx): number => {
    if (typeof value === 'number') {
      if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
      ctx.addIssue({ code: 'custom', message: `expected a 32-bit flag value, got ${value}` });
      return z.NEVER;
    }
    const names = (Array.isArray(value) ? value : value.split('|')).map((n) => n.trim());
    let bits = 0;
    for (const name of names) {
      const known = table[name];
      const numeric = known === undefined ? parseInteger(name) : null;
      if (known === undefined && numeric === null) {
        ctx.addIssue({
          code: 'custom',
          message: `unknown flag "${name}" (use ${hint} or a number)`,
        });
        return z.NEVER;
      }
      bits = (bits | (known ?? Number(numeric))) >>> 0;
    }
    return bits;
  });

/** PAGE_* and MEM_* flags. */
export const flagsField = namedFlags(FLAG_VALUES, 'a PAGE_* or MEM_* name');
const heapFlags = namedFlags(HEAP_FLAGS, 'a HEAP_* name');
const fileMapAccess = namedFlags(FILE_MAP_FLAGS, 'a FILE_MAP_* name');
const writeWatchFlags = namedFlags(WRITE_WATCH_FLAGS, 'WRITE_WATCH_FLAG_RESET');

/** Heap and file-mapping ops may act in one of the simulated source's processes, by name (e.g. "leakysvc.exe"). */
const inProcess = { process: z.string().min(1).optional() };
/** A handle: a number, a hex string, or a name bound by an earlier step's `as`. */
const handleField = addressField;

/** SetProcessWorkingSetSize takes a byte count or -1 for (SIZE_T)-1. */
const workingSetBound = z.union([
  z.literal(-1),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
]);

const stepBase = {
  /** Bind the step's returned address to a name later steps can use as `name+0xOFF`. */
  as: z.string().regex(NAME, 'expected a name: letters, digits and _').optional(),
  /** Free text for the reader; ignored by engines. */
  note: z.string().optional(),
};

const step = <K extends string, T extends z.ZodRawShape>(op: K, shape: T) =>
  z.object({ op: z.literal(op), ...stepBase, ...shape }).strict();

/**
 * Every op a script may use, keyed by name. New ops (heaps, file mappings) are new entries here
 * and in the engine's op table; the format around them does not change.
 */
export const SCRIPT_OPS = {
  VirtualAlloc: step('VirtualAlloc', {
    address: addressField.prefault(null),
    size: sizeField,
    type: flagsField,
    protect: flagsField,
  }),
  VirtualFree: step('VirtualFree', {
    address: addressField,
    size: sizeField.prefault(0),
    type: flagsField,
  }),
  VirtualProtect: step('VirtualProtect', {
    address: addressField,
    size: sizeField,
    protect: flagsField,
    /** `null` passes a NULL lpflOldProtect (Windows fails with ERROR_NOACCESS). */
    oldProtect: z.null().optional(),
  }),
  VirtualQuery: step('VirtualQuery', { address: addressField }),
  /** One page's PSAPI_WORKING_SET_EX_BLOCK (QueryWorkingSetEx with one entry). */
  QueryWorkingSetEx: step('QueryWorkingSetEx', { address: addressField }),
  VirtualLock: step('VirtualLock', { address: addressField, size: sizeField }),
  VirtualUnlock: step('VirtualUnlock', { address: addressField, size: sizeField }),
  Read: step('Read', { address: addressField, size: sizeField.prefault(1) }),
  Write: step('Write', { address: addressField, size: sizeField.prefault(1) }),
  Execute: step('Execute', { address: addressField }),
  GetWriteWatch: step('GetWriteWatch', {
    flags: writeWatchFlags.prefault(0),
    address: addressField,
    size: sizeField,
    /** The room in lpAddresses: at most this many pages are reported (the ulpCount in). */
    count: z.number().int().nonnegative().max(0xffffffff).prefault(64),
  }),
  ResetWriteWatch: step('ResetWriteWatch', { address: addressField, size: sizeField }),
  SetProcessWorkingSetSize: step('SetProcessWorkingSetSize', {
    minimum: workingSetBound,
    maximum: workingSetBound,
  }),
  EmptyWorkingSet: step('EmptyWorkingSet', {}),
  GetProcessMemoryInfo: step('GetProcessMemoryInfo', {}),
  GetSystemInfo: step('GetSystemInfo', {}),
  GetProcessHeap: step('GetProcessHeap', { ...inProcess }),
  GetProcessHeaps: step('GetProcessHeaps', { ...inProcess }),
  HeapCreate: step('HeapCreate', {
    options: heapFlags.prefault(0),
    initialSize: sizeField.prefault(0),
    maximumSize: sizeField.prefault(0),
    ...inProcess,
  }),
  HeapAlloc: step('HeapAlloc', {
    heap: handleField,
    flags: heapFlags.prefault(0),
    size: sizeField,
    ...inProcess,
  }),
  HeapFree: step('HeapFree', {
    heap: handleField,
    flags: heapFlags.prefault(0),
    address: addressField,
    ...inProcess,
  }),
  HeapReAlloc: step('HeapReAlloc', {
    heap: handleField,
    flags: heapFlags.prefault(0),
    address: addressField,
    size: sizeField,
    ...inProcess,
  }),
  HeapSize: step('HeapSize', {
    heap: handleField,
    flags: heapFlags.prefault(0),
    address: addressField,
    ...inProcess,
  }),
  HeapValidate: step('HeapValidate', {
    heap: handleField,
    flags: heapFlags.prefault(0),
    address: addressField.prefault(null),
    ...inProcess,
  }),
  HeapWalk: step('HeapWalk', { heap: handleField, ...inProcess }),
  HeapDestroy: step('HeapDestroy', { heap: handleField, ...inProcess }),
  CreateFileMapping: step('CreateFileMapping', {
    /** A simulated file's path, or null for INVALID_HANDLE_VALUE (a pagefile-backed section). */
    file: z.string().min(1).nullable().prefault(null),
    protect: flagsField,
    /** The section's size in bytes (0: the file's size). */
    size: sizeField.prefault(0),
    name: z.string().min(1).nullable().prefault(null),
    ...inProcess,
  }),
  OpenFileMapping: step('OpenFileMapping', {
    access: fileMapAccess,
    name: z.string().min(1),
    ...inProcess,
  }),
  MapViewOfFile: step('MapViewOfFile', {
    handle: handleField,
    access: fileMapAccess,
    offset: sizeField.prefault(0),
    size: sizeField.prefault(0),
    /** A base address makes it MapViewOfFileEx. */
    address: addressField.prefault(null),
    ...inProcess,
  }),
  UnmapViewOfFile: step('UnmapViewOfFile', { address: addressField, ...inProcess }),
  FlushViewOfFile: step('FlushViewOfFile', {
    address: addressField,
    size: sizeField.prefault(0),
    ...inProcess,
  }),
  CloseHandle: step('CloseHandle', { handle: handleField, ...inProcess }),
} as const;

export type ScriptOpName = keyof typeof SCRIPT_OPS;
export const SCRIPT_OP_NAMES = Object.keys(SCRIPT_OPS) as ScriptOpName[];

const stepSchema = z.discriminatedUnion(
  'op',
  Object.values(SCRIPT_OPS) as unknown as [
    (typeof SCRIPT_OPS)[ScriptOpName],
    ...(typeof SCRIPT_OPS)[ScriptOpName][],
  ],
);
export type ScriptStep = z.output<typeof stepSchema>;
export type ScriptStepOf<K extends ScriptOpName> = z.output<(typeof SCRIPT_OPS)[K]>;

// The machine's settings live in their own module: the contract (api.ts) needs their schema, and
// importing it from here built every step's schema for every command.
export { MACHINE_DEFAULTS, type MachineSettings, machineSettingsSchema } from './machineSettings';

/**
 * Which engine runs the steps: `simulated`, the Windows model; `live`, real calls in a child
 * process (docs/sandbox.md). "Engine" in code means the object that runs steps
 * (core/sandbox/engine.ts); this is only its kind.
 */
export { ENGINE_KINDS, type EngineKind } from './engineKinds';

/** How many steps a script (or a session's history) may hold; more is a `limit-exceeded` error. */
export const MAX_SCRIPT_STEPS = 50_000;

/** The problem with a step that uses an address name no earlier step bound with `as`, or null. */
function unboundName(step: ScriptStep, bound: ReadonlySet<string>): string | null {
  if ('address' in step && step.address.kind === 'named' && !bound.has(step.address.name)) {
    return `"${step.address.name}" is not bound by an earlier step's "as"`;
  }
  return null;
}

export type ValidatedStep = { ok: true; step: ScriptStep } | { ok: false; errors: string[] };

/**
 * The one check of a next step, for the UI (before sending) and the service (before running):
 * the step's own fields, and its names against `bound`, the names earlier steps bound with `as`.
 * It looks at this step only, never at the history again. Errors name the field (`size: ...`).
 */
export function validateNextStep(raw: unknown, bound: ReadonlySet<string>): ValidatedStep {
  const result = stepSchema.safeParse(raw);
  if (!result.success) {
    return {
      ok: false,
      errors: result.error.issues.map(
        (issue) => `${issue.path.length ? issue.path.join('.') : 'step'}: ${issue.message}`,
      ),
    };
  }
  const unbound = unboundName(result.data, bound);
  return unbound ? { ok: false, errors: [`address: ${unbound}`] } : { ok: true, step: result.data };
}

/** The names a list of steps binds with `as` (script JSON or parsed steps). */
export function boundNames(steps: readonly object[]): Set<string> {
  return new Set(steps.flatMap((s) => ('as' in s && typeof s.as === 'string' ? [s.as] : [])));
}

export const sandboxScriptSchema = z
  .object({
    engine: z.enum(ENGINE_KINDS).optional(),
    machine: machineSettingsSchema.optional(),
    steps: z.array(stepSchema),
  })
  .strict()
  .superRefine((script, ctx) => {
    const bound = new Set<string>();
    script.steps.forEach((s, i) => {
      const unbound = unboundName(s, bound);
      if (unbound)
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'address'], message: unbound });
      if (s.as) bound.add(s.as);
    });
  });
export type SandboxScript = z.output<typeof sandboxScriptSchema>;

export type ParsedScript = { ok: true; script: SandboxScript } | { ok: false; errors: string[] };

/** Validate a script; on failure every problem as `path: reason` (e.g. `steps.3.size: ...`). */
export function parseSandboxScript(json: unknown): ParsedScript {
  const result = sandboxScriptSchema.safeParse(json);
  if (result.success) return { ok: true, script: result.data };
  return {
    ok: false,
    errors: result.error.issues.map(
      (issue) => `${issue.path.length ? issue.path.join('.') : '(script)'}: ${issue.message}`,
    ),
  };
}

// ---- Results (the JSON every engine prints) ----

export interface StepError {
  code: number;
  name: string;
}

export interface StepException {
  /** `0xc0000005` style. */
  code: string;
  name: string;
  address: string;
  access: 'read' | 'write' | 'execute';
}

export interface StepResult {
  op: ScriptOpName;
  ok: boolean;
  /** An address (hex), a protection name, a number, or true/false. */
  returned: string | number | boolean | null;
  lastError: StepError | null;
  exception: StepException | null;
  /** MEMORY_BASIC_INFORMATION for VirtualQuery, counters for GetProcessMemoryInfo, faults for accesses. */
  info: Record<string, unknown> | null;
}

/** A script's results on the simulated model: one result per step, then the address space at the end. */
export interface SandboxRunResult {
  steps: StepResult[];
  regions: Region[];
}
