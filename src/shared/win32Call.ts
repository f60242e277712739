/**
 * A sandbox step as a Windows programmer writes it: `LPVOID a = VirtualAlloc(NULL, 0x100000,
 * MEM_RESERVE, PAGE_READWRITE) → 0x10000`, with the real parameter order, out-parameters
 * (`&old`, `&count`) and the return value as Windows defines it (a BOOL is TRUE or FALSE, a
 * failed pointer or handle is NULL). One formatter for the sandbox view, its exported transcript
 * and `vmscope sandbox run --format text`. Pure: no Node, no DOM.
 */
import {
  type AddressExpr,
  SCRIPT_OPS,
  type ScriptOpName,
  type ScriptStepOf,
  type StepResult,
} from './sandboxScript';
import { formatBytes } from './format';
import {
  FILE_MAP_FLAGS,
  HEAP_FLAGS,
  MEM_FLAGS,
  PAGE_FLAGS,
  WRITE_WATCH_FAILED,
  WRITE_WATCH_FLAGS,
} from './winConstants';

/** What a call returns, in Windows' own types: this decides how success and failure print. */
export type ReturnType =
  | 'LPVOID'
  | 'HANDLE'
  | 'BOOL'
  | 'SIZE_T'
  | 'UINT'
  | 'DWORD'
  | 'void'
  /** Not a call: a memory access (Read, Write, Execute), which succeeds or raises an exception. */
  | 'access';

type RawStep = Record<string, unknown>;

/** The text of each argument, in the author's own spelling where there is one (`0x100000`, `a+0x1000`). */
interface Args<K extends ScriptOpName> {
  step: ScriptStepOf<K>;
  raw: RawStep;
}

interface Signature<K extends ScriptOpName> {
  returns: ReturnType;
  /** The call's text, without the `as` assignment. */
  call: (a: Args<K>) => string;
  /** Out-parameters and what they received, on success: `old = PAGE_READWRITE`. */
  out?: (result: StepResult) => string[];
  /** The whole outcome of a successful step, where the return value alone would mislead. */
  succeeded?: (result: StepResult) => string;
}

const hex = (n: bigint | number): string => `0x${n.toString(16)}`;

export function addressText(expr: AddressExpr): string {
  if (expr.kind === 'null') return 'NULL';
  if (expr.kind === 'absolute') return hex(expr.value);
  if (expr.offset === 0n) return expr.name;
  return `${expr.name} ${expr.offset < 0n ? '-' : '+'} ${hex(expr.offset < 0n ? -expr.offset : expr.offset)}`;
}

/** A size as written (`0x100000` stays hex, 4096 stays decimal); a default as the parsed value. */
function sizeText(raw: unknown, parsed: bigint): string {
  if (typeof raw === 'string') return raw.trim();
  if (typeof raw === 'number') return String(raw);
  return String(parsed);
}

