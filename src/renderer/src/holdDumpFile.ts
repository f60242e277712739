import type { DumpPiece, HoldEvent } from '../../shared/dumpPieces';
import { client } from './client';

/** The bytes of a range of the file, base64 (the API's wire is JSON). */
export async function pieceOf(file: File, offset: number, length: number): Promise<DumpPiece> {
  const bytes = new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { offset, data: btoa(binary) };
}

/**
 * Keeps a dump the page holds open in the service for its contents (hex view, strings, search):
 * the service asks, on the `files.hold` stream, for the ranges each read needs; they are read with
 * File.slice and sent back (`files.feed`), never the whole file (docs/dumps.md). Resolves with the
 * file index the contents calls take, or null when the service could not hold it (the regions
 * still show; the contents panel does not). The stream stays open while the page lives.
 */
export function holdDumpFile(file: File): Promise<number | null> {
  return new Promise((resolve) => {
    client
      .subscribe('files.hold', { name: file.name, size: file.size }, (message) => {
        if (message.kind === 'end') return resolve(null);
        const event: HoldEvent = message.data;
        if ('held' in event) return resolve(event.held.file);
        const { token, request, ranges } = event.need;
        // A file that cannot be read again (changed or removed since it was picked) is answered
        // with no pieces: the service fails the waiting read with that, shown where it is shown.
        void Promise.all(ranges.map((r) => pieceOf(file, r.offset, r.length)))
          .catch(() => [])
          .then((pieces) => client.call('files.feed', { token, request, pieces }))
          .catch(() => undefined);
      })
      .catch(() => resolve(null));
  });
}
