import { VmscopeError } from '../../shared/errors';
import type { SourceId } from '../../shared/model';
import { createLinuxSource } from './linux/linuxSource';
import { createSimulatedSource } from './simulated/simulatedSource';
import type { Source } from './source';
import { createWindowsSource } from './windows/windowsSource';

type Factory = () => Source;

/** The sources this build knows, in order of preference for the default. */
const factories: Partial<Record<SourceId, { available: () => boolean; create: Factory }>> = {
  linux: { available: () => process.platform === 'linux', create: createLinuxSource },
  windows: { available: () => process.platform === 'win32', create: createWindowsSource },
  simulated: { available: () => true, create: () => createSimulatedSource() },
};

export class SourceRegistry {
  private readonly cache = new Map<SourceId, Source>();

  available(): SourceId[] {
    return (Object.keys(factories) as SourceId[]).filter((id) => factories[id]?.available());
  }

  defaultSource(): SourceId {
    const [first] = this.available();
    if (!first) throw new VmscopeError('source-unavailable', `No memory source works on ${process.platform}.`);
    return first;
  }

  get(id: SourceId | undefined): Source {
    const wanted = id ?? this.defaultSource();
    const cached = this.cache.get(wanted);
    if (cached) return cached;
    const factory = factories[wanted];
    if (!factory || !factory.available()) {
      throw new VmscopeError(
        'source-unavailable',
        `The ${wanted} source is not available on this machine; available: ${this.available().join(', ') || 'none'}.`,
      );
    }
    const source = factory.create();
    this.cache.set(wanted, source);
    return source;
  }
}
