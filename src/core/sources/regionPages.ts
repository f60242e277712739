/** `region.pages`: the range checked once, then read by the source that knows its pages. */
import type { RegionPages } from '../../shared/pageStates';
import { type PageRange, pageSpan } from './pageSpan';
import type { Source } from './source';

// async: a bad range is a rejection, as every other source failure is.
export async function readRegionPages(source: Source, range: PageRange): Promise<RegionPages> {
  return source.pages(pageSpan(range, source.layout().pageSize));
}
