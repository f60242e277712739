#!/usr/bin/env node
// Screenshots of the sandbox (a lesson under way) and the Physical memory view at 1024×700, in
// light and dark, English and Korean, for a person to look at: test-results/screenshots/classroom/.
// Needs `npm run build` first; starts its own `vmscope serve` on a free loopback port.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';

const out = resolve('test-results/screenshots/classroom');
mkdirSync(out, { recursive: true });

const serve = spawn(process.execPath, [resolve('bin/vmscope.mjs'), 'serve', '--port', '0'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let url = null;
let buffer = '';
for await (const chunk of serve.stdout) {
  buffer += String(chunk);
  const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(buffer);
  if (match) {
    url = match[0];
    break;
  }
}
if (!url) throw new Error(`vmscope serve printed no URL: ${buffer}`);

const browser = await chromium.launch({
  executablePath: process.env.VMSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  for (const scheme of ['light', 'dark']) {
    for (const language of ['en', 'ko']) {
      const context = await browser.newContext({
        viewport: { width: 1024, height: 700 },
        colorScheme: scheme,
        locale: language === 'ko' ? 'ko-KR' : 'en-US',
      });
      const page = await context.newPage();
      const name = (view) => resolve(out, `${view}-${scheme}-${language}.png`);
      await page.goto(`${url}#/sandbox`);
      await page.getByRole('combobox', { name: 'Lesson' }).selectOption('working-set');
      const next = page.getByRole('button', {
        name: language === 'ko' ? '다음 단계' : 'Next step',
      });
      for (let i = 0; i < 4; i++) {
        await next.click();
        await page.locator('.history li').nth(i).waitFor();
      }
      await page.screenshot({ path: name('sandbox') });
      await page.goto(`${url}#/physical`);
      await page.getByTestId('use-counts').waitFor();
      await page.screenshot({ path: name('physical') });
      await page.getByRole('tab').nth(2).click();
      await page.getByTestId('processes').waitFor();
      await page.screenshot({ path: name('physical-processes') });
      await context.close();
    }
  }
} finally {
  await browser.close();
  serve.kill('SIGTERM');
}
console.log(`screenshots in ${out}`);
