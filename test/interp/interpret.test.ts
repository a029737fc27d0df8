import { describe, expect, it } from 'vitest';
import type { Node } from '../../src/ir/node.js';
import { OPS } from '../../src/ir/ops.js';
import { interpret } from '../../src/interp/interpret.js';
import { InterpError, KERNELS } from '../../src/interp/kernels.js';
import { compile, run, runGraph, tensorOf, vals } from './helpers.js';

/** The interpreter as a whole: one example per op of the catalogue, memory release and taps. */

/** One small hand-computed example per op (f64 mode); the detailed cases are in the other files. */
const EXAMPLES: Readonly<Record<string, { src: string; inputs?: Record<string, number[]>; params?: Record<string, number[]>; expected: number[] }>> = {
  const: { src: 'model m(x: f32[1]) -> f32[] { c: f32[] = 1.5; return c; }', expected: [1.5] },
  iota: { src: 'model m(x: f32[1]) -> i32[3, 2] { return iota(shape=[3, 2], axis=0); }', expected: [0, 0, 1, 1, 2, 2] },
  neg: { src: 'model m(x: f32[2]) -> f32[2] { return neg(x); }', inputs: { x: [1, -2] }, expected: [-1, 2] },
  abs: { src: 'model m(x: f32[2]) -> f32[2] { return abs(x); }', inputs: { x: [1, -2] }, expected: [1, 2] },
  exp: { src: 'model m(x: f32[2]) -> f32[2] { return exp(x); }', inputs: { x: [0, -Infinity] }, expected: [1, 0] },
  log: { src: 'model m(x: f32[2]) -> f32[2] { return log(x); }', inputs: { x: [1, 0] }, expected: [0, -Infinity] },
  tanh: { src: 'model m(x: f32[2]) -> f32[2] { return tanh(x); }', inputs: { x: [0, Infinity] }, expected: [0, 1] },
  erf: { src: 'model m(x: f32[2]) -> f32[2] { return erf(x); }', inputs: { x: [0, -7] }, expected: [0, -1] },
  sqrt: { src: 'model m(x: f32[2]) -> f32[2] { return sqrt(x); }', inputs: { x: [9, 0.25] }, expected: [3, 0.5] },
  rsqrt: { src: 'model m(x: f32[2]) -> f32[2] { return rsqrt(x); }', inputs: { x: [4, 0.0625] }, expected: [0.5, 4] },
  recip: { src: 'model m(x: f32[2]) -> f32[2] { return recip(x); }', inputs: { x: [4, -0.5] }, expected: [0.25, -2] },
  relu: { src: 'model m(x: f32[2]) -> f32[2] { return relu(x); }', inputs: { x: [-1, 3] }, expected: [0, 3] },
  gelu: { src: 'model m(x: f32[2]) -> f32[2] { return gelu(x); }', inputs: { x: [0, 10] }, expected: [0, 10] },
  add: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return add(x, y); }', inputs: { x: [1, 2], y: [3, 4] }, expected: [4, 6] },
  sub: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return sub(x, y); }', inputs: { x: [1, 2], y: [3, 5] }, expected: [-2, -3] },
  mul: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return mul(x, y); }', inputs: { x: [1, 2], y: [3, 5] }, expected: [3, 10] },
  div: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return div(x, y); }', inputs: { x: [1, 3], y: [4, -2] }, expected: [0.25, -1.5] },
  max: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return max(x, y); }', inputs: { x: [1, 3], y: [4, -2] }, expected: [4, 3] },
  min: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return min(x, y); }', inputs: { x: [1, 3], y: [4, -2] }, expected: [1, -2] },
  pow: { src: 'model m(x: f32[2], y: f32[2]) -> f32[2] { return pow(x, y); }', inputs: { x: [2, 9], y: [3, 0.5] }, expected: [8, 3] },
  lt: { src: 'model m(x: f32[3]) -> bool[3] { return lt(x, 1); }', inputs: { x: [0, 1, 2] }, expected: [1, 0, 0] },
  le: { src: 'model m(x: f32[3]) -> bool[3] { return le(x, 1); }', inputs: { x: [0, 1, 2] }, expected: [1, 1, 0] },
  gt: { src: 'model m(x: f32[3]) -> bool[3] { return gt(x, 1); }', inputs: { x: [0, 1, 2] }, expected: [0, 0, 1] },
  ge: { src: 'model m(x: f32[3]) -> bool[3] { return ge(x, 1); }', inputs: { x: [0, 1, 2] }, expected: [0, 1, 1] },
  eq: { src: 'model m(x: f32[3]) -> bool[3] { return eq(x, 1); }', inputs: { x: [0, 1, 2] }, expected: [0, 1, 0] },
  ne: { src: 'model m(x: f32[3]) -> bool[3] { return ne(x, 1); }', inputs: { x: [0, 1, 2] }, expected: [1, 0, 1] },
  where: { src: 'model m(c: bool[2], x: f32[2]) -> f32[2] { return where(c, x, 5); }', inputs: { c: [1, 0], x: [1, 2] }, expected: [1, 5] },
  cast: { src: 'model m(x: f32[2]) -> i32[2] { return cast(x, to=i32); }', inputs: { x: [1.9, -1.9] }, expected: [1, -1] },
  dropout: { src: 'model m(x: f32[2]) -> f32[2] { return dropout(x, p=0.5); }', inputs: { x: [1, 2] }, expected: [1, 2] },
  reduce_sum: { src: 'model m(x: f32[2, 2]) -> f32[2] { return reduce_sum(x, axes=[1]); }', inputs: { x: [1, 2, 3, 4] }, expected: [3, 7] },
  reduce_max: { src: 'model m(x: f32[2, 2]) -> f32[2] { return reduce_max(x, axes=[0]); }', inputs: { x: [1, 5, 3, 4] }, expected: [3, 5] },
  reduce_mean: { src: 'model m(x: f32[2, 2]) -> f32[2] { return reduce_mean(x, axes=[1]); }', inputs: { x: [1, 2, 3, 4] }, expected: [1.5, 3.5] },
  softmax: { src: 'model m(x: f32[4]) -> f32[4] { return softmax(x); }', inputs: { x: [2, 2, 2, 2] }, expected: [0.25, 0.25, 0.25, 0.25] },
  layernorm: {
    src: 'model m(x: f32[2]) -> f32[2] { param g: f32[2]; param b: f32[2]; return layernorm(x, g, b, eps=3); }',
    inputs: { x: [0, 2] },
    params: { g: [2, 2], b: [1, 1] },
    expected: [0, 2],
  },
  matmul: { src: 'model m(a: f32[1, 2], b: f32[2, 1]) -> f32[1, 1] { return matmul(a, b); }', inputs: { a: [1, 2], b: [3, 4] }, expected: [11] },
  reshape: { src: 'model m(x: f32[2, 2]) -> f32[4] { return reshape(x, shape=[4]); }', inputs: { x: [1, 2, 3, 4] }, expected: [1, 2, 3, 4] },
  transpose: { src: 'model m(x: f32[2, 2]) -> f32[2, 2] { return transpose(x, perm=[1, 0]); }', inputs: { x: [1, 2, 3, 4] }, expected: [1, 3, 2, 4] },
  expand: { src: 'model m(x: f32[2, 1]) -> f32[2, 2] { return expand(x, shape=[2, 2]); }', inputs: { x: [1, 2] }, expected: [1, 1, 2, 2] },
  slice: { src: 'model m(x: f32[4]) -> f32[2] { return slice(x, axis=0, start=1, end=-1); }', inputs: { x: [1, 2, 3, 4] }, expected: [2, 3] },
  concat: { src: 'model m(x: f32[1], y: f32[2]) -> f32[3] { return concat(y, x, axis=0); }', inputs: { x: [1], y: [2, 3] }, expected: [2, 3, 1] },
  gather: { src: 'model m(t: f32[3], i: i32[2]) -> f32[2] { return gather(t, i); }', inputs: { t: [5, 6, 7], i: [2, 0] }, expected: [7, 5] },
  scatter_add: { src: 'model m(u: f32[3], i: i32[3]) -> f32[2] { return scatter_add(u, i, rows=2); }', inputs: { u: [5, 6, 7], i: [1, 0, 1] }, expected: [6, 12] },
};

