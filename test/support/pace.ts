import { readFileSync } from 'node:fs';
import { build, loadText, Session } from '../../src/driver.js';
import { BERT_PATH } from './reference.js';

/**
 * This machine's pace, measured in this process: the median of five warm builds of models/bert.ir's
 * base config, in ms. Guards against pathological slowness (a quadratic walk, an exhaustive search)
 * state their bounds in these units, so that a bound means the same on a fast machine and on one
 * that is busy with the other test worker. They are not speed targets: those are benchmarks (bench/).
 */
let unit: number | undefined;

export function buildUnitMs(): number {
  if (unit === undefined) {
    const text = readFileSync(BERT_PATH, 'utf8');
    const build1 = () => {
      const s = new Session();
      const start = performance.now();
      build(s, loadText(s, BERT_PATH, text), { config: 'base' });
      return performance.now() - start;
    };
    build1();
    const times = Array.from({ length: 5 }, build1).sort((a, b) => a - b);
    unit = times[2]!;
  }
  return unit;
}
