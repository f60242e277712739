/** `region.pages` on the simulated source: the model's own page states (src/core/sim/pageStates.ts). */
import type { RegionPages } from '../../../shared/pageStates';
import { processPageRuns } from '../../sim/pageStates';
import type { SimProcess } from '../../sim/process';
import { type PageSpan, spanPages } from '../pageSpan';

export function readSimulatedPages(process: SimProcess, span: PageSpan): RegionPages {
  const runs = processPageRuns(process, Number(span.firstPage), span.pageCount);
  return spanPages(span, 'simulated', runs, [
    'soft-dirty: a Linux page-table bit, not part of the Windows model.',
  ]);
}
