/**
 * PAGE_* protection values as names. The low byte holds exactly one base protection; the
 * modifiers above it combine with it and are joined with `|` after it, as VMMap shows them.
 */

const BASE_PROTECTIONS: ReadonlyArray<readonly [number, string]> = [
  [0x01, 'PAGE_NOACCESS'],
  [0x02, 'PAGE_READONLY'],
  [0x04, 'PAGE_READWRITE'],
  [0x08, 'PAGE_WRITECOPY'],
  [0x10, 'PAGE_EXECUTE'],
  [0x20, 'PAGE_EXECUTE_READ'],
  [0x40, 'PAGE_EXECUTE_READWRITE'],
  [0x80, 'PAGE_EXECUTE_WRITECOPY'],
];

const MODIFIERS: ReadonlyArray<readonly [number, string]> = [
  [0x100, 'PAGE_GUARD'],
  [0x200, 'PAGE_NOCACHE'],
  [0x400, 'PAGE_WRITECOMBINE'],
  [0x40000000, 'PAGE_TARGETS_INVALID'],
];

/** The name of a protection value; null for 0 (reserved and free memory have none). */
export function protectionName(value: number): string | null {
  if (value === 0) return null;
  const names: string[] = [];
  const base = value & 0xff;
  const known = BASE_PROTECTIONS.find(([bit]) => bit === base);
  names.push(known ? known[1] : `0x${base.toString(16)}`);
  let rest = (value & ~0xff) >>> 0;
  for (const [bit, name] of MODIFIERS) {
    if (rest & bit) {
      names.push(name);
      rest = (rest & ~bit) >>> 0;
    }
  }
  // Bits no SDK names: kept as a number so nothing is silently dropped.
  if (rest) names.push(`0x${rest.toString(16)}`);
  return names.join('|');
}
