import { ALLOCATION_RULES } from '../../../shared/model';
import { NO_RULE } from '../../../shared/snapshotColumns';
import type { MappingClasses } from './mappingKinds';
import { isReserved } from './protection';
import { BLOCK } from '../../../shared/rowBlocks';
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
  const anonymous = Uint8Array.from(classes.list, (k) => (k.anonymous ? 1 : 0));
  for (let from = 0; from < s.count; from += BLOCK)
    startsOfBlock(s, classes.of, anonymous, starts, rules, from, Math.min(s.count, from + BLOCK));
  return { starts, rules };
}

const GUARD = ALLOCATION_RULES.indexOf('guard') + 1;
const RESERVE_TAIL = ALLOCATION_RULES.indexOf('reserve-tail') + 1;
const SAME_FILE = ALLOCATION_RULES.indexOf('same-file') + 1;

/** allocationStarts for mappings [from, to) (blocks: rowBlocks.ts). */
function startsOfBlock(
  s: SmapsScanner,
  classOf: Int32Array,
  anonymousClass: Uint8Array,
  starts: Int32Array,
  rules: Uint8Array,
  from: number,
  to: number,
): void {
  const { perms, inode, device, startHi, startLo, endHi, endLo } = s;
  const count = s.count;
  for (let i = from; i < to; i++) {
    starts[i] = i;
    // Joined to the mapping before it only where that one ends where this one starts.
    if (i === 0 || endLo[i - 1] !== startLo[i] || endHi[i - 1] !== startHi[i]) continue;
    let rule = NO_RULE;
    if (anonymousClass[classOf[i]!]) {
      if (!anonymousClass[classOf[i - 1]!]) continue;
      if (isReserved(perms[i]!)) {
        // A PROT_NONE anonymous mapping directly below an accessible anonymous one is its guard.
        const guards =
          i + 1 < count &&
          endLo[i] === startLo[i + 1] &&
          endHi[i] === startHi[i + 1] &&
          anonymousClass[classOf[i + 1]!] === 1 &&
          !isReserved(perms[i + 1]!);
        if (!guards) rule = RESERVE_TAIL;
      } else if (isReserved(perms[i - 1]!)) rule = GUARD;
    } else if (
      inode[i] !== 0 &&
      !anonymousClass[classOf[i - 1]!] &&
      inode[i - 1] === inode[i] &&
      device[i - 1] === device[i]
    ) {
      rule = SAME_FILE;
    }
    if (rule === NO_RULE) continue;
    starts[i] = starts[i - 1]!;
    rules[i] = rule;
    if (rules[i - 1] === NO_RULE) rules[i - 1] = rule;
  }
}
