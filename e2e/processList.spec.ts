import { once } from 'node:events';
import { expect, screenshot, spawnSleeper, test } from './fixtures';

test.describe('the process list in the browser host', () => {
  test('finds, filters and sorts a process the test spawned', async ({ page, served }) => {
    const sleeper = spawnSleeper();
    try {
      await page.goto(served.url);
      // The token in the URL was traded for a cookie and removed from the address.
      await expect(page).toHaveURL(`${served.origin}/`);
      const row = page.locator(`tr[data-pid="${sleeper.pid}"]`);
      await expect(row).toBeVisible();
      await expect(row).toContainText('sleep');

      // A pid matches its process, and any command line holding those digits (Chromium's own
      // carry long numbers), so the other rows shown must all be of that kind.
      const digits = String(sleeper.pid);
      await page.getByLabel('Filter processes').fill(digits);
      await expect(row).toBeVisible();
      const unmatched = (): Promise<string[]> =>
        page.locator('tbody tr').evaluateAll(
          (rows, d) =>
            rows
              .map((r) => [r.getAttribute('data-pid'), r.getAttribute('title') ?? ''])
              .filter(([pid, title]) => pid !== d && !title!.includes(d))
              .map(([pid, title]) => `${pid}: ${title}`),
          digits,
        );
      await expect.poll(unmatched).toEqual([]);
      await screenshot(page, 'process-list-filtered');

      await page.getByLabel('Filter processes').fill('sleep');
      await expect(row).toBeVisible();
      await page.getByLabel('Filter processes').fill('');

      // Numeric columns sort largest first on the first click, and flip on the second.
      const pidHeader = page.getByRole('button', { name: /^PID/ });
      const pidColumn = page.getByRole('columnheader', { name: /^PID/ });
      const firstPids = async (): Promise<number[]> =>
        await page
          .locator('tbody tr')
          .evaluateAll((rows) => rows.slice(0, 8).map((r) => Number(r.getAttribute('data-pid'))));
      await pidHeader.click();
      await expect(pidColumn).toHaveAttribute('aria-sort', 'descending');
      const descending = await firstPids();
      expect(descending).toEqual([...descending].sort((a, b) => b - a));
      await pidHeader.click();
      await expect(pidColumn).toHaveAttribute('aria-sort', 'ascending');
      const ascending = await firstPids();
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
      expect(ascending[0]).toBeLessThan(descending[0]!);

      // Sorting by working set puts the largest first.
      await page.getByRole('button', { name: /^Working set/ }).click();
      await expect(page.getByRole('columnheader', { name: /Working set/ })).toHaveAttribute(
        'aria-sort',
        /ascending|descending/,
      );
      await screenshot(page, 'process-list');

      // Refresh after the process exits: it disappears.
      // Once reaped: a killed child stays in /proc as a zombie until its parent waits for it.
      const exited = once(sleeper, 'exit');
      sleeper.kill('SIGKILL');
      await exited;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect(row).toHaveCount(0);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  test('refuses requests without the token or from a foreign origin', async ({
    request,
    served,
  }) => {
    const noToken = await request.post(`${served.origin}/api/call`, {
      data: { method: 'system.info', input: {} },
    });
    expect(noToken.status()).toBe(401);
    const foreign = await request.post(`${served.origin}/api/call`, {
      data: { method: 'system.info', input: {} },
      headers: { authorization: `Bearer ${served.token}`, origin: 'http://attacker.example' },
    });
    expect(foreign.status()).toBe(403);
    const ok = await request.post(`${served.origin}/api/call`, {
      data: { method: 'system.info', input: {} },
      headers: { authorization: `Bearer ${served.token}` },
    });
    expect(ok.status()).toBe(200);
  });

  test('a page from another origin cannot use the API, even with the token', async ({
    page,
    served,
  }) => {
    // A hostile page on another origin that has learnt the token (the worst case: the token check
    // alone would let it in) makes a simple cross-origin call, which a browser sends without a
    // preflight. The host must refuse it on its Origin, not merely leave the answer unreadable.
    await page.route('http://attacker.test/', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>attacker</title>' }),
    );
    await page.goto('http://attacker.test/');
    const callUrl = `${served.origin}/api/call?token=${served.token}`;
    // The call goes to the host as the page sent it (its Origin header included), and the test
    // sees the host's answer, which the page itself may not read.
    let answer: { status: number; body: string; origin: string | undefined } | null = null;
    await page.route(callUrl, async (route) => {
      const response = await route.fetch();
      answer = {
        status: response.status(),
        body: await response.text(),
        origin: route.request().headers()['origin'],
      };
      await route.fulfill({ response });
    });
    const outcome = await page.evaluate(async (url) => {
      try {
        const r = await fetch(url, {
          method: 'POST',
          body: JSON.stringify({ method: 'processes.list', input: {} }),
          headers: { 'content-type': 'text/plain' },
        });
        return `status ${r.status}`;
      } catch {
        return 'blocked';
      }
    }, callUrl);
    expect(outcome).toMatch(/^(blocked|status 403)$/);
    expect(answer).toMatchObject({ status: 403, origin: 'http://attacker.test' });
    expect(JSON.parse(answer!.body)).toMatchObject({
      ok: false,
      error: {
        code: 'access-denied',
        message: expect.stringMatching(/^Origin "http:\/\/attacker\.test" may not use/),
      },
    });
  });
});
