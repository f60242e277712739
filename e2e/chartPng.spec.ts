/**
 * The exported chart PNG (issue 18.6): axis text in the app's font, never the serif default an SVG
 * drawn as an image falls back to, and a legend of each chart's lines under it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, spawnSleeper, test } from './fixtures';

declare global {
  interface Window {
    serializedSvgs?: string[];
  }
}

test('the chart PNG draws its text in the app font and has a legend', async ({ page, served }) => {
  const sleeper = spawnSleeper();
  try {
    // Keeps what the exporter hands the image decoder: the charts' SVG as text.
    await page.addInitScript(() => {
      const serialize = XMLSerializer.prototype.serializeToString;
      XMLSerializer.prototype.serializeToString = function (node: Node): string {
        const text = serialize.call(this, node);
        (window.serializedSvgs ??= []).push(text);
        return text;
      };
    });
    await page.goto(served.url);
    await page.goto(`${served.origin}/#/watch?pid=${sleeper.pid}`);
    const panel = page.locator(`article[data-pid="${sleeper.pid}"]`);
    await expect(panel).toHaveAttribute('data-status', 'live');
    const chart = panel.locator('figure.timeline').first();
    await expect(chart.locator('path.timeline-line').first()).toHaveAttribute('d', /L/);
    const names = await chart
      .locator('path.timeline-line')
      .evaluateAll((paths) => paths.map((p) => (p as SVGElement).dataset['name']));
    expect(names.length).toBeGreaterThan(1);
    const chartHeight = (await chart.locator('svg.recharts-surface').boundingBox())!.height;
    const firstColour = (await chart.locator('path.timeline-line').first().getAttribute('stroke'))!;

    await page.evaluate(() => (window.serializedSvgs = []));
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    const image = readFileSync((await png.path())!);
    // For a person to look at, beside the screenshots.
    mkdirSync(resolve('test-results/screenshots'), { recursive: true });
    writeFileSync(resolve('test-results/screenshots/chart-export.png'), image);
    expect(image.subarray(1, 4).toString()).toBe('PNG');

    // Every text of every SVG drawn carries the page's own font and colour.
    const fonts = await page.evaluate(() => {
      const appFont = getComputedStyle(document.body).fontFamily;
      const texts = (window.serializedSvgs ?? []).flatMap((svg) => [
        ...new DOMParser().parseFromString(svg, 'image/svg+xml').querySelectorAll('text'),
      ]);
      return {
        appFont,
        count: texts.length,
        fonts: [...new Set(texts.map((t) => (t as SVGElement).style.fontFamily))],
        unfilled: texts.filter((t) => !(t as SVGElement).style.fill).length,
      };
    });
    expect(fonts.count).toBeGreaterThan(4);
    expect(fonts.fonts).toEqual([fonts.appFont]);
    expect(fonts.appFont).toMatch(/sans-serif$/);
    expect(fonts.unfilled).toBe(0);

    // Under the first chart (after its 20-pixel caption), a legend band: the first line's colour
    // as a swatch, and text.
    const band = await page.evaluate(
      async ({ base64, top, colour }) => {
        const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const ctx = canvas.getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        const rows = ctx.getImageData(0, top, bitmap.width, 18).data;
        const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(colour.slice(i, i + 2), 16));
        let swatch = 0;
        let ink = 0;
        const [br, bg, bb] = [rows[0]!, rows[1]!, rows[2]!];
        for (let i = 0; i < rows.length; i += 4) {
          const d = (x: number, y: number, z: number) =>
            Math.abs(rows[i]! - x) + Math.abs(rows[i + 1]! - y) + Math.abs(rows[i + 2]! - z);
          if (d(r!, g!, b!) < 40) swatch++;
          else if (d(br, bg, bb) > 200) ink++;
        }
        return { swatch, ink, height: bitmap.height };
      },
      { base64: image.toString('base64'), top: 20 + Math.round(chartHeight), colour: firstColour },
    );
    expect(band.swatch).toBeGreaterThan(20);
    expect(band.ink).toBeGreaterThan(50);
  } finally {
    sleeper.kill();
  }
});
