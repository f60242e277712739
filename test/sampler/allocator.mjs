// A child for the sampler tests: every EVERY_MS it allocates CHUNK_MB and touches every page
// (Buffer.alloc fills them), STEPS times; prints "ready" at the start and "done" after the last
// step, holds the memory for HOLD_MS, then exits 0. With a fifth argument `on-signal` it waits
// for SIGUSR2 before the first step, so a test can start it once its watcher is sampling.
//   node allocator.mjs CHUNK_MB EVERY_MS STEPS HOLD_MS [on-signal]
const [chunkMb, everyMs, steps, holdMs] = process.argv.slice(2, 6).map(Number);
const kept = [];
// The test may stop reading after "ready"; a closed pipe must not kill the schedule.
process.stdout.on('error', () => {});

function start() {
  const timer = setInterval(() => {
    kept.push(Buffer.alloc(chunkMb * 1024 * 1024, 1));
    if (kept.length < steps) return;
    clearInterval(timer);
    process.stdout.write(`done ${kept.length}\n`);
    setTimeout(() => process.exit(0), holdMs);
  }, everyMs);
}

if (process.argv[6] === 'on-signal') {
  const idle = setInterval(() => {}, 1 << 30);
  process.once('SIGUSR2', () => {
    clearInterval(idle);
    start();
  });
} else {
  start();
}
process.stdout.write('ready\n');
