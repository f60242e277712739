import { describe, expect, it } from 'vitest';
import { LESSONS } from '../../shared/lessons';
import { LESSON_LANGUAGES, lessonScript } from '../../shared/lessons/lesson';
import { parseSandboxScript } from '../../shared/sandboxScript';
import { runSimulated } from './simulatedEngine';

const HANGUL = /[\uac00-\ud7a3]/;

describe('lessons', () => {
  it('one per topic of the study notes, each with its own id', () => {
    expect(LESSONS).toHaveLength(12);
    expect(new Set(LESSONS.map((l) => l.id)).size).toBe(12);
  });

  for (const lesson of LESSONS) {
    it(`${lesson.id}: every step does on the simulator what its explanation says`, () => {
      const parsed = parseSandboxScript(lessonScript(lesson));
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const outcomes = runSimulated(parsed.script).steps.map(
        (r) => r.exception?.name ?? r.lastError?.name ?? (r.ok ? 'ok' : 'failed'),
      );
      expect(outcomes).toEqual(lesson.steps.map((s) => s.expect));
    });

    it(`${lesson.id}: written in English and Korean throughout`, () => {
      const texts = [lesson.title, lesson.intro, ...lesson.steps.map((s) => s.text)];
      for (const text of texts) {
        for (const language of LESSON_LANGUAGES) expect(text[language].trim()).not.toBe('');
        expect(text.ko).toMatch(HANGUL);
        expect(text.en).not.toMatch(HANGUL);
      }
    });
  }
});
