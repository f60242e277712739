/**
 * A range's page states from QueryWorkingSetEx, asked about every page. A Valid page is in the
 * working set, with its ShareCount (which stops at 7), whether it is shared and locked. Of an
 * invalid page Windows says nothing more here, and no page's dirty bit is reported at all.
 */
import { VmscopeError } from '../../../shared/errors';
import {
  ABSENT_PAGE,
  PageRunBuilder,
  type PageState,
  type RegionPages,
} from '../../../shared/pageStates';
import { type PageSpan, spanPages } from '../pageSpan';
import { win32 } from './bindings';
import { failedCall, requireMemoryAccess, withProcess } from './processHandle';
import {
  fillWorkingSetQuery,
  pageAttributes,
  WORKING_SET_EX_ENTRY_SIZE,
  workingSetBits,
} from '../../win32/workingSetBits';

/** Pages per call: 8,192 entries are a 128 KiB buffer. */
const BATCH_PAGES = 8192;

export function pageState(attributes: number): PageState {
  const { valid, shareCount, locked } = workingSetBits(attributes);
  if (!valid) return ABSENT_PAGE;
  return {
    resident: true,
    swapped: null,
    // ShareCount 0 is a private page; it counts the working sets holding a shareable one.
    shared: shareCount > 1,
    shareCount: Math.max(1, shareCount),
    locked,
    dirty: null,
    softDirty: null,
  };
}

export function readWindowsPages(span: PageSpan): RegionPages {
  const api = win32();
  const builder = new PageRunBuilder();
  withProcess(api, span.pid, (process) => {
    requireMemoryAccess(process);
    const buf = Buffer.alloc(BATCH_PAGES * WORKING_SET_EX_ENTRY_SIZE);
    const page = BigInt(span.pageSize);
    for (let done = 0; done < span.pageCount;) {
      const pages = Math.min(BATCH_PAGES, span.pageCount - done);
      fillWorkingSetQuery(buf, (span.firstPage + BigInt(done)) * page, pages, span.pageSize);
      if (!api.QueryWorkingSetEx(process.handle, buf, pages * WORKING_SET_EX_ENTRY_SIZE)) {
        const err = failedCall(api, process, 'read the working set of');
        if (err.code === 'process-exited') throw err;
        // Wine answers QueryWorkingSetEx for the calling process only.
        throw new VmscopeError(
          'access-denied',
          `${err.message} Windows refused QueryWorkingSetEx, so its pages' states are unknown.`,
        );
      }
      for (let i = 0; i < pages; i++) builder.add(pageState(pageAttributes(buf, i)));
      done += pages;
    }
  });
  return spanPages(span, 'windows', builder.runs, [
    'swapped and dirty: QueryWorkingSetEx tells only whether a page is in the working set, not where an absent one is or whether it was written.',
  ]);
}
