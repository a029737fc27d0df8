import { broadcastShapes, numel } from '../../src/ir/shape.js';
import type { Graph } from '../../src/ir/graph.js';
import { graphNodes } from '../../src/ir/graph.js';
import { makeTensor, type Tensor } from '../../src/interp/tensor.js';
import { rng } from '../../targets/fuzz/programs.js';

/**
 * Random but well-typed IR programs for property tests: a model over a few f32 inputs built from
 * elementwise, broadcast, reduction, softmax, layernorm, matmul, reshape, transpose and dropout ops.
 * Every op is chosen so that the result stays finite, so interpreters can be compared exactly.
 */

// One seeded generator for all random programs, so a failing case is reproduced from its seed alone.
export { rng };

interface Val {
  readonly name: string;
  readonly shape: readonly number[];
}

class Gen {
  readonly r: () => number;
  readonly lines: string[] = [];
  readonly values: Val[] = [];
  private counter = 0;

  constructor(seed: number) {
    this.r = rng(seed);
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)]!;
  }

  /** An operand, usually one of the latest values, so that programs grow chains rather than fans. */
  operand(): Val {
    return this.r() < 0.7 ? this.pick(this.values.slice(-3)) : this.pick(this.values);
  }

  fresh(prefix: string): string {
    return `${prefix}${this.counter++}`;
  }

  emit(expr: string, shape: readonly number[]): Val {
    const v = { name: this.fresh('t'), shape };
    this.lines.push(`  ${v.name} = ${expr};`);
    this.values.push(v);
    return v;
  }

  param(shape: readonly number[]): string {
    const name = this.fresh('w');
    this.lines.push(`  param ${name}: f32[${shape.join(', ')}];`);
    return name;
  }
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

type Step = (g: Gen) => void;

const STEPS: readonly Step[] = [
  function unary(g) {
    const a = g.operand();
    const f = g.pick(['tanh({})', 'exp(tanh({}))', 'neg({})', 'abs({})', 'erf({})', 'gelu({})', 'gelu({}, approximate="tanh")', 'sqrt(abs({}) + 1.0)', 'relu({})']);
    g.emit(f.replace('{}', a.name), a.shape);
  },
  function binary(g) {
    const a = g.operand();
    const partners = g.values.filter((b) => broadcastShapes(a.shape, b.shape));
    const b = g.pick(partners);
    const op = g.pick(['+', '-', '*', 'max', 'min']);
    const shape = broadcastShapes(a.shape, b.shape)!;
    g.emit(op.length === 1 ? `${a.name} ${op} ${b.name}` : `${op}(${a.name}, ${b.name})`, shape);
  },
  function scalar(g) {
    const a = g.operand();
    g.emit(`${a.name} * ${g.pick(['0.5', '2.0', '-1.25', '3.0'])}`, a.shape);
  },
  function reduce(g) {
    const a = g.operand();
    const axis = g.int(0, a.shape.length - 1);
    const keep = g.r() < 0.5;
    const op = g.pick(['reduce_sum', 'reduce_max', 'reduce_mean']);
    if (!keep && a.shape.length === 1) return;
    const shape = keep ? a.shape.map((d, i) => (i === axis ? 1 : d)) : a.shape.filter((_, i) => i !== axis);
    g.emit(`${op}(${a.name}, axes=[${axis}], keepdims=${keep})`, shape);
  },
  function softmax(g) {
    const a = g.operand();
    g.emit(`softmax(${a.name}, axis=${g.int(-a.shape.length, a.shape.length - 1)})`, a.shape);
  },
  function layernorm(g) {
    const a = g.operand();
    const last = a.shape[a.shape.length - 1]!;
    g.emit(`layernorm(${a.name}, ${g.param([last])}, ${g.param([last])}, eps=1e-5)`, a.shape);
  },
  function dense(g) {
    const a = g.pick(g.values.filter((v) => v.shape.length >= 2));
    if (!a) return;
    const k = a.shape[a.shape.length - 1]!;
    const n = g.int(1, 6);
    g.emit(`matmul(${a.name}, ${g.param([n, k])}, transpose_b=true)`, [...a.shape.slice(0, -1), n]);
  },
  function batchedMatmul(g) {
    const a = g.pick(g.values.filter((v) => v.shape.length >= 2));
    if (!a) return;
    const b = g.values.find((v) => v !== a && v.shape.length === a.shape.length && v.shape.slice(0, -2).every((d, i) => d === a.shape[i]) && v.shape[v.shape.length - 1] === a.shape[a.shape.length - 1]);
    if (!b) return;
    g.emit(`matmul(${a.name}, ${b.name}, transpose_b=true)`, [...a.shape.slice(0, -1), b.shape[b.shape.length - 2]!]);
  },
  function reshape(g) {
    const a = g.operand();
    const n = numel(a.shape);
    const shape = g.r() < 0.5 || a.shape.length < 2 ? [n] : [numel(a.shape.slice(0, -2)), a.shape[a.shape.length - 2]! * a.shape[a.shape.length - 1]!];
    g.emit(`reshape(${a.name}, shape=${fmt(shape)})`, shape);
  },
  function split(g) {
    const a = g.pick(g.values.filter((v) => v.shape[v.shape.length - 1]! % 2 === 0));
    if (!a) return;
    const last = a.shape[a.shape.length - 1]!;
    const shape = [...a.shape.slice(0, -1), 2, last / 2];
    if (shape.length > 5) return;
    g.emit(`reshape(${a.name}, shape=${fmt(shape)})`, shape);
  },
  function transpose(g) {
    const a = g.pick(g.values.filter((v) => v.shape.length >= 2));
    if (!a) return;
    const perm = a.shape.map((_, i) => i);
    for (let i = perm.length - 1; i > 0; i--) {
      const j = g.int(0, i);
      [perm[i], perm[j]] = [perm[j]!, perm[i]!];
    }
    g.emit(`transpose(${a.name}, perm=${fmt(perm)})`, perm.map((p) => a.shape[p]!));
  },
  function dropout(g) {
    const a = g.operand();
    g.emit(`dropout(${a.name}, p=${g.pick(['0.1', '0.5'])})`, a.shape);
  },
];