describe('the op catalogue', () => {
  const computed = [...OPS.keys()].filter((op) => op !== 'input' && op !== 'param');

  it('the kernel table lists exactly the catalogue, inputs and weights included', () => {
    expect(Object.keys(KERNELS).sort()).toEqual([...OPS.keys()].sort());
  });

  it('every op the interpreter evaluates has a kernel and an example here', () => {
    for (const op of computed) expect((KERNELS as Readonly<Record<string, unknown>>)[op], op).toBeTypeOf('function');
    expect(Object.keys(EXAMPLES).sort()).toEqual([...computed].sort());
  });

  it.each(Object.keys(EXAMPLES))('%s', (op) => {
    const ex = EXAMPLES[op]!;
    const g = compile(ex.src);
    const ops = g.body.map((n) => n.op);
    expect(ops, 'the example uses its op').toContain(op);
    for (const f64 of [false, true]) {
      const out = runGraph(g, ex.inputs ?? { x: [0] }, { f64, params: ex.params }).outputs.get('output')!;
      expect(vals(out)).toEqual(ex.expected);
    }
  });
});

/** A trace of released values as `name@after`, naming nodes by their source names (or op). */
function releases(src: string, inputs: Record<string, number[]>, taps: boolean): { events: string[]; outputs: Map<string, number[]>; taps: Map<string, number[]> } {
  const events: string[] = [];
  const name = (n: Node) => n.meta.hint || n.op;
  const r = runGraph(compile(src), inputs, { taps, onRelease: (n, after) => events.push(`${name(n)}@${name(after)}`) });
  const plain = (m: Map<string, { data: ArrayLike<number> }>) => new Map([...m].map(([k, t]) => [k, Array.from(t.data)]));
  return { events, outputs: plain(r.outputs), taps: plain(r.taps) };
}

