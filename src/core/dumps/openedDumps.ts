import { VmscopeError } from '../../shared/errors';
import { type DumpSource, createDumpSource } from './dumpSource';
import { HeldDumps } from './heldDumps';
import { isDumpFile } from './openDump';

/**
 * The dump and core files among those vmscope was started with (`serve --open FILE`), each opened
 * once as a DumpSource when first asked for and kept open while the service runs; then, at the
 * indexes after theirs, the dumps pages hold (heldDumps.ts).
 */
export class OpenedDumps {
  private readonly sources = new Map<number, DumpSource>();
  readonly held: HeldDumps;

  constructor(private readonly files: readonly string[]) {
    this.held = new HeldDumps(files.length);
  }

  private pathOf(index: number): string {
    const path = this.files[index];
    if (path === undefined)
      throw new VmscopeError(
        'not-found',
        `No file ${index}: vmscope was started with ${this.files.length}.`,
      );
    return path;
  }

  isDump(index: number): boolean {
    return isDumpFile(this.pathOf(index));
  }

  source(index: number): DumpSource {
    const known = this.sources.get(index) ?? this.held.source(index);
    if (known) return known;
    if (index >= this.files.length)
      throw new VmscopeError(
        'not-found',
        `No dump ${index} is open: the page that held it closed it, or opened more since. Open the file again.`,
      );
    const path = this.pathOf(index);
    if (!isDumpFile(path))
      throw new VmscopeError(
        'invalid-input',
        `${path} is a snapshot file: it holds the regions of a process, not their bytes; only a dump or core file has memory to read.`,
      );
    const source = createDumpSource(path);
    this.sources.set(index, source);
    return source;
  }
}
