import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure code, fake timers, no processes or sockets; seconds) and
 * `integration` (real processes, /proc, the built CLI and host). `npx vitest run --project unit`
 * runs the first alone.
 */
export default defineConfig({
  test: {
    environment: 'node',
    // No test writes to the user's snapshot library (docs/library.md); children inherit this.
    env: { VMSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), 'vmscope-test-data-')) },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Honesty: a `.only` left in fails the run instead of skipping everything else, and a test
    // that makes no assertion fails (test/unit/honesty.test.ts guards the rest).
    allowOnly: false,
    expect: { requireAssertions: true },
    // Two cores: tests that spawn processes and measure /proc should not fight each other.
    fileParallelism: true,
    maxWorkers: 2,
    projects: [
      // Pure modules: one module graph shared by the files (isolate: false) keeps the run short.
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.{ts,tsx}', 'test/unit/**/*.test.ts'],
          isolate: false,
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: ['test/unit/**'] },
      },
    ],
  },
});
