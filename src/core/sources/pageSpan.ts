/** The page range a `region.pages` call reads, checked and aligned once for every source. */
import { VmscopeError } from '../../shared/errors';
import { formatCount } from '../../shared/format';
import type { SourceId } from '../../shared/model';
import {
  MAX_PAGES_PER_QUERY,
  type PageStateRun,
  type RegionPages,
  regionPages,
} from '../../shared/pageStates';

export interface PageRange {
  pid: number;
  base: string;
  size: number;
}

/** The pages to read: the first one and how many, aligned to the source's page size. */
export interface PageSpan {
  pid: number;
  firstPage: bigint;
  pageCount: number;
  pageSize: number;
}

export function pageSpan(range: PageRange, pageSize: number): PageSpan {
  const base = BigInt(range.base);
  const page = BigInt(pageSize);
  if (base % page !== 0n) {
    throw new VmscopeError(
      'invalid-input',
      `The base ${range.base} is not on a page boundary (pages are ${pageSize} bytes).`,
    );
  }
  const pageCount = Math.ceil(range.size / pageSize);
  if (pageCount > MAX_PAGES_PER_QUERY) {
    throw new VmscopeError(
      'limit-exceeded',
      `${formatCount(pageCount)} pages asked for; page states are read for up to ${formatCount(MAX_PAGES_PER_QUERY)} pages ` +
        `(${(MAX_PAGES_PER_QUERY * pageSize) / 2 ** 30} GiB) a call. Ask for a part of the range.`,
    );
  }
  if (base + BigInt(pageCount) * page > 2n ** 64n) {
    throw new VmscopeError(
      'invalid-input',
      `The range ${range.base} + ${range.size} bytes runs past the end of the address space.`,
    );
  }
  return { pid: range.pid, firstPage: base / page, pageCount, pageSize };
}

/** The answer for a span: its runs and what the source could not tell. */
export function spanPages(
  span: PageSpan,
  source: SourceId,
  runs: PageStateRun[],
  unknown: string[],
): RegionPages {
  const base = `0x${(span.firstPage * BigInt(span.pageSize)).toString(16)}`;
  return regionPages(
    {
      source,
      pid: span.pid,
      base,
      size: span.pageCount * span.pageSize,
      pageSize: span.pageSize,
      unknown,
    },
    runs,
  );
}
