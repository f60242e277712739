import type { AllocationRule } from './model';
import type { RegionsLike } from './regionList';

/** What each inference rule says, for the details pane and text output (docs/linux-source.md). */
export const ALLOCATION_RULE_TEXT: Record<AllocationRule, string> = {
  'same-file': 'adjacent mappings of the same file (device and inode) are taken as one object',
  guard: 'a PROT_NONE mapping directly below an accessible one is taken as its guard',
  'reserve-tail':
    'a PROT_NONE mapping directly above an accessible one is taken as the unused rest of its reservation',
  unrecorded: 'grouped by a version 1 file, which did not record the rule',
};

/** The rules that grouped the regions from `first` (`count` of them), each once, in order. */
export function allocationRules(
  regions: RegionsLike,
  first: number,
  count: number,
): AllocationRule[] {
  const rules = new Set<AllocationRule>();
  for (let i = first; i < first + count; i++) {
    const rule = regions.at(i)!.allocationRule;
    if (rule !== undefined) rules.add(rule);
  }
  return [...rules];
}
