import { type Locator, type Page, expect } from '@playwright/test';

/** Locators the memory-contents specs share (live processes and dumps). */

/** An address's hex digits without 0x and leading zeros, as the table's data-base has them. */
export const bare = (hex: string) => hex.replace(/^0x/, '').replace(/^0+/, '');
export const rowAt = (page: Page, address: string) =>
  page.locator(`.rt-row[data-base="0x${bare(address)}"]`).last();
export const contents = (page: Page) => page.getByLabel('Memory contents');
/** A hex row as text: 16 address digits, the bytes, the ASCII. */
export const hexRow = (page: Page, address: bigint) =>
  contents(page).locator('.hex-row', { hasText: address.toString(16).padStart(16, '0') });

/**
 * The hex row of an address, wholly in view and drawn, for a click aimed at one of its bytes. The
 * hex view draws a fixed pool of row elements whose addresses change as it scrolls: an element
 * Playwright scrolls into view before clicking may show another address by the time it clicks.
 */
export async function settledHexRow(page: Page, address: bigint): Promise<Locator> {
  const row = hexRow(page, address);
  await row.scrollIntoViewIfNeeded();
  // The scroll event redraws the pool before the next frame; after two, the row is found afresh.
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => resolve())),
      ),
  );
  await expect(row).toBeInViewport({ ratio: 1 });
  return row;
}
