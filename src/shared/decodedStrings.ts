import type { ExtraKind } from './extraColumns';

/**
 * Values of extra fields decoded from a column table's strings, once per distinct string: a
 * VmFlags list is the same few words for thousands of mappings, so each distinct list is one
 * frozen array shared by every region that has it (frozen, so no region can change another's).
 * A class, not closures: the code that builds regions calls it in its hot loop, and code
 * optimized around a closure made per snapshot was thrown away once that closure was collected.
 */
export class DecodedStrings {
  private readonly decoded = new Map<number, unknown>();

  constructor(private readonly strings: readonly string[]) {}

  /** The value of string `index` as a field of `kind`. */
  value(kind: ExtraKind, index: number): unknown {
    if (kind === 'string') return this.strings[index]!;
    let value = this.decoded.get(index);
    if (value === undefined) {
      const s = this.strings[index]!;
      value = Object.freeze(kind === 'words' ? (s === '' ? [] : s.split(' ')) : JSON.parse(s));
      this.decoded.set(index, value);
    }
    return value;
  }

  words(index: number): string[] {
    return this.value('words', index) as string[];
  }
}
