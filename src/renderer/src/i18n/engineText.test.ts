import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateNextStep } from '../../../shared/sandboxScript';
import { allocationLabelText, problemText } from './engineText';
import { i18next } from './index';

/** The schema's real messages for steps a learner gets wrong. */
function problemsOf(step: unknown, bound: string[] = []): string[] {
  const checked = validateNextStep(step, new Set(bound));
  if (checked.ok) throw new Error('expected the step to be refused');
  return checked.errors;
}

const WRONG_STEPS: unknown[] = [
  { op: 'VirtualAlloc', address: null, size: '', type: 'MEM_RESERVE', protect: 'PAGE_READWRITE' },
  {
    op: 'VirtualAlloc',
    address: null,
    size: '0x1ffffffffffffffff',
    type: 'MEM_RESERVE',
    protect: 'PAGE_READWRITE',
  },
  { op: 'VirtualAlloc', address: null, size: 4096, type: 'MEM_FOO', protect: 'PAGE_READWRITE' },
  { op: 'VirtualAlloc', address: 'x y', size: -1, type: 'MEM_RESERVE', protect: 5.5 },
  { op: 'VirtualAlloc', address: 'nowhere+0x10', size: 4096, type: 'MEM_COMMIT', protect: 4 },
  { op: 'VirtualAlloc', size: 4096, type: 'MEM_RESERVE' },
  { op: 'Nope' },
  { op: 'VirtualAlloc', address: null, size: 1, type: 'MEM_RESERVE', protect: 4, extra: 1 },
];
const PROBLEMS = WRONG_STEPS.flatMap((s) => problemsOf(s));

/** English words left in a Korean sentence, beyond identifiers, hex and quoted input. */
const englishWords = (text: string): string[] =>
  (text.replace(/"[^"]*"/g, '').match(/\b[a-z]{3,}\b/g) ?? []).filter((w) => !['step'].includes(w));

describe('engine text in Korean', () => {
  beforeAll(async () => {
    await i18next.changeLanguage('ko');
  });
  afterAll(async () => {
    await i18next.changeLanguage('en');
  });

  it('translates every schema message a wrong step gets, keeping its values', () => {
    expect(PROBLEMS.length).toBeGreaterThanOrEqual(9);
    for (const problem of PROBLEMS) {
      const shown = problemText(problem);
      expect(shown, problem).toMatchObject({ translated: true });
      expect(shown.text, problem).toMatch(/[\uac00-\ud7a3]/);
      expect(englishWords(shown.text), problem).toEqual([]);
    }
    expect(problemText(PROBLEMS[1]!).text).toContain('0x1ffffffffffffffff');
    expect(problemText(PROBLEMS[2]!).text).toContain('"MEM_FOO"');
    expect(problemText(PROBLEMS[2]!).text).toContain('PAGE_*, MEM_*');
  });

  it('names the field in Korean', () => {
    expect(problemText('size: expected a non-negative whole number').text).toBe(
      '크기: 0 이상의 정수여야 합니다',
    );
  });

  it('translates the labels of what process start makes, and keeps names as they are', () => {
    expect(allocationLabelText('Stack of thread 4246')).toEqual({
      text: '스레드 4246의 스택',
      translated: true,
    });
    expect(allocationLabelText('Process heap').text).toBe('프로세스 기본 힙');
    expect(allocationLabelText('Heap 3').text).toBe('힙 3');
    expect(allocationLabelText('TEB of thread 7').text).toBe('스레드 7의 TEB');
    expect(allocationLabelText('kernel32.dll')).toEqual({
      text: 'kernel32.dll',
      translated: false,
    });
  });

  it('marks a sentence it does not know as English rather than guessing', () => {
    expect(problemText('size: a message the schema does not have yet')).toEqual({
      text: 'size: a message the schema does not have yet',
      translated: false,
    });
  });
});

describe('engine text in English', () => {
  it('reads as the engine wrote it', () => {
    for (const problem of PROBLEMS.filter((p) => !p.includes('unknown flag')))
      expect(problemText(problem).text).toBe(problem);
    expect(allocationLabelText('Stack of thread 4246').text).toBe('Stack of thread 4246');
  });
});