export interface RandomProgram {
  readonly seed: number;
  readonly text: string;
}

export function randomProgram(seed: number): RandomProgram {
  const g = new Gen(seed);
  const inputs: string[] = [];
  for (let i = 0, n = g.int(1, 3); i < n; i++) {
    const shape = Array.from({ length: g.int(1, 4) }, () => g.int(1, 5));
    const name = `x${i}`;
    inputs.push(`${name}: f32${fmt(shape)}`);
    g.values.push({ name, shape });
  }
  for (let i = 0, n = g.int(3, 14); i < n; i++) g.pick(STEPS)(g);
  const outs = g.values.slice(-g.int(1, 2));
  const text = [
    `// random program, seed ${seed}`,
    `model random(${inputs.join(', ')}) -> (${outs.map((o, i) => `out${i}: f32${fmt(o.shape)}`).join(', ')}) {`,
    ...g.lines,
    `  return ${outs.map((o) => o.name).join(', ')};`,
    '}',
    '',
  ].join('\n');
  return { seed, text };
}

/** Inputs and parameters of a graph filled with values in [-2, 2) from a seeded generator. */
export function randomBindings(g: Graph, seed: number): { inputs: Map<string, Tensor>; params: Map<string, Tensor> } {
  const r = rng(seed);
  const fill = (shape: readonly number[]) => {
    const t = makeTensor('f32', shape);
    for (let i = 0; i < t.data.length; i++) t.data[i] = r() * 4 - 2;
    return t;
  };
  const inputs = new Map(g.inputs.map((n) => [n.attr<string>('name'), fill(n.type.shape)]));
  const params = new Map(graphNodes(g).filter((n) => n.op === 'param').map((n) => [n.attr<string>('name'), fill(n.type.shape)]));
  return { inputs, params };
}
