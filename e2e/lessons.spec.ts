/**
 * Every lesson, stepped through in the sandbox in English and in Korean: after each step the
 * explanation is the step's own text in that language, the history ends as the step expects, and
 * the grid and the counters show what the same steps give on the simulator run here in the test
 * (the pages committed and resident in each allocation, the working set, commit and faults).
 */
import type { Page } from '@playwright/test';
import { SimulatedEngine } from '../src/core/sandbox/simulatedEngine';
import { LESSONS } from '../src/shared/lessons';
import type { Lesson, LessonLanguage } from '../src/shared/lessons/lesson';
import type { EngineView } from '../src/core/sandbox/engine';
import { validateNextStep } from '../src/shared/sandboxScript';
import { expect, screenshot, test } from './fixtures';

/** What the simulator shows after each step of a lesson: one view per step. */
async function expectedViews(lesson: Lesson): Promise<EngineView[]> {
  const engine = new SimulatedEngine(lesson.machine);
  const bound = new Set<string>();
  const views: EngineView[] = [];
  for (const { step } of lesson.steps) {
    const checked = validateNextStep(step, bound);
    if (!checked.ok) throw new Error(checked.errors.join('; '));
    await engine.step(checked.step);
    if (checked.step.as) bound.add(checked.step.as);
    views.push(await engine.view());
  }
  engine.dispose();
  return views;
}

/** Pages of each allocation in the grid, by state and residency, counting folded rows. */
async function gridCounts(
  page: Page,
): Promise<Record<string, { committed: number; resident: number }>> {
  return page.locator('.pg-allocation').evaluateAll((sections) =>
    Object.fromEntries(
      sections.map((section) => {
        let committed = 0;
        let resident = 0;
        for (const cell of section.querySelectorAll<HTMLElement>(
          '.pg-cells .pg, [data-testid="pg-fold"]',
        )) {
          const pages = cell.dataset['rows'] ? Number(cell.dataset['rows']) * 16 : 1;
          if (cell.dataset['state'] === 'committed') committed += pages;
          if (cell.dataset['ws'] === 'true') resident += pages;
        }
        return [(section as HTMLElement).dataset['base']!, { committed, resident }];
      }),
    ),
  );
}

function expectedCounts(view: EngineView): Record<string, { committed: number; resident: number }> {
  return Object.fromEntries(
    view.allocations.map((a) => {
      let committed = 0;
      let resident = 0;
      for (const run of a.runs ?? []) {
        if (run.page.state === 'committed') committed += run.count;
        if (run.page.inWorkingSet === true) resident += run.count;
      }
      return [a.base, { committed, resident }];
    }),
  );
}

async function openLesson(page: Page, url: string, lesson: Lesson, language: LessonLanguage) {
  await page.addInitScript((lang) => localStorage.setItem('vmscope.language', lang), language);
  await page.goto(`${url}#/sandbox`);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
  await page
    .getByRole('combobox', { name: language === 'ko' ? '수업' : 'Lesson' })
    .selectOption(lesson.id);
  await expect(page.getByTestId('lesson-text')).toHaveText(lesson.intro[language]);
}

for (const language of ['en', 'ko'] as const) {
  for (const [number, lesson] of LESSONS.entries()) {
    test(`lesson ${number + 1} (${lesson.id}) in ${language}: grid, counters and explanation at every step`, async ({
      page,
      served,
    }) => {
      const views = await expectedViews(lesson);
      await openLesson(page, served.url, lesson, language);
      for (const [i, step] of lesson.steps.entries()) {
        await page
          .getByRole('button', { name: language === 'ko' ? '다음 단계' : 'Next step' })
          .click();
        await expect(page.locator('.history li')).toHaveCount(i + 1);
        await expect(page.getByTestId('lesson-text')).toHaveText(step.text[language]);
        const row = page.locator('.history li').nth(i);
        if (step.expect === 'ok') await expect(row).toHaveClass(/\bok\b/);
        else await expect(row).toContainText(step.expect);
        const view = views[i]!;
        // The counters strip shows the simulator's figures after this step.
        const counters = page.getByTestId('counters');
        await expect(counters.locator('[data-figure="workingSetSize"]')).toHaveAttribute(
          'data-value',
          String(view.counters.workingSetSize),
        );
        await expect(counters.locator('[data-figure="privateUsage"]')).toHaveAttribute(
          'data-value',
          String(view.counters.privateUsage ?? 0),
        );
        await expect(counters.locator('[data-figure="pageFaultCount"]')).toHaveAttribute(
          'data-value',
          String(view.counters.pageFaultCount),
        );
        // The grid: the same allocations, with the same pages committed and resident.
        await expect.poll(() => gridCounts(page)).toEqual(expectedCounts(view));
        if (view.machine) {
          await expect(
            page.getByTestId('machine-lists').locator('[data-figure="standby"]'),
          ).toHaveAttribute('data-value', String(view.machine.byList.standby));
        }
      }
      await expect(page.getByTestId('lesson-done')).toBeVisible();
      if (lesson.watch) {
        await expect(page.getByTestId('lesson-watch')).toHaveAttribute(
          'href',
          /#\/watch\?pid=\d+&source=simulated/,
        );
      }
      if (number === 0 || lesson.id === 'working-set')
        await screenshot(page, `lesson-${lesson.id}-${language}`);
    });
  }
}

test('a lesson step outlines what changed: the new pages in the grid and the moved counters', async ({
  page,
  served,
}) => {
  const lesson = LESSONS.find((l) => l.id === 'reserve-commit-free')!;
  await openLesson(page, served.url, lesson, 'en');
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByRole('button', { name: 'Next step' }).click();
  await page.getByRole('button', { name: 'Next step' }).click();
  // Step 3 commits 256 KiB: four rows of 16 pages changed (one drawn, three folded), and the
  // commit charge moved.
  const reservation = page.locator('.pg-allocation').first();
  await expect(reservation.locator('.pg-cells .pg-changed')).toHaveCount(16);
  await expect(reservation.locator('.pg-fold.changed')).toHaveAttribute('data-rows', '3');
  await expect(reservation.locator('.pg-fold:not(.changed)')).toHaveAttribute('data-rows', '11');
  // Nothing else moved.
  await expect(page.locator('.pg-cells .pg-changed')).toHaveCount(16);
  await expect(page.getByTestId('counters').locator('.figure.changed')).toHaveCount(1);
  await expect(page.getByTestId('counters').locator('.figure.changed')).toContainText('+256 KiB');
});
