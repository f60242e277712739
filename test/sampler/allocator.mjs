// A child for the sampler tests: every EVERY_MS it allocates CHUNK_MB and touches every page
// (Buffer.alloc fills with zeros), STEPS times; prints "ready" at the start and "done" after
// the last step, holds the memory for HOLD_MS, then exits 0. Usage:
//   node allocator.mjs CHUNK_MB EVERY_MS STEPS HOLD_MS
const [chunkMb, everyMs, steps, holdMs] = process.argv.slice(2).map(Number);
const kept = [];
// The test may stop reading after "ready"; a closed pipe must not kill the schedule.
process.stdout.on('error', () => {});
process.stdout.write('ready\n');
const timer = setInterval(() => {
  kept.push(Buffer.alloc(chunkMb * 1024 * 1024, 1));
  if (kept.length < steps) return;
  clearInterval(timer);
  process.stdout.write(`done ${kept.length}\n`);
  setTimeout(() => process.exit(0), holdMs);
}, everyMs);
