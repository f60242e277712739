/**
 * The memory-contents streams behind process.search, process.strings and region.stats: each reads
 * the chosen regions chunk by chunk, sends what it found with its progress, and stops when asked,
 * at the end, or at its result cap. At most MAX_CONCURRENT_SCANS run at once per service.
 */
import { formatAddress } from '../../shared/address';
import type { StreamMessage } from '../../shared/api';
import { VmscopeError, toVmError } from '../../shared/errors';
import {
  MAX_CONCURRENT_SCANS,
  MAX_SEARCH_MATCHES,
  MAX_STRINGS,
  type ContentStats,
  type FoundString,
  type ScanProgress,
  type SearchEvent,
  type SearchKind,
  type SearchMatch,
  type StatsEvent,
  type StringEncoding,
  type StringsEvent,
  patternBytes,
} from '../../shared/memoryScan';
import { nativePlatform } from '../platform';
import type { Source } from '../sources/source';
import { type ScanStep, memoryReader, newProgress, scanChunks } from './chunkScan';
import { ContentStatsBuilder } from './contentStats';
import { scanTargets } from './scanTargets';
import { findInChunk } from './searchChunk';
import { STRINGS_OVERLAP, StringScanner } from './stringScanner';

type Emit<E> = (message: StreamMessage<E>) => void;

/** Counts the scans running, and refuses one more than the cap. */
export class ScanSlots {
  private running = 0;
  constructor(readonly max = MAX_CONCURRENT_SCANS) {}

  take(): () => void {
    if (this.running >= this.max)
      throw new VmscopeError(
        'limit-exceeded',
        `${this.running} memory scans are running already (the most at once is ${this.max}); cancel one or wait for it to finish.`,
      );
    this.running++;
    let released = false;
    return () => {
      if (!released) this.running--;
      released = true;
    };
  }
}

/** Reads of vmscope's own process are allowed, and labelled: they show vmscope's own buffers. */
export function isOwnProcess(source: Source, pid: number): boolean {
  return source.id === nativePlatform?.sourceId && pid === process.pid;
}

/** What every scan event carries besides what was found: progress, the end, the own-process label. */
type ScanEnvelope = Pick<SearchEvent, 'progress' | 'finished' | 'ownProcess'>;

interface ScanPlan<B> {
  overlap: number;
  step(step: ScanStep): void;
  /** What was found since the last event; the next batch starts empty. */
  batch(): B;
  /** The result cap is reached. */
  full(): boolean;
}

/** Runs a plan over the chosen regions in the background; returns its stop function. */
function runScan<B>(
  slots: ScanSlots,
  source: Source,
  pid: number,
  bases: readonly string[] | undefined,
  plan: ScanPlan<B>,
  emit: Emit<B & ScanEnvelope>,
): () => void {
  memoryReader(source);
  const ownProcess = isOwnProcess(source, pid);
  const event = (progress: ScanProgress, finished?: { truncated: boolean }): B & ScanEnvelope => ({
    ...plan.batch(),
    progress: { ...progress },
    ...(finished ? { finished } : {}),
    ...(ownProcess ? { ownProcess } : {}),
  });
  const release = slots.take();
  let stopped = false;
  void (async () => {
    try {
      const targets = await scanTargets(source, pid, bases);
      const progress = newProgress(targets);
      for await (const step of scanChunks(
        source,
        pid,
        targets,
        plan.overlap,
        () => stopped || plan.full(),
        progress,
      )) {
        plan.step(step);
        if (!stopped) emit({ kind: 'data', data: event(progress) });
        // Let light calls and other streams in between chunks.
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (stopped) return;
      emit({ kind: 'data', data: event(progress, { truncated: plan.full() }) });
      emit({ kind: 'end', reason: 'closed' });
    } catch (err) {
      if (stopped) return;
      const error = toVmError(err);
      emit({ kind: 'end', reason: error.code === 'process-exited' ? 'exited' : 'error', error });
    } finally {
      release();
    }
  })();
  return () => {
    stopped = true;
  };
}

export interface SearchInput {
  pid: number;
  pattern: string;
  kind: SearchKind;
  regions?: string[];
}

export function startSearch(
  slots: ScanSlots,
  source: Source,
  input: SearchInput,
  emit: Emit<SearchEvent>,
): () => void {
  const pattern = patternBytes(input.kind, input.pattern);
  if (!pattern.ok) throw new VmscopeError('invalid-input', pattern.message);
  let pending: SearchMatch[] = [];
  let total = 0;
  return runScan(
    slots,
    source,
    input.pid,
    input.regions,
    {
      overlap: pattern.bytes.length - 1,
      step(step) {
        for (const at of findInChunk(step, pattern.bytes)) {
          if (total >= MAX_SEARCH_MATCHES) break;
          total++;
          pending.push({
            address: formatAddress(step.target.base + BigInt(step.offset + at)),
            regionBase: step.target.regionBase,
            kind: input.kind,
          });
        }
      },
      batch() {
        const matches = pending;
        pending = [];
        return { matches };
      },
      full: () => total >= MAX_SEARCH_MATCHES,
    },
    emit,
  );
}

export interface StringsInput {
  pid: number;
  min: number;
  encodings: StringEncoding[];
  regions?: string[];
  limit?: number;
}

export function startStrings(
  slots: ScanSlots,
  source: Source,
  input: StringsInput,
  emit: Emit<StringsEvent>,
): () => void {
  const limit = input.limit ?? MAX_STRINGS;
  let pending: FoundString[] = [];
  let total = 0;
  const keep = (found: FoundString): void => {
    if (total >= limit) return;
    total++;
    pending.push(found);
  };
  const scanners = [...new Set(input.encodings)].map((e) => new StringScanner(e, input.min, keep));
  return runScan(
    slots,
    source,
    input.pid,
    input.regions,
    {
      overlap: STRINGS_OVERLAP,
      step(step) {
        for (const scanner of scanners) scanner.scan(step);
      },
      batch() {
        // The strings of one chunk in address order (encodings and UTF-16's two lanes interleave).
        const strings = pending.sort((a, b) => compareAddress(a.address, b.address));
        pending = [];
        return { strings };
      },
      full: () => total >= limit,
    },
    emit,
  );
}

function compareAddress(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

export interface StatsInput {
  pid: number;
  regions?: string[];
}

export function startStats(
  slots: ScanSlots,
  source: Source,
  input: StatsInput,
  emit: Emit<StatsEvent>,
): () => void {
  let builder: ContentStatsBuilder | null = null;
  let done: ContentStats[] = [];
  return runScan(
    slots,
    source,
    input.pid,
    input.regions,
    {
      overlap: 0,
      step(step) {
        if (step.first) builder = new ContentStatsBuilder(step.target.regionBase, step.target.size);
        builder!.add(step);
        if (step.last) done.push(builder!.result());
      },
      batch() {
        const stats = done;
        done = [];
        return { stats };
      },
      full: () => false,
    },
    emit,
  );
}
