/** Every lesson, in the order a course takes them (the topics of the study notes). */
import { ALLOCATORS, HEAPS, MAPPED_FILES } from './heapsAndMappings';
import type { Lesson } from './lesson';
import { DEP, LEAK, PAGE_STATES, PROTECTION, WORKING_SET } from './pagesAndProtection';
import { ALLOC_FREE_RULES, DYNAMIC_ARRAY, GRANULARITY, RESERVE_COMMIT_FREE } from './virtualMemory';

export const LESSONS: readonly Lesson[] = [
  RESERVE_COMMIT_FREE,
  GRANULARITY,
  ALLOC_FREE_RULES,
  DYNAMIC_ARRAY,
  HEAPS,
  MAPPED_FILES,
  DEP,
  WORKING_SET,
  PAGE_STATES,
  PROTECTION,
  ALLOCATORS,
  LEAK,
];

export function lessonById(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}
