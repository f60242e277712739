import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: tests that spawn processes and measure /proc should not fight each other.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
