/**
 * `region.pages`: the range checked once, then read by the source that knows its pages:
 * /proc/PID/pagemap on Linux, QueryWorkingSetEx on Windows, the model for the simulator.
 */
import type { RegionPages } from '../../shared/pageStates';
import { readLinuxPages } from './linux/pagemap';
import { type PageRange, pageSpan } from './pageSpan';
import { readSimulatedPages } from './simulated/simulatedPages';
import type { Source } from './source';
import { readWindowsPages } from './windows/workingSetPages';

export async function readRegionPages(source: Source, range: PageRange): Promise<RegionPages> {
  const span = pageSpan(range, source.layout().pageSize);
  switch (source.id) {
    case 'linux':
      return readLinuxPages(span);
    case 'windows':
      return readWindowsPages(span);
    case 'simulated':
      return readSimulatedPages(source, span);
  }
}
