import { VmscopeError } from '../../shared/errors';
import type { SourceId } from '../../shared/model';
import { nativePlatform } from '../platform';
import { createSimulatedSource } from './simulated/simulatedSource';
import type { MachineCapability, Source } from './source';

/** The sources this machine can use, in order of preference for the default: its own, then the simulator. */
const factories = new Map<SourceId, () => Source>([
  ...(nativePlatform ? [[nativePlatform.sourceId, nativePlatform.createSource] as const] : []),
  ['simulated', () => createSimulatedSource()],
]);

export class SourceRegistry {
  private readonly cache = new Map<SourceId, Source>();

  available(): SourceId[] {
    return [...factories.keys()];
  }

  defaultSource(): SourceId {
    const [first] = this.available();
    if (!first)
      throw new VmscopeError(
        'source-unavailable',
        `No memory source works on ${process.platform}.`,
      );
    return first;
  }

  get(id: SourceId | undefined): Source {
    const wanted = id ?? this.defaultSource();
    const cached = this.cache.get(wanted);
    if (cached) return cached;
    const factory = factories.get(wanted);
    if (!factory) {
      throw new VmscopeError(
        'source-unavailable',
        `The ${wanted} source is not available on this machine; available: ${this.available().join(', ') || 'none'}.`,
      );
    }
    const source = factory();
    this.cache.set(wanted, source);
    return source;
  }

  /** The machine of the first source that has one to show (the simulator's). */
  machine(): MachineCapability {
    for (const id of this.available()) {
      const machine = this.get(id).machine;
      if (machine) return machine;
    }
    throw new VmscopeError(
      'source-unavailable',
      'No source here has a whole machine to show; the simulated source has one.',
    );
  }
}