/** Flags by name, OR-ed as C writes them; a number is split into the names of its bits. */
function flagsText(raw: unknown, parsed: number, table: Readonly<Record<string, number>>): string {
  if (typeof raw === 'string' && raw.trim() !== '')
    return raw
      .split('|')
      .map((n) => n.trim())
      .join(' | ');
  if (Array.isArray(raw) && raw.length > 0) return raw.map(String).join(' | ');
  if (parsed === 0) return '0';
  const names: string[] = [];
  let rest = parsed;
  for (const [name, bit] of Object.entries(table).sort(([, a], [, b]) => b - a)) {
    if (bit !== 0 && (rest & bit) === bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  if (rest !== 0) names.push(hex(rest));
  return names.reverse().join(' | ');
}

const info = (r: StepResult, key: string): unknown => r.info?.[key];

/** PROCESS_MEMORY_COUNTERS fields a learner watches, by the counters' JSON name. */
const PMC_FIELDS = [
  ['workingSetSize', 'WorkingSetSize', formatBytes],
  ['privateUsage', 'PrivateUsage', formatBytes],
  ['pageFaultCount', 'PageFaultCount', String],
] as const;

/** The file a mapping is backed by: a simulated file's path, or the pagefile. */
const fileText = (file: string | null): string =>
  file === null ? 'INVALID_HANDLE_VALUE' : `hFile /* ${file} */`;
const nameText = (name: string | null): string =>
  name === null ? 'NULL' : `L"${name.replace(/\\/g, '\\\\')}"`;
const bigHalves = (n: bigint): string => `${hex(n >> 32n)}, ${hex(n & 0xffffffffn)}`;

const SIGNATURES: { [K in ScriptOpName]: Signature<K> } = {
  VirtualAlloc: {
    returns: 'LPVOID',
    call: ({ step, raw }) =>
      `VirtualAlloc(${addressText(step.address)}, ${sizeText(raw['size'], step.size)}, ${flagsText(raw['type'], step.type, MEM_FLAGS)}, ${flagsText(raw['protect'], step.protect, PAGE_FLAGS)})`,
  },
  VirtualFree: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `VirtualFree(${addressText(step.address)}, ${sizeText(raw['size'], step.size)}, ${flagsText(raw['type'], step.type, MEM_FLAGS)})`,
  },
  VirtualProtect: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `VirtualProtect(${addressText(step.address)}, ${sizeText(raw['size'], step.size)}, ${flagsText(raw['protect'], step.protect, PAGE_FLAGS)}, ${step.oldProtect === null ? 'NULL' : '&old'})`,
    out: (r) => [
      `old = ${typeof info(r, 'oldProtect') === 'string' ? String(info(r, 'oldProtect')) : '0'}`,
    ],
  },
  VirtualQuery: {
    returns: 'SIZE_T',
    call: ({ step }) => `VirtualQuery(${addressText(step.address)}, &mbi, sizeof(mbi))`,
    out: (r) => {
      const state = info(r, 'State');
      if (typeof state !== 'string') return [];
      const protect = info(r, 'Protect');
      const size = info(r, 'RegionSize');
      return [
        `mbi = { State ${state}${typeof protect === 'string' ? `, Protect ${protect}` : ''}${size !== undefined ? `, RegionSize ${typeof size === 'number' ? hex(size) : String(size)}` : ''} }`,
      ];
    },
  },
  QueryWorkingSetEx: {
    returns: 'BOOL',
    call: ({ step }) =>
      `QueryWorkingSetEx(GetCurrentProcess(), &info /* VirtualAddress ${addressText(step.address)} */, sizeof(info))`,
    out: (r) =>
      typeof info(r, 'Valid') === 'number'
        ? [
            `info.VirtualAttributes = { Valid ${String(info(r, 'Valid'))}, Win32Protection ${String(info(r, 'Win32Protection') ?? 0)}, Shared ${String(info(r, 'Shared'))}, ShareCount ${String(info(r, 'ShareCount'))} }`,
          ]
        : [],
  },
  VirtualLock: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `VirtualLock(${addressText(step.address)}, ${sizeText(raw['size'], step.size)})`,
  },
  VirtualUnlock: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `VirtualUnlock(${addressText(step.address)}, ${sizeText(raw['size'], step.size)})`,
  },
  Read: {
    returns: 'access',
    call: ({ step, raw }) =>
      `memcpy(buffer, ${addressText(step.address)}, ${sizeText(raw['size'], step.size)})`,
  },
  Write: {
    returns: 'access',
    call: ({ step, raw }) =>
      `memset(${addressText(step.address)}, 0xCC, ${sizeText(raw['size'], step.size)})`,
  },
  Execute: {
    returns: 'access',
    call: ({ step }) => `((void (*)(void))${addressText(step.address)})()`,
  },
  GetWriteWatch: {
    returns: 'UINT',
    call: ({ step, raw }) =>
      `GetWriteWatch(${flagsText(raw['flags'], step.flags, WRITE_WATCH_FLAGS)}, ${addressText(step.address)}, ${sizeText(raw['size'], step.size)}, addresses, &count /* ${step.count} */, &granularity)`,
    out: (r) =>
      typeof info(r, 'count') === 'number' ? [`count = ${String(info(r, 'count'))}`] : [],
  },
  ResetWriteWatch: {
    returns: 'UINT',
    call: ({ step, raw }) =>
      `ResetWriteWatch(${addressText(step.address)}, ${sizeText(raw['size'], step.size)})`,
  },
  SetProcessWorkingSetSize: {
    returns: 'BOOL',
    call: ({ step }) => {
      const bound = (n: number): string => (n === -1 ? '(SIZE_T)-1' : String(n));
      return `SetProcessWorkingSetSize(GetCurrentProcess(), ${bound(step.minimum)}, ${bound(step.maximum)})`;
    },
  },
  EmptyWorkingSet: {
    returns: 'BOOL',
    call: () => 'EmptyWorkingSet(GetCurrentProcess())',
  },
  GetProcessMemoryInfo: {
    returns: 'BOOL',
    call: () => 'GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc))',
    out: (r) => {
      const fields = PMC_FIELDS.flatMap(([key, name, text]) => {
        const value = info(r, key);
        return typeof value === 'number' ? [`${name} ${text(value)}`] : [];
      });
      return fields.length ? [`pmc = { ${fields.join(', ')} }`] : [];
    },
  },
  GetSystemInfo: {
    returns: 'void',
    call: () => 'GetSystemInfo(&si)',
    out: (r) => {
      const page = info(r, 'dwPageSize');
      const granularity = info(r, 'dwAllocationGranularity');
      return typeof page === 'number' && typeof granularity === 'number'
        ? [`si = { dwPageSize ${page}, dwAllocationGranularity ${granularity} }`]
        : [];
    },
  },
  GetProcessHeap: { returns: 'HANDLE', call: () => 'GetProcessHeap()' },
  GetProcessHeaps: { returns: 'DWORD', call: () => 'GetProcessHeaps(ARRAYSIZE(heaps), heaps)' },
  HeapCreate: {
    returns: 'HANDLE',
    call: ({ step, raw }) =>
      `HeapCreate(${flagsText(raw['options'], step.options, HEAP_FLAGS)}, ${sizeText(raw['initialSize'], step.initialSize)}, ${sizeText(raw['maximumSize'], step.maximumSize)})`,
  },
  HeapAlloc: {
    returns: 'LPVOID',
    call: ({ step, raw }) =>
      `HeapAlloc(${addressText(step.heap)}, ${flagsText(raw['flags'], step.flags, HEAP_FLAGS)}, ${sizeText(raw['size'], step.size)})`,
  },
  HeapFree: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `HeapFree(${addressText(step.heap)}, ${flagsText(raw['flags'], step.flags, HEAP_FLAGS)}, ${addressText(step.address)})`,
  },
  HeapReAlloc: {
    returns: 'LPVOID',
    call: ({ step, raw }) =>
      `HeapReAlloc(${addressText(step.heap)}, ${flagsText(raw['flags'], step.flags, HEAP_FLAGS)}, ${addressText(step.address)}, ${sizeText(raw['size'], step.size)})`,
  },
  HeapSize: {
    returns: 'SIZE_T',
    call: ({ step, raw }) =>
      `HeapSize(${addressText(step.heap)}, ${flagsText(raw['flags'], step.flags, HEAP_FLAGS)}, ${addressText(step.address)})`,
  },
  HeapValidate: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `HeapValidate(${addressText(step.heap)}, ${flagsText(raw['flags'], step.flags, HEAP_FLAGS)}, ${addressText(step.address)})`,
  },
  HeapWalk: {
    // The step walks to the end: TRUE once per entry, then FALSE with ERROR_NO_MORE_ITEMS.
    returns: 'BOOL',
    call: ({ step }) => `while (HeapWalk(${addressText(step.heap)}, &entry))`,
    succeeded: (r) =>
      `TRUE × ${String(r.returned)} (one per entry), then FALSE; GetLastError() = ERROR_NO_MORE_ITEMS (259)`,
  },
  HeapDestroy: {
    returns: 'BOOL',
    call: ({ step }) => `HeapDestroy(${addressText(step.heap)})`,
  },
  CreateFileMapping: {
    returns: 'HANDLE',
    call: ({ step, raw }) =>
      `CreateFileMappingW(${fileText(step.file)}, NULL, ${flagsText(raw['protect'], step.protect, PAGE_FLAGS)}, ${bigHalves(step.size)}, ${nameText(step.name)})`,
  },
  OpenFileMapping: {
    returns: 'HANDLE',
    call: ({ step, raw }) =>
      `OpenFileMappingW(${flagsText(raw['access'], step.access, FILE_MAP_FLAGS)}, FALSE, ${nameText(step.name)})`,
  },
  MapViewOfFile: {
    returns: 'LPVOID',
    call: ({ step, raw }) => {
      const args = `${addressText(step.handle)}, ${flagsText(raw['access'], step.access, FILE_MAP_FLAGS)}, ${bigHalves(step.offset)}, ${sizeText(raw['size'], step.size)}`;
      return step.address.kind === 'null'
        ? `MapViewOfFile(${args})`
        : `MapViewOfFileEx(${args}, ${addressText(step.address)})`;
    },
  },
  UnmapViewOfFile: {
    returns: 'BOOL',
    call: ({ step }) => `UnmapViewOfFile(${addressText(step.address)})`,
  },
  FlushViewOfFile: {
    returns: 'BOOL',
    call: ({ step, raw }) =>
      `FlushViewOfFile(${addressText(step.address)}, ${sizeText(raw['size'], step.size)})`,
  },
  CloseHandle: {
    returns: 'BOOL',
    call: ({ step }) => `CloseHandle(${addressText(step.handle)})`,
  },
};

