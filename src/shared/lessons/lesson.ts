/**
 * A guided lesson: a sandbox script whose every step carries a short explanation, in English and
 * Korean, of what the step teaches and where to look. Lessons are data, so the sandbox's lesson
 * player, the tests and `vmscope sandbox run` all read the same scripts. The explanations are our
 * own words; the facts are those of the study notes and Microsoft's documentation.
 */

export const LESSON_LANGUAGES = ['en', 'ko'] as const;
export type LessonLanguage = (typeof LESSON_LANGUAGES)[number];

/** One text in every language a lesson is written in. */
export type Localized = Record<LessonLanguage, string>;

/** Where a step's effect shows: the page grid, the process counters, or the machine's page lists. */
export type LessonFocus = 'grid' | 'counters' | 'machine' | 'result';

export interface LessonStep {
  /** The script step, as a script writes it (docs/sandbox-script.md). */
  step: Record<string, unknown>;
  text: Localized;
  /** What the step does when it runs: `ok`, or the GetLastError or exception name it ends with. */
  expect: string;
  focus: LessonFocus;
}

export interface Lesson {
  id: string;
  title: Localized;
  /** What the lesson is about, before the first step. */
  intro: Localized;
  /** The simulated machine the lesson runs on (a small one makes paging visible). */
  machine?: { physicalMemory?: number; pagefileSize?: number };
  steps: LessonStep[];
  /** A process of the simulated source the lesson ends by watching (its name). */
  watch?: string;
}

/** A lesson as a sandbox script, as `vmscope sandbox run` takes it. */
export function lessonScript(lesson: Lesson): {
  engine: 'simulated';
  machine?: Lesson['machine'];
  steps: Record<string, unknown>[];
} {
  return {
    engine: 'simulated',
    ...(lesson.machine ? { machine: lesson.machine } : {}),
    steps: lesson.steps.map((s) => s.step),
  };
}
