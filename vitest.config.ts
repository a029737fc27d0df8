import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, so a 2-core machine ran the files one at a
    // time; much of the suite waits on gcc and Chromium, and two workers there take it from about
    // 400 s to 260 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