export function returnTypeOf(op: ScriptOpName): ReturnType {
  return SIGNATURES[op].returns;
}

/** A failed call's return value as Windows defines it: NULL for pointers and handles. */
export function failedReturn(
  op: ScriptOpName,
  returned: StepResult['returned'],
): StepResult['returned'] {
  const type = returnTypeOf(op);
  return type === 'LPVOID' || type === 'HANDLE' ? null : returned;
}

function isOp(op: unknown): op is ScriptOpName {
  return typeof op === 'string' && Object.hasOwn(SCRIPT_OPS, op);
}

/**
 * The step as a C statement, without its outcome: `LPVOID a = VirtualAlloc(NULL, 0x10000,
 * MEM_RESERVE, PAGE_READWRITE)`. A step the script format rejects prints as its JSON.
 */
export function formatCall(raw: RawStep): string {
  const op = raw['op'];
  if (!isOp(op)) return JSON.stringify(raw);
  const parsed = SCRIPT_OPS[op].safeParse(raw);
  if (!parsed.success) return JSON.stringify(raw);
  const signature = SIGNATURES[op] as Signature<ScriptOpName>;
  const text = signature.call({ step: parsed.data as never, raw });
  const process = typeof raw['process'] === 'string' ? ` /* in ${raw['process']} */` : '';
  const as = typeof raw['as'] === 'string' ? raw['as'] : null;
  const declared =
    as && (signature.returns === 'LPVOID' || signature.returns === 'HANDLE')
      ? `${signature.returns} ${as} = `
      : '';
  return `${declared}${text}${process}`;
}

