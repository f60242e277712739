/**
 * A guided lesson in the sandbox: the intro, then one step at a time, each with its explanation in
 * the UI's language, where to look, and what it should end with; the rest of the view highlights
 * what the step changed.
 */
import { useTranslation } from 'react-i18next';
import { LESSONS } from '../../../../shared/lessons';
import type { Lesson, LessonLanguage } from '../../../../shared/lessons/lesson';
import { formatCall } from '../../../../shared/win32Call';

export interface LessonProgress {
  lesson: Lesson;
  /** How many of its steps have run. */
  ran: number;
}

export function LessonPlayer({
  progress,
  busy,
  json,
  watchHref,
  onNext,
  onRestart,
  onClose,
}: {
  progress: LessonProgress;
  busy: boolean;
  json: boolean;
  /** Where the lesson's watched process opens, once known. */
  watchHref: string | null;
  onNext: () => void;
  onRestart: () => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const language: LessonLanguage = i18n.language === 'ko' ? 'ko' : 'en';
  const { lesson, ran } = progress;
  const last = ran > 0 ? lesson.steps[ran - 1]! : null;
  const next = lesson.steps[ran] ?? null;
  const expected = (outcome: string): string => (outcome === 'ok' ? t('lesson.ok') : outcome);
  return (
    <section className="lesson" aria-label={t('lesson.label')} data-testid="lesson">
      <header>
        <h3>{lesson.title[language]}</h3>
        <span className="dim" data-testid="lesson-progress">
          {t('lesson.progress', {
            number: LESSONS.indexOf(lesson) + 1,
            total: LESSONS.length,
            step: ran,
            steps: lesson.steps.length,
          })}
        </span>
      </header>
      <p className="lesson-text" data-testid="lesson-text">
        {last ? last.text[language] : lesson.intro[language]}
      </p>
      {last && (
        <p className="dim lesson-meta">
          {t('lesson.lookAt', { where: t(`lesson.focus.${last.focus}`) })} ·{' '}
          {t('lesson.expected', { outcome: expected(last.expect) })}
        </p>
      )}
      <div className="lesson-actions">
        {next ? (
          <>
            <span className="dim">{t('lesson.nextCall')}</span>{' '}
            <code data-testid="lesson-next">
              {json ? JSON.stringify(next.step) : formatCall(next.step)}
            </code>
            <button type="button" onClick={onNext} disabled={busy}>
              {t('lesson.next')}
            </button>
          </>
        ) : (
          <>
            <strong data-testid="lesson-done">{t('lesson.done')}</strong>
            {lesson.watch && watchHref && (
              <a href={watchHref} data-testid="lesson-watch">
                {t('lesson.watchLeak', { name: lesson.watch })}
              </a>
            )}
          </>
        )}
        <span className="spacer" />
        <button type="button" onClick={onRestart} disabled={busy || ran === 0}>
          {t('lesson.restart')}
        </button>
        <button type="button" onClick={onClose}>
          {t('lesson.close')}
        </button>
      </div>
    </section>
  );
}