describe('memory and taps', () => {
  const src = `
    model m(x: f32[3]) -> (out: f32[3]) {
      a = exp(x);
      b = a * a;
      tap "b" = b;
      c = b + x;
      e = relu(c - 2);
      tap "e" = e;
      d = c - 1;
      return d;
    }`;
  const x = [0, 1, -1];
  // f32 mode rounds after every op.
  const b = x.map((v) => Math.fround(Math.exp(v))).map((a) => Math.fround(a * a));

  it('releases each intermediate right after its last reader (each source once, read twice by b)', () => {
    const r = releases(src, { x }, false);
    // a is read only by b (twice); b and x last by c; c and the constant 1 by d. The output d is kept.
    expect(r.events).toEqual(['a@b', 'b@c', 'x@c', 'c@d', 'const@d']);
  });

  it('keeps requested taps alive and returns them', () => {
    const r = releases(src, { x }, true);
    // b is pinned now; c is last read by e's subtraction, which runs after d.
    expect(r.events).toEqual(['a@b', 'x@c', 'const@d', 'c@sub', 'const@sub', 'sub@e']);
    expect([...r.taps.keys()]).toEqual(['b', 'e']);
    expect(r.taps.get('b')).toEqual(b);
    const c = b.map((v, i) => Math.fround(v + x[i]!));
    expect(r.taps.get('e')).toEqual(c.map((v) => Math.max(0, Math.fround(v - 2))));
  });

  it('gives the same outputs with and without taps, and no taps unless asked', () => {
    const withTaps = releases(src, { x }, true);
    const without = releases(src, { x }, false);
    expect(without.taps.size).toBe(0);
    expect(without.outputs).toEqual(withTaps.outputs);
    expect(without.outputs.get('out')).toEqual(b.map((v, i) => Math.fround(Math.fround(v + x[i]!) - 1)));
  });

  it('does not evaluate what only an unrequested tap needs', () => {
    const g = compile('model m(t: f32[3], i: i32[1]) -> f32[3] { tap "row" = gather(t, i); return t * 2; }');
    const inputs = { t: [1, 2, 3], i: [7] }; // index 7 is out of range
    expect(vals(runGraph(g, inputs).outputs.get('output')!)).toEqual([2, 4, 6]);
    expect(() => runGraph(g, inputs, { taps: true })).toThrow(InterpError);
  });

  it('releases every value of a long chain right after its only reader', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `v${i + 1} = v${i} * 2;`);
    const r = releases(`model m(v0: f32[1]) -> f32[1] { ${lines.join(' ')} return v40; }`, { v0: [1] }, false);
    expect(r.outputs.get('output')).toEqual([2 ** 40]);
    const chainReleases = r.events.filter((e) => e.startsWith('v'));
    expect(chainReleases).toEqual(Array.from({ length: 40 }, (_, i) => `v${i}@v${i + 1}`));
  });

  it('returns an input as an output, and one value under two names', () => {
    const r = run('model m(x: f32[2]) -> (a: f32[2], b: f32[2], c: f32[2]) { y = x + 1; return x, y, y; }', { x: [1, 2] });
    expect(vals(r.get('a')!)).toEqual([1, 2]);
    expect(vals(r.get('b')!)).toEqual([2, 3]);
    expect(vals(r.get('c')!)).toEqual([2, 3]);
  });

  it('never writes into its inputs, even through views (reshape, inference dropout)', () => {
    const g = compile('model m(x: f32[2, 2]) -> (a: f32[4], b: f32[4]) { y = reshape(dropout(x, p=0.1), shape=[4]); return y, y * 3; }');
    const x = tensorOf(g.inputs[0]!.type, [1, 2, 3, 4]);
    const r = interpret(g, new Map([['x', x]]), () => {
      throw new Error('no params');
    });
    expect(vals(r.outputs.get('b')!)).toEqual([3, 6, 9, 12]);
    expect(vals(x)).toEqual([1, 2, 3, 4]);
  });

  it('reports a missing input by name and type', () => {
    expect(() => run('model m(x: f32[2], y: f32[3]) -> f32[2] { return x + 1; }', { x: [1, 2] })).toThrow(new InterpError("missing input 'y' (f32[3])"));
  });
});