/** The returned value in Windows' terms: TRUE/FALSE, an address or NULL, a count, (UINT)-1. */
export function formatReturned(result: StepResult): string | null {
  const type = returnTypeOf(result.op);
  const r = result.returned;
  switch (type) {
    case 'access':
    case 'void':
      return null;
    case 'LPVOID':
    case 'HANDLE':
      return result.ok && typeof r === 'string' ? r : 'NULL';
    case 'BOOL':
      return result.ok ? 'TRUE' : 'FALSE';
    case 'UINT':
      return r === WRITE_WATCH_FAILED ? '(UINT)-1' : String(r ?? 0);
    case 'SIZE_T':
      return r === -1 ? '(SIZE_T)-1' : String(r ?? 0);
    case 'DWORD':
      return String(r ?? 0);
  }
}

/** What followed the call: the return value, out-parameters, GetLastError or the exception. */
export function formatOutcome(result: StepResult): string {
  const parts: string[] = [];
  if (result.exception) {
    const e = result.exception;
    parts.push(`${e.name} (${e.code}), ${e.access} at ${e.address}`);
  } else if (result.ok && SIGNATURES[result.op].succeeded) {
    parts.push(SIGNATURES[result.op].succeeded!(result));
  } else {
    const returned = formatReturned(result);
    if (returned !== null) parts.push(returned);
    else if (returnTypeOf(result.op) === 'access') parts.push('ok');
    const signature = SIGNATURES[result.op] as Signature<ScriptOpName>;
    if (result.ok && signature.out) parts.push(...signature.out(result));
  }
  if (result.lastError)
    parts.push(`GetLastError() = ${result.lastError.name} (${result.lastError.code})`);
  return parts.join('; ');
}

/** One step and its outcome on one line, as the history, transcripts and the CLI print it. */
export function formatStep(raw: RawStep, result: StepResult | null): string {
  const call = formatCall(raw);
  const outcome = result ? formatOutcome(result) : '';
  return outcome ? `${call} → ${outcome}` : call;
}
