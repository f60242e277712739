import { expect, test } from './fixtures';

test('a route set while the page is starting is followed, not lost', async ({ page, served }) => {
  // Change the hash right after React's first commit, before its effects run: a MutationObserver
  // fires at the end of the task that filled #root, and passive effects run in a later task. The
  // hashchange of that moment has no listener yet; the view must still follow the hash.
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      const root = document.getElementById('root');
      if (!root?.firstChild) return;
      observer.disconnect();
      location.hash = '#/sandbox';
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await page.goto(served.url);
  await expect(page).toHaveURL(/#\/sandbox$/);
  await expect(page.getByLabel('History')).toBeVisible();
});
