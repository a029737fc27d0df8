import type { Module } from '../src/kernel/module.js';

/** A pass option's type, default and documentation; the pipeline parser reads these. */
export type OptionSpec =
  | { readonly kind: 'bool'; readonly default: boolean; readonly doc: string }
  | { readonly kind: 'int'; readonly default: number; readonly doc: string }
  | { readonly kind: 'list'; readonly default: readonly string[]; readonly values: readonly string[]; readonly doc: string }
  | { readonly kind: 'enum'; readonly default: string; readonly values: readonly string[]; readonly doc: string };

export type OptionValues<O extends Record<string, OptionSpec>> = {
  readonly [K in keyof O]: O[K] extends { kind: 'bool' } ? boolean : O[K] extends { kind: 'int' } ? number : O[K] extends { kind: 'enum' } ? string : readonly string[];
};

/** Counters a pass increments while it runs; `--stats` and `--time-passes` print them. */
export class Statistics {
  private readonly counts = new Map<string, number>();

  add(name: string, by = 1): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + by);
  }

  get(name: string): number {
    return this.counts.get(name) ?? 0;
  }

  entries(): [string, number][] {
    return [...this.counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

/**
 * One declaration per pass: its name is the command-line flag, and the summary, description
 * (with a before/after example), options and statistics are what `bertc passes` prints.
 */
export interface PassDef<O extends Record<string, OptionSpec> = Record<string, OptionSpec>> {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly options: O;
  readonly statistics: Readonly<Record<string, string>>;
  /** Set on a pass that changes what the program computes by design (precision rounds values); every other pass preserves it. */
  readonly approximates?: boolean;
  run(m: Module, options: OptionValues<O>, stats: Statistics): Module;
}

export function definePass<O extends Record<string, OptionSpec>>(def: PassDef<O>): PassDef<O> {
  return def;
}
