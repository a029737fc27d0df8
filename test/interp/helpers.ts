import { build, loadText, Session } from '../../src/driver.js';
import type { Graph } from '../../src/ir/graph.js';
import { numel } from '../../src/ir/shape.js';
import { interpret, type InterpretOptions, type InterpretResult } from '../../src/interp/interpret.js';
import { allocData, type Tensor } from '../../src/interp/tensor.js';

/**
 * Builds graphs from small IR snippets and runs the reference interpreter on them, so that each
 * kernel can be tested through the same path `bertc run` takes (parse, elaborate, verify, interpret).
 */

let counter = 0;

/** Parses and elaborates a snippet; a compile error throws with the rendered diagnostics. */
export function compile(src: string): Graph {
  const s = new Session();
  const p = loadText(s, `snippet${counter++}.ir`, src);
  return build(s, p, {}).graph;
}

/** Values by name; each array must hold as many elements as the declared type. */
export type Values = Readonly<Record<string, ArrayLike<number>>>;

export interface RunOptions extends InterpretOptions {
  /** Parameter values by their state-dict names. */
  readonly params?: Values;
}

/** A tensor of the given type in the storage the interpreter uses for it (f64 mode included). */
export function tensorOf(type: { dtype: Tensor['dtype']; shape: readonly number[] }, values: ArrayLike<number>, f64 = false): Tensor {
  const n = numel(type.shape);
  if (values.length !== n) throw new Error(`test setup: ${n} values needed for [${type.shape.join(', ')}], got ${values.length}`);
  const data = allocData(type.dtype, n, f64);
  for (let i = 0; i < n; i++) data[i] = values[i]!;
  return { dtype: type.dtype, shape: [...type.shape], data };
}

/** Interprets a graph with inputs (and parameters) given as plain arrays in the inputs' declared types. */
export function runGraph(g: Graph, inputs: Values = {}, opts: RunOptions = {}): InterpretResult {
  const f64 = opts.f64 ?? false;
  const bound = new Map<string, Tensor>();
  for (const n of g.inputs) {
    const name = n.attr<string>('name');
    const v = inputs[name];
    if (v) bound.set(name, tensorOf(n.type, v, f64));
  }
  return interpret(g, bound, (name, node) => {
    const v = opts.params?.[name];
    if (!v) throw new Error(`test setup: no value for parameter '${name}'`);
    return tensorOf(node.type, v, f64);
  }, opts);
}

/** Compiles and runs a snippet; returns its outputs by name (a single unnamed result is 'output'). */
export function run(src: string, inputs: Values = {}, opts: RunOptions = {}): Map<string, Tensor> {
  return runGraph(compile(src), inputs, opts).outputs;
}

/** The only output of a snippet. */
export function run1(src: string, inputs: Values = {}, opts: RunOptions = {}): Tensor {
  const outs = [...run(src, inputs, opts).values()];
  if (outs.length !== 1) throw new Error(`test setup: expected one output, got ${outs.length}`);
  return outs[0]!;
}

/** The only output of a snippet in both modes: f32 (float32 storage) and f64 (float64 working storage). */
export function runBoth(src: string, inputs: Values = {}, opts: RunOptions = {}): { f32: Tensor; f64: Tensor } {
  return { f32: run1(src, inputs, { ...opts, f64: false }), f64: run1(src, inputs, { ...opts, f64: true }) };
}

/** The elements of a tensor as a plain array (for toEqual: exact, with -0 distinct from 0 and NaN equal to NaN). */
export function vals(t: Tensor): number[] {
  return Array.from(t.data);
}

/**
 * Asserts |actual - expected| <= rel * |expected| element by element (rel = 0 means exact). NaN
 * matches NaN and infinities must match exactly.
 */
export function expectClose(actual: ArrayLike<number>, expected: readonly number[], rel: number, what = ''): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} elements, expected ${expected.length}`);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : !Number.isFinite(e) ? a === e : Math.abs(a - e) <= rel * Math.abs(e);
    if (!ok) bad.push(`[${i}] got ${a}, expected ${e} (relative error ${Math.abs(a - e) / Math.abs(e)})`);
  }
  if (bad.length) throw new Error(`${what ? `${what}: ` : ''}${bad.length} element(s) differ beyond ${rel}:\n  ${bad.slice(0, 10).join('\n  ')}`);
}

/** f32 rounding of each element, for expected values of float32 results. */
export const f32 = (xs: readonly number[]): number[] => xs.map(Math.fround);
