/**
 * Run as another user by the page-state test (setpriv): reads the page states of [base, base +
 * size) of the pid in argv[2] with the Linux source and prints them, or the error, as one JSON line.
 */
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { readRegionPages } from '../../src/core/sources/regionPages';
import { toVmError } from '../../src/shared/errors';

const [pid, base, size] = process.argv.slice(2);
try {
  console.log(
    JSON.stringify(
      await readRegionPages(createLinuxSource(), {
        pid: Number(pid),
        base: base!,
        size: Number(size),
      }),
    ),
  );
} catch (err) {
  console.log(JSON.stringify(toVmError(err)));
}
