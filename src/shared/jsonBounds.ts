/**
 * Bounds checked on JSON before anything recursive touches it. JSON.parse itself is iterative
 * enough, but zod, structured clone (postMessage to a worker) and JSON.stringify recurse once per
 * level: a body nested 100,000 levels deep overflows their stack. These scans are loops, so they
 * cannot overflow, and they run before the parse, so a hostile document costs one pass over its
 * text and no memory.
 */
import { VmscopeError } from './errors';

/** The deepest JSON vmscope accepts in a request, a stream message or a file (a snapshot is 5 deep). */
export const MAX_JSON_DEPTH = 64;

export interface JsonShape {
  /** The deepest nesting of arrays and objects. */
  depth: number;
  /** How many objects (`{`) the text holds. */
  objects: number;
}

/** The nesting depth and object count of a JSON text, skipping strings; stops early once `stopAtDepth` is passed. */
export function jsonShape(text: string, stopAtDepth = Infinity): JsonShape {
  let depth = 0;
  let deepest = 0;
  let objects = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (c === 0x7b) objects++;
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stopAtDepth) break;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return { depth: deepest, objects };
}

function tooDeep(what: string): VmscopeError {
  return new VmscopeError(
    'invalid-input',
    `${what} is nested more than ${MAX_JSON_DEPTH} levels deep; vmscope refuses deeper JSON.`,
  );
}

/** JSON.parse, refusing text nested deeper than MAX_JSON_DEPTH with `invalid-input` (and bad JSON with `invalid-input`). */
export function parseBoundedJson(text: string, what: string): unknown {
  if (jsonShape(text, MAX_JSON_DEPTH).depth > MAX_JSON_DEPTH) throw tooDeep(what);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new VmscopeError('invalid-input', `${what} is not valid JSON: ${(err as Error).message}`);
  }
}

/**
 * The same bound on a value already in memory (an Electron IPC argument, an in-process call),
 * walked with an explicit stack. Cycles cannot come from JSON or structured clone; they would be
 * caught by the depth bound anyway.
 */
export function assertValueDepth(value: unknown, what: string): void {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v) || v instanceof ArrayBuffer)
      continue;
    if (d + 1 > MAX_JSON_DEPTH) throw tooDeep(what);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
}
