import type { Page } from '@playwright/test';

/** Locators the memory-contents specs share (live processes and dumps). */

/** An address's hex digits without 0x and leading zeros, as the table's data-base has them. */
export const bare = (hex: string) => hex.replace(/^0x/, '').replace(/^0+/, '');
export const rowAt = (page: Page, address: string) =>
  page.locator(`.rt-row[data-base="0x${bare(address)}"]`).last();
export const contents = (page: Page) => page.getByLabel('Memory contents');
/** A hex row as text: 16 address digits, the bytes, the ASCII. */
export const hexRow = (page: Page, address: bigint) =>
  contents(page).locator('.hex-row', { hasText: address.toString(16).padStart(16, '0') });
