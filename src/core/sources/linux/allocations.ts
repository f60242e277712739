import { type MappingClass, fileKey } from './mappingKinds';
import { isReserved } from './protection';
import type { SmapsMapping } from './smapsScanner';

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
 * Returns, for each mapping, the index of the first mapping of its allocation.
 */
export function allocationStarts(mappings: readonly SmapsMapping[], classes: readonly MappingClass[]): Int32Array {
  const starts = new Int32Array(mappings.length);
  for (let i = 0; i < mappings.length; i++) {
    starts[i] = i;
    if (i === 0) continue;
    const m = mappings[i]!;
    const prev = mappings[i - 1]!;
    if (prev.end !== m.start) continue;
    const cls = classes[i]!;
    const prevCls = classes[i - 1]!;
    if (cls.anonymous) {
      if (!prevCls.anonymous) continue;
      const joins = isReserved(m.perms)
        ? !guardsNext(mappings, classes, i)
        : isReserved(prev.perms);
      if (joins) starts[i] = starts[i - 1]!;
    } else if (m.inode !== 0 && !prevCls.anonymous && prev.inode === m.inode && fileKey(prev) === fileKey(m)) {
      starts[i] = starts[i - 1]!;
    }
  }
  return starts;
}

/** A PROT_NONE anonymous mapping directly below an accessible anonymous one is that one's guard. */
function guardsNext(mappings: readonly SmapsMapping[], classes: readonly MappingClass[], i: number): boolean {
  const next = mappings[i + 1];
  return (
    next !== undefined &&
    next.start === mappings[i]!.end &&
    classes[i + 1]!.anonymous &&
    !isReserved(next.perms)
  );
}
