// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DetailsPane } from './DetailsPane';
import { inspectorRegions } from './inspectorFixture';

afterEach(cleanup);

describe('DetailsPane', () => {
  it('shows the region’s measures from the field catalog, the working set on one line', () => {
    const heap = inspectorRegions[3]!;
    render(<DetailsPane region={heap} allocation={null} live={null} />);
    const details = screen.getByLabelText('Region details');
    const terms = [...details.querySelectorAll('dt')].map((dt) => dt.textContent);
    expect(terms).toEqual(expect.arrayContaining(['Size', 'Committed', 'Working set']));
    const line = [...details.querySelectorAll('dt')].find((dt) => dt.textContent === 'Working set')!
      .nextElementSibling!.textContent;
    expect(line).toBe(
      '8.00 KiB total · 4.00 KiB private · 0 B shareable · 0 B shared · 0 B locked',
    );
  });
});
