import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * The files that take half a minute or more, slowest first (measured on a 2-core machine). A fresh
 * clone has no timings for Vitest to order by, and it would start them by file size: the slowest
 * (a short file of long training runs) last, with one worker left running it alone at the end.
 */
const SLOWEST = ['train-mlm', 'precision', 'grad', 'run-contract', 'wgsl-backend', 'webgpu-example', 'train', 'precision-c', 'c-backend', 'c-runtime', 'robustness', 'wgsl-runtime', 'targets-differential'];

class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const at = SLOWEST.indexOf(basename(f.moduleId, '.test.ts'));
      return at < 0 ? SLOWEST.length : at;
    };
    return [...(await super.sort(files))].sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores, so a 2-core machine ran the files one at a
    // time; much of the suite waits on gcc and Chromium, and two workers there take it from about
    // 400 s to 260 s.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: SlowestFirst },
  },
});
