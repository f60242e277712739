/** `region.pages` on the simulated source: the model's own page states (src/core/sim/pageStates.ts). */
import { VmscopeError } from '../../../shared/errors';
import type { RegionPages } from '../../../shared/pageStates';
import { processPageRuns } from '../../sim/pageStates';
import { type PageSpan, spanPages } from '../pageSpan';
import type { Source } from '../source';
import type { SimulatedSource } from './simulatedSource';

export function readSimulatedPages(source: Source, span: PageSpan): RegionPages {
  const { machine } = source as SimulatedSource;
  machine.sync();
  const simulated = machine.find(span.pid);
  if (!simulated) throw new VmscopeError('process-exited', `There is no simulated process ${span.pid}: it has exited, or the id is wrong.`);
  const runs = processPageRuns(simulated.process, Number(span.firstPage), span.pageCount);
  return spanPages(span, 'simulated', runs, ['soft-dirty: a Linux page-table bit, not part of the Windows model.']);
}
