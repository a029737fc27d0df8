// What every bench script shares: its command-line options and how it summarises repeated runs.
import { performance } from 'node:perf_hooks';

/** The value after `--name` on the command line, or `fallback` when the option is absent. */
export function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** The median of timings; the upper one of an even count. Noisy shared machines make the mean misleading. */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** A positive number given as `--name VALUE`, or `fallback`; anything else stops the bench with a message. */
export function positiveOption(name, fallback) {
  const text = option(name, String(fallback));
  const value = Number(text);
  if (!(value > 0)) throw new Error(`${name} wants a positive number, got '${text}'`);
  return value;
}

/** The median time in ms of `runs` awaited calls of `run`, after `warmups` untimed ones. */
export async function medianTime(run, runs, warmups = 3) {
  for (let i = 0; i < warmups; i++) await run();
  const ts = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}
