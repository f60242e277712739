/**
 * Hidden classes kept alive, so that the code optimized for them is kept too.
 *
 * V8 collects a hidden class (a "map") once no object has it: the transitions that lead to it are
 * weak, and optimized code that checks for it keeps it only for two more full collections
 * (`--retain-maps-for-n-gc`). When it goes, V8 throws that code away (`--trace-deopt`: "marking
 * dependent code ... reason: weak objects"), and the next object built the same way gets a fresh
 * hidden class, for which every loop that reads it runs interpreted and is optimized again.
 *
 * A snapshot's helpers (the smaps scanner and its interners, the region columns, the builders of
 * Region objects) and, often, its Region objects are all garbage once it is used. So after two
 * full collections between two snapshots (a benchmark collects before each run; a service
 * collects when it idles) every hot loop of the next snapshot was recompiled, each of them on
 * every snapshot: with `--retain-maps-for-n-gc=1000` the recompilations stop, which is how they
 * were traced to this. A class or literal whose objects are made per snapshot and read by a hot
 * loop keeps one small object made the same way here, so its hidden class outlives the snapshots.
 */
const kept: object[] = [];

/** Keeps `samples` (and with them their hidden classes) for as long as the process runs. */
export function keepShapes(...samples: object[]): void {
  kept.push(...samples);
}
