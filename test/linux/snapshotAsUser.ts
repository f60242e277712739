/**
 * Run as another user by the access test (setpriv): snapshots the pid in argv[2] with the Linux
 * source and prints `{ok, regions}` or `{code, message}` as one JSON line.
 */
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { toVmError } from '../../src/shared/errors';

const pid = Number(process.argv[2]);
try {
  const snapshot = await createLinuxSource().snapshot(pid);
  console.log(JSON.stringify({ ok: true, regions: snapshot.regions.length }));
} catch (err) {
  console.log(JSON.stringify(toVmError(err)));
}
