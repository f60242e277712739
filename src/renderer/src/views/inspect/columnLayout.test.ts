import { describe, expect, it } from 'vitest';
import { defaultLayout, layoutText, parseLayout } from './columnLayout';
import { columnsFor } from './regionColumns';

const linux = columnsFor('linux');
const defaults = defaultLayout(linux);

describe('a stored column layout', () => {
  it('round-trips', () => {
    const layout = {
      order: [...defaults.order].reverse(),
      hidden: ['kind' as const],
      widths: { address: 200 },
    };
    expect(parseLayout(layoutText(layout), linux)).toEqual(layout);
  });

  it.each([
    ['missing', null],
    ['not JSON', '{"v":1,'],
    ['another version', JSON.stringify({ v: 2, order: [], hidden: [], widths: {} })],
    ['a width out of range', JSON.stringify({ v: 1, order: [], hidden: [], widths: { size: 9 } })],
    ['a column twice', JSON.stringify({ v: 1, order: ['size', 'size'], hidden: [], widths: {} })],
    ['an unknown field', JSON.stringify({ v: 1, order: [], hidden: [], widths: {}, x: 1 })],
    [
      'every column hidden',
      JSON.stringify({ v: 1, order: [], hidden: defaults.order, widths: {} }),
    ],
  ])('gives the defaults when %s', (_, text) => {
    expect(parseLayout(text, linux)).toEqual(defaults);
  });

  it('drops unknown columns and puts new ones after their default neighbour', () => {
    const stored = { v: 1, order: ['details', 'address', 'gone'], hidden: ['gone'], widths: {} };
    const layout = parseLayout(JSON.stringify(stored), linux);
    expect(layout.order[0]).toBe('details');
    expect(layout.order[1]).toBe('address');
    expect(layout.order[2]).toBe('kind');
    expect(new Set(layout.order)).toEqual(new Set(defaults.order));
    // Columns hidden by default that the store never named stay hidden.
    expect(layout.hidden).toEqual(expect.arrayContaining(['pss', 'swap', 'blocks']));
  });

  it('has Pss and Swap only for Linux', () => {
    expect(linux.map((c) => c.key)).toEqual(expect.arrayContaining(['pss', 'swap']));
    expect(columnsFor('windows').map((c) => c.key)).not.toContain('pss');
  });
});
