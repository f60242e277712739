/**
 * Run as another user by the memory-read test (setpriv): reads 16 bytes at argv[3] of the pid in
 * argv[2] with the Linux source and prints the first byte, or the error, as one JSON line.
 */
import { createLinuxSource } from '../../src/core/sources/linux/linuxSource';
import { toVmError } from '../../src/shared/errors';

const [pid, address] = process.argv.slice(2);
try {
  const chunk = await createLinuxSource().readMemory!(Number(pid), BigInt(address!), 16);
  console.log(JSON.stringify({ first: chunk.bytes[0] }));
} catch (err) {
  console.log(JSON.stringify(toVmError(err)));
}
