import { ALLOCATION_RULES, type AllocationRule } from '../../../shared/model';
import { NO_RULE } from '../../../shared/snapshotColumns';
import type { MappingClasses } from './mappingKinds';
import { isReserved } from './protection';
import type { SmapsScanner } from './smapsScanner';

/**
 * Which mappings form one allocation (VMMap's tree: an allocation and the regions inside it).
 * Linux keeps no record of the original mmap call, so this is inferred, and documented in
 * docs/linux-source.md:
 *
 * - File mappings (images included): adjacent mappings of the same file (device and inode) are one
 *   allocation, as ld.so maps an ELF object's segments side by side.
 * - Anonymous private memory: a PROT_NONE mapping directly below an accessible one is its guard
 *   (glibc, musl and most runtimes put a thread stack's guard page below the stack), so the two are
 *   one allocation starting at the guard; a PROT_NONE mapping that guards nothing belongs to the
 *   accessible mapping directly below it, as the uncommitted tail of a reservation (malloc arenas
 *   and JIT heaps reserve a range and make its low part accessible). Two adjacent accessible
 *   mappings stay separate: the kernel would have merged them had they come from one mmap with
 *   one protection, and mmap places unrelated mappings side by side all the time.
 * - Everything else ([heap], [stack], vDSO and friends) is an allocation of its own.
 *
 * Returns, for each mapping, the index of the first mapping of its allocation, and the rule that
 * grouped it (a `rule` column code: NO_RULE for a mapping that is an allocation of its own; the
 * first mapping of a group has the rule that joined the second to it).
 */
export function allocationStarts(
  s: SmapsScanner,
  classes: MappingClasses,
): { starts: Int32Array; rules: Uint8Array } {
  const starts = new Int32Array(s.count);
  const rules = new Uint8Array(s.count);
  const anonymous = (i: number): boolean => classes.list[classes.of[i]!]!.anonymous;
  const join = (i: number, rule: AllocationRule): void => {
    starts[i] = starts[i - 1]!;
    rules[i] = ALLOCATION_RULES.indexOf(rule) + 1;
    if (rules[i - 1] === NO_RULE) rules[i - 1] = rules[i]!;
  };
  for (let i = 0; i < s.count; i++) {
    starts[i] = i;
    if (i === 0 || !adjacent(s, i - 1)) continue;
    if (anonymous(i)) {
      if (!anonymous(i - 1)) continue;
      if (isReserved(s.perms[i]!)) {
        if (!guardsNext(s, classes, i)) join(i, 'reserve-tail');
      } else if (isReserved(s.perms[i - 1]!)) join(i, 'guard');
    } else if (
      s.inode[i] !== 0 &&
      !anonymous(i - 1) &&
      s.inode[i - 1] === s.inode[i] &&
      s.device[i - 1] === s.device[i]
    ) {
      join(i, 'same-file');
    }
  }
  return { starts, rules };
}

/** Mapping i ends where mapping i + 1 starts. */
function adjacent(s: SmapsScanner, i: number): boolean {
  return s.endLo[i] === s.startLo[i + 1] && s.endHi[i] === s.startHi[i + 1];
}

/** A PROT_NONE anonymous mapping directly below an accessible anonymous one is that one's guard. */
function guardsNext(s: SmapsScanner, classes: MappingClasses, i: number): boolean {
  return (
    i + 1 < s.count &&
    adjacent(s, i) &&
    classes.list[classes.of[i + 1]!]!.anonymous &&
    !isReserved(s.perms[i + 1]!)
  );
}
