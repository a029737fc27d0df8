import { describe, expect, it } from 'vitest';
import { LEVELS } from '../passes/registry.js';
import { parsePipeline, runPipeline } from '../passes/pipeline.js';
import { interpret } from '../src/interp/interpret.js';
import { makeTensor, type Tensor } from '../src/interp/tensor.js';
import { AUTODIFF, gradientGraph, gradients } from '../src/ir/autodiff.js';
import { GraphBuilder } from '../src/ir/builder.js';
import { topoOrder, type Graph } from '../src/ir/graph.js';
import { describeOrigin, type Attrs, type Meta, type Node } from '../src/ir/node.js';
import { OPS } from '../src/ir/ops.js';
import { numel, type Shape } from '../src/ir/shape.js';
import { tensorType } from '../src/ir/types.js';
import { baselinePartition } from '../src/kernel/partition.js';

/**
 * Every gradient rule against central finite differences, in the interpreter's float64 mode.
 *
 * Tolerance: with inputs of order 1 and h = 1e-5, the central difference is off by about
 * h^2 |f'''| / 6 ~ 1e-11 (truncation) plus eps |L| / h ~ 1e-16 * 10 / 1e-5 = 1e-10 (rounding of the
 * loss), so 1e-6 relative to the gradient's largest magnitude (at least 1) leaves four orders of
 * magnitude of margin, while a wrong rule (a missing factor, a wrong axis, a transpose too many) is
 * off by 1e-1 or more. Inputs stay 0.5 away from kinks (abs, relu) and poles (log, div, recip), and
 * random operands of max, min and reduce_max do not tie (ties are checked exactly, below).
 */
const H = 1e-5;
const TOL = 1e-6;
const M = (hint: string): Meta => ({ scope: '', hint });

/** A seeded generator (mulberry32), so every run checks the same shapes and values. */
function generator(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)]!,
    shape: (minRank = 1, maxRank = 3) => Array.from({ length: int(minRank, maxRank) }, () => int(1, 4)),
    /** A shape that broadcasts to `s`: leading axes dropped, some axes made 1. */
    broadcastFrom: (s: Shape) => s.slice(int(0, s.length)).map((d) => (next() < 0.4 ? 1 : d)),
  };
}

type Domain = 'any' | 'pos' | 'away';
interface Leaf {
  readonly name: string;
  readonly shape: Shape;
  readonly domain?: Domain;
  /** A weight rather than a model input. */
  readonly param?: boolean;
  /** Not differentiated (a condition's source, say). */
  readonly constant?: boolean;
}

function sample(rng: ReturnType<typeof generator>, shape: Shape, domain: Domain = 'any'): Float64Array {
  return Float64Array.from({ length: numel(shape) }, () => {
    const u = rng.next();
    if (domain === 'any') return 4 * u - 2;
    const m = 0.5 + 1.5 * rng.next();
    return domain === 'pos' ? m : u < 0.5 ? -m : m;
  });
}

interface Problem {
  readonly b: GraphBuilder;
  readonly graph: Graph;
  readonly loss: Node;
  readonly leaves: Node[];
  readonly wrt: Node[];
  readonly values: Map<string, Float64Array>;
}

/** loss = sum(f(leaves) * R), R random, so that the gradient flowing into f is not uniform. */
function problem(rng: ReturnType<typeof generator>, leaves: readonly Leaf[], f: (b: GraphBuilder, xs: Node[]) => Node, extra: readonly [string, Shape, Float64Array][] = []): Problem {
  const b = new GraphBuilder();
  const xs = leaves.map((l) => (l.param ? b.param(l.name, tensorType('f32', l.shape), M(l.name)) : b.input(l.name, tensorType('f32', l.shape), M(l.name))));
  const ints = extra.map(([name, shape]) => b.input(name, tensorType('i32', shape), M(name)));
  xs.push(...ints);
  const y = f(b, xs);
  const r = b.input('R', y.type, M('R'));
  const prod = b.op('mul', [y, r], {}, M('prod'));
  const loss = y.type.shape.length ? b.op('reduce_sum', [prod], { axes: y.type.shape.map((_, i) => i) }, M('loss')) : prod;
  const inputs = [...xs.filter((x) => x.op === 'input'), r];
  const graph: Graph = { ctx: b.ctx, name: 't', body: topoOrder([loss, ...inputs]), inputs, outputs: [{ name: 'loss', node: loss }], taps: [] };
  const values = new Map(leaves.map((l) => [l.name, sample(rng, l.shape, l.domain)]));
  values.set('R', sample(rng, y.type.shape));
  for (const [name, , v] of extra) values.set(name, v);
  return { b, graph, loss, leaves: xs, wrt: xs.filter((_, i) => i < leaves.length && !leaves[i]!.constant), values };
}

/** Training mode with a fixed seed, for dropout. */
let TRAIN: { train: boolean; seed: number } | undefined;

function run(g: Graph, values: ReadonlyMap<string, Float64Array>): Map<string, Tensor> {
  const tensor = (n: Node) => makeTensor(n.type.dtype, n.type.shape, Float64Array.from(values.get(n.attr<string>('name'))!), true);
  const inputs = new Map(g.inputs.map((n) => [n.attr<string>('name'), tensor(n)]));
  return interpret(g, inputs, (_name, n) => tensor(n), { f64: true, ...TRAIN }).outputs;
}

/** The largest difference between the analytic gradients and central differences, relative to the gradient's scale. */
function checkAgainstFiniteDifferences(p: Problem): void {
  const gg = gradientGraph(p.graph, p.loss, p.wrt, p.b);
  const analytic = run(gg, p.values);
  const lossAt = (vals: Map<string, Float64Array>) => run(p.graph, vals).get('loss')!.data[0]!;
  for (const w of p.wrt) {
    const name = w.attr<string>('name');
    const base = p.values.get(name)!;
    const fd = new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const at = (delta: number) => {
        const v = Float64Array.from(base);
        v[j]! += delta;
        return lossAt(new Map(p.values).set(name, v));
      };
      fd[j] = (at(H) - at(-H)) / (2 * H);
    }
    const got = analytic.get(`grad.${name}`)!.data;
    const scale = Math.max(1, ...fd.map(Math.abs));
    const worst = Math.max(0, ...fd.map((v, j) => Math.abs(v - got[j]!)));
    expect(worst / scale, `d loss / d ${name} (${base.length} elements)`).toBeLessThan(TOL);
  }
}

const SHAPES_PER_OP = 3;

/** Several random instances of one rule's check. */
function forShapes(seed: number, make: (rng: ReturnType<typeof generator>) => Problem): void {
  const rng = generator(seed);
  for (let i = 0; i < SHAPES_PER_OP; i++) checkAgainstFiniteDifferences(make(rng));
}

const UNARY: [string, Domain, Attrs?][] = [
  ['neg', 'any'], ['abs', 'away'], ['exp', 'any'], ['log', 'pos'], ['tanh', 'any'], ['sqrt', 'pos'], ['rsqrt', 'pos'], ['recip', 'away'],
  ['erf', 'any'], ['relu', 'away'], ['gelu', 'any', { approximate: 'none' }], ['gelu', 'any', { approximate: 'tanh' }], ['cast', 'any', { to: 'f32' }],
];

describe('gradient rules against central finite differences (float64)', () => {
  it.each(UNARY)('%s', (op, domain, attrs) => {
    forShapes(op.length * 7 + (attrs ? 1 : 0), (rng) => problem(rng, [{ name: 'x', shape: rng.shape(), domain }], (b, [x]) => b.op(op, [x!], attrs ?? {}, M('y'))));
  });

  const BINARY: [string, Domain, Domain][] = [['add', 'any', 'any'], ['sub', 'any', 'any'], ['mul', 'any', 'any'], ['div', 'any', 'away'], ['max', 'any', 'any'], ['min', 'any', 'any'], ['pow', 'pos', 'any']];
  it.each(BINARY)('%s, with broadcasting either way', (op, da, db) => {
    forShapes(op.charCodeAt(0) * 13, (rng) => {
      const out = rng.shape(1, 3);
      const [sa, sb] = rng.next() < 0.5 ? [out, rng.broadcastFrom(out)] : [rng.broadcastFrom(out), out];
      return problem(rng, [{ name: 'a', shape: sa, domain: da }, { name: 'b', shape: sb, domain: db }], (b, [x, y]) => b.op(op, [x!, y!], {}, M('y')));
    });
  });

  it('where: both branches, broadcast; the condition gets nothing', () => {
    forShapes(5, (rng) => {
      const out = rng.shape(2, 3);
      const leaves: Leaf[] = [{ name: 'c', shape: rng.broadcastFrom(out), constant: true }, { name: 'x', shape: out }, { name: 'y', shape: rng.broadcastFrom(out) }];
      return problem(rng, leaves, (b, [c, x, y]) => b.op('where', [b.op('gt', [c!, b.constant(0, 'f32', M('0'))], {}, M('c')), x!, y!], {}, M('w')));
    });
  });

  it.each(['reduce_sum', 'reduce_mean', 'reduce_max'])('%s over random axes, with and without keepdims', (op) => {
    forShapes(op.length * 3, (rng) => {
      const shape = rng.shape(1, 3);
      const axes = shape.map((_, i) => i).filter(() => rng.next() < 0.5);
      if (!axes.length) axes.push(rng.int(0, shape.length - 1));
      return problem(rng, [{ name: 'x', shape }], (b, [x]) => b.op(op, [x!], { axes, keepdims: rng.next() < 0.5 }, M('y')));
    });
  });

  it('softmax on every axis, the middle one included', () => {
    const rng = generator(11);
    for (const [shape, axis] of [[[3, 4], -1], [[2, 3, 4], 1], [[2, 3, 4], 0], [[4, 2, 3], -1]] as const) {
      checkAgainstFiniteDifferences(problem(rng, [{ name: 'x', shape }], (b, [x]) => b.op('softmax', [x!], { axis }, M('s'))));
    }
  });

  it('layernorm, with respect to x, gamma and beta', () => {
    forShapes(12, (rng) => {
      const shape = [...rng.shape(1, 2), rng.int(2, 5)];
      const d = shape[shape.length - 1]!;
      const leaves: Leaf[] = [{ name: 'x', shape }, { name: 'gamma', shape: [d], param: true }, { name: 'beta', shape: [d], param: true }];
      return problem(rng, leaves, (b, [x, g, bb]) => b.op('layernorm', [x!, g!, bb!], { eps: 1e-5 }, M('ln')));
    });
  });

  const MATMULS: [string, Shape, Shape, boolean, boolean][] = [
    ['plain', [3, 4], [4, 2], false, false],
    ['transpose_a', [4, 3], [4, 2], true, false],
    ['transpose_b', [3, 4], [2, 4], false, true],
    ['both transposed', [4, 3], [2, 4], true, true],
    ['batched activations, shared weight', [2, 3, 4], [4, 2], false, false],
    ['shared left operand, batched right', [3, 4], [2, 4, 2], false, false],
    ['batched both, transpose_b (attention scores)', [2, 2, 3, 4], [2, 2, 3, 4], false, true],
    ['broadcast batch dimensions, transpose_a', [2, 1, 4, 3], [3, 4, 2], true, false],
  ];
  it.each(MATMULS)('matmul: %s', (_what, sa, sb, transpose_a, transpose_b) => {
    const rng = generator(sa.length * 31 + sb.length);
    checkAgainstFiniteDifferences(problem(rng, [{ name: 'a', shape: sa }, { name: 'b', shape: sb, param: true }], (b, [x, y]) => b.op('matmul', [x!, y!], { transpose_a, transpose_b }, M('mm'))));
  });

  it('reshape, transpose, expand', () => {
    forShapes(21, (rng) => {
      const shape = rng.shape(2, 3);
      const perm = shape.map((_, i) => i).sort(() => rng.next() - 0.5);
      const small = rng.broadcastFrom(shape);
      return problem(rng, [{ name: 'x', shape }, { name: 's', shape: small }], (b, [x, s]) => {
        const t = b.op('transpose', [b.op('reshape', [x!], { shape: [...shape].reverse() }, M('r'))], { perm }, M('t'));
        const moved = b.op('reshape', [t], { shape: [numel(shape)] }, M('flat'));
        return b.op('add', [moved, b.op('reshape', [b.op('expand', [s!], { shape: [...shape] }, M('e'))], { shape: [numel(shape)] }, M('ef'))], {}, M('y'));
      });
    });
  });

  it('slice (Python-style bounds) and concat', () => {
    forShapes(33, (rng) => {
      const shape = [...rng.shape(1, 2), rng.int(3, 5)];
      const axis = rng.int(0, shape.length - 1);
      const dim = shape[axis]!;
      const start = rng.int(0, dim - 1) - (rng.next() < 0.3 ? dim : 0);
      const other = shape.map((d, i) => (i === axis ? rng.int(1, 3) : d));
      return problem(rng, [{ name: 'x', shape }, { name: 'z', shape: other }], (b, [x, z]) => {
        const s = b.op('slice', [x!], { axis, start, end: dim + 5 }, M('s'));
        return b.op('concat', [z!, s, z!], { axis }, M('c'));
      });
    });
  });
});

describe('rules at ties and kinks, exactly', () => {
  const scalarGraph = (b: GraphBuilder, loss: Node, inputs: Node[]): Graph => ({ ctx: b.ctx, name: 't', body: topoOrder([loss, ...inputs]), inputs, outputs: [{ name: 'loss', node: loss }], taps: [] });
  const grad = (values: Record<string, number[]>, build: (b: GraphBuilder, x: Node, y: Node) => Node) => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [values['x']!.length]), M('x'));
    const y = b.input('y', tensorType('f32', [values['y']!.length]), M('y'));
    const loss = b.op('reduce_sum', [build(b, x, y)], { axes: [0] }, M('loss'));
    const gg = gradientGraph(scalarGraph(b, loss, [x, y]), loss, [x, y], b);
    const out = run(gg, new Map(Object.entries(values).map(([k, v]) => [k, Float64Array.from(v)])));
    return [Array.from(out.get('grad.x')!.data), Array.from(out.get('grad.y')!.data)];
  };

  it('reduce_max shares the gradient equally among tied maxima', () => {
    expect(grad({ x: [1, 3, 3, 0], y: [0] }, (b, x) => b.op('reduce_max', [x], { axes: [0], keepdims: true }, M('m')))[0]).toEqual([0, 0.5, 0.5, 0]);
  });

  it('max and min split a tie in half, and abs and relu give 0 at 0', () => {
    expect(grad({ x: [1, 2, 3], y: [2, 2, 2] }, (b, x, y) => b.op('max', [x, y], {}, M('m')))).toEqual([[0, 0.5, 1], [1, 0.5, 0]]);
    expect(grad({ x: [1, 2, 3], y: [2, 2, 2] }, (b, x, y) => b.op('min', [x, y], {}, M('m')))).toEqual([[1, 0.5, 0], [0, 0.5, 1]]);
    expect(grad({ x: [-1, 0, 2], y: [0] }, (b, x) => b.op('abs', [x], {}, M('a')))[0]).toEqual([-1, 0, 1]);
    expect(grad({ x: [-1, 0, 2], y: [0] }, (b, x) => b.op('relu', [x], {}, M('r')))[0]).toEqual([0, 0, 1]);
  });

  it('a cast between float types casts the gradient back', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [4]), M('x'));
    const loss = b.op('reduce_sum', [b.op('cast', [x], { to: 'f16' }, M('h'))], { axes: [0] }, M('loss'));
    const g = gradients(scalarGraph(b, loss, [x]), loss, [x], b).get(x)!;
    expect([g.op, g.attr('to'), g.type]).toEqual(['cast', 'f32', x.type]);
  });
});

describe('the walk', () => {
  it('every op of the catalogue has a rule', () => {
    expect([...OPS.values()].filter((d) => !d.grad).map((d) => d.name)).toEqual([]);
  });

  it('sums the gradients of a value read several times (x * x + exp(x), and x read twice by one mul)', () => {
    const rng = generator(3);
    const p = problem(rng, [{ name: 'x', shape: [2, 3] }], (b, [x]) => b.op('add', [b.op('mul', [x!, x!], {}, M('sq')), b.op('exp', [x!], {}, M('ex'))], {}, M('y')));
    checkAgainstFiniteDifferences(p);
    const g = gradients(p.graph, p.loss, p.wrt, p.b).get(p.leaves[0]!)!;
    expect(g.op).toBe('add');
    expect(g.meta.origin).toEqual({ kind: 'derived', from: p.leaves[0]!.id, pass: AUTODIFF });
  });

  it('differentiates a chain: a small MLP with GELU, layernorm and softmax, inputs and weights', () => {
    const rng = generator(99);
    const leaves: Leaf[] = [
      { name: 'x', shape: [2, 3, 4] }, { name: 'w1', shape: [5, 4], param: true }, { name: 'b1', shape: [5], param: true },
      { name: 'ln.weight', shape: [5], param: true }, { name: 'ln.bias', shape: [5], param: true }, { name: 'w2', shape: [3, 5], param: true },
    ];
    const p = problem(rng, leaves, (b, [x, w1, b1, g, beta, w2]) => {
      const h = b.op('gelu', [b.op('add', [b.op('matmul', [x!, w1!], { transpose_b: true }, M('h0')), b1!], {}, M('h1'))], {}, M('h'));
      const n = b.op('layernorm', [h, g!, beta!], { eps: 1e-5 }, M('n'));
      return b.op('softmax', [b.op('matmul', [n, w2!], { transpose_b: true }, M('logits'))], { axis: -1 }, M('p'));
    });
    checkAgainstFiniteDifferences(p);
  });

  it('the backward is ordinary IR: the -O2 pipeline fuses it and the values stay', () => {
    const rng = generator(7);
    const p = problem(rng, [{ name: 'x', shape: [2, 3, 4] }, { name: 'w', shape: [4, 4], param: true }, { name: 'b', shape: [4], param: true }], (b, [x, w, bias]) =>
      b.op('gelu', [b.op('add', [b.op('matmul', [x!, w!], { transpose_b: true }, M('mm')), bias!], {}, M('pre'))], {}, M('y')));
    const gg = gradientGraph(p.graph, p.loss, p.wrt, p.b);
    const fused = runPipeline({ graph: gg, partition: baselinePartition(gg), decisions: [], train: true }, parsePipeline(LEVELS['O2']!)).module;
    const kernels = (m: { groupOf: ReadonlyMap<Node, number> }) => new Set(m.groupOf.values()).size;
    expect(kernels(fused.partition)).toBeLessThan(kernels(baselinePartition(gg)));
    const before = run(gg, p.values);
    const after = run(fused.graph, p.values);
    for (const [name, t] of before) expect(Array.from(after.get(name)!.data).map((v, i) => Math.abs(v - t.data[i]!)).every((d) => d < 1e-12), name).toBe(true);
  });

  it('visits only nodes on a path from wrt to the loss', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [2, 3]), M('x'));
    const w = b.input('w', tensorType('f32', [3]), M('w'));
    const sq = b.op('mul', [x, x], {}, M('sq'));
    const s1 = b.op('reduce_sum', [sq], { axes: [0, 1] }, M('s1'));
    const t = b.op('tanh', [w], {}, M('t'));
    const s2 = b.op('reduce_sum', [t], { axes: [0] }, M('s2'));
    const loss = b.op('add', [s1, s2], {}, M('loss'));
    const side = b.op('exp', [x], {}, M('side'));
    const graph: Graph = { ctx: b.ctx, name: 't', body: topoOrder([loss, side, x, w]), inputs: [x, w], outputs: [{ name: 'loss', node: loss }, { name: 'side', node: side }], taps: [] };
    const made = b.created.length;
    const gg = gradientGraph(graph, loss, [x], b);
    const derivedFrom = new Set(b.created.slice(made).map((n) => n.meta.origin?.kind === 'derived' && n.meta.origin.from));
    expect([...derivedFrom].sort()).toEqual([x.id, sq.id, s1.id, loss.id].sort());
    // The seed (1), s1's reshape and expand, sq's g * x (one node for both operands) and their sum at x.
    const backward = gg.body.filter((n) => n.meta.origin?.kind === 'derived');
    expect(backward.map((n) => n.op)).toEqual(['const', 'reshape', 'expand', 'mul', 'add']);
    expect(gg.body.filter((n) => !backward.includes(n))).toEqual(topoOrder([loss, x, w]));
    expect(describeOrigin(backward[0]!.meta)).toBe(`derived from node ${loss.id} by autodiff`);
  });

  it('gives zeros for a value the loss does not depend on', () => {
    const b = new GraphBuilder();
    const x = b.input('x', tensorType('f32', [2]), M('x'));
    const u = b.input('u', tensorType('f32', [3]), M('u'));
    const loss = b.op('reduce_sum', [x], { axes: [0] }, M('loss'));
    const gg = gradientGraph({ ctx: b.ctx, name: 't', body: [x, u, loss], inputs: [x, u], outputs: [{ name: 'loss', node: loss }], taps: [] }, loss, [x, u], b);
    expect(Array.from(run(gg, new Map([['x', Float64Array.of(1, 2)], ['u', Float64Array.of(1, 2, 3)]])).get('grad.u')!.data)).toEqual([0, 0, 0]);
  });
});

describe('gather, scatter_add and dropout', () => {
  const GATHERS: [string, Shape, Shape, number][] = [
    ['embedding lookup, rows picked twice', [5, 3], [2, 4], 0],
    ['one-dimensional table', [6], [3], 0],
    ['along a middle axis', [2, 4, 3], [2, 2], 1],
    ['along the last axis', [3, 5], [4], -1],
  ];
  it.each(GATHERS)('gather: %s (the table; the indices get none)', (_what, ts, is, axis) => {
    const rng = generator(ts.length * 17 + is.length);
    const rows = ts[axis < 0 ? ts.length + axis : axis]!;
    const ids = Float64Array.from({ length: numel(is) }, (_, i) => (i === 1 ? 0 : rng.int(0, rows - 1)));
    ids[0] = 0;
    const p = problem(rng, [{ name: 'table', shape: ts, param: true }], (b, [t, i]) => b.op('gather', [t!, i!], { axis }, M('g')), [['ids', is, ids]]);
    checkAgainstFiniteDifferences(p);
    const gs = gradients(p.graph, p.loss, p.leaves, p.b);
    expect(gs.get(p.leaves[1]!)!.type).toEqual(p.leaves[1]!.type);
  });

  it('gather with padding_idx: the lookup is unchanged and that row gets no gradient (nn.Embedding)', () => {
    const rng = generator(77);
    const ids = Float64Array.of(0, 2, 0, 1, 2, 4);
    const p = problem(rng, [{ name: 'table', shape: [5, 3], param: true }], (b, [t, i]) => b.op('gather', [t!, i!], { padding_idx: 0 }, M('g')), [['ids', [2, 3], ids]]);
    const gg = gradientGraph(p.graph, p.loss, p.wrt, p.b);
    const dt = run(gg, p.values).get('grad.table')!.data;
    expect(Array.from(dt.slice(0, 3))).toEqual([0, 0, 0]);
    expect(Array.from(dt.slice(9, 12))).toEqual([0, 0, 0]); // row 3 is never picked
    expect(Array.from(dt.slice(3, 9)).every((v) => v !== 0)).toBe(true);
  });

  it('gather\'s rule is a scatter_add of the gradient, not a product with a one-hot matrix', () => {
    const rng = generator(5);
    const p = problem(rng, [{ name: 'table', shape: [6, 3], param: true }], (b, [t, i]) => b.op('gather', [t!, i!], { padding_idx: 2 }, M('g')), [['ids', [2, 2], Float64Array.of(1, 2, 1, 5)]]);
    const dt = gradients(p.graph, p.loss, p.wrt, p.b).get(p.leaves[0]!)!;
    expect([dt.op, dt.attrs, dt.srcs.map((s) => s.type.shape)]).toEqual(['scatter_add', { rows: 6, axis: 0, padding_idx: 2 }, [[4, 3], [4]]]);
    const backward = gradientGraph(p.graph, p.loss, p.wrt, p.b).body.filter((n) => n.meta.origin?.kind === 'derived');
    expect(backward.filter((n) => n.op === 'matmul' || n.op === 'iota')).toEqual([]);
  });

  // [what, updates, indices, rows, axis, padding_idx]; the indices repeat some rows and skip others.
  const SCATTERS: [string, Shape, Shape, number, number, number][] = [
    ['rows named several times, [2, 3] indices', [2, 3, 4], [2, 3], 5, 0, -1],
    ['along a middle axis', [2, 4, 3], [4], 3, 1, -1],
    ['along the last axis', [3, 5], [5], 4, -1, -1],
    ['with padding_idx: the updates it names get none', [6, 2], [6], 4, 0, 0],
  ];
  it.each(SCATTERS)('scatter_add: %s (the updates; the indices get none)', (_what, us, is, rows, axis, padding_idx) => {
    const rng = generator(us.length * 19 + rows);
    const ids = Float64Array.from({ length: numel(is) }, (_, i) => (i < 2 ? 0 : rng.int(0, rows - 1)));
    const p = problem(rng, [{ name: 'u', shape: us }], (b, [u, i]) => b.op('scatter_add', [u!, i!], { rows, axis, padding_idx }, M('s')), [['ids', is, ids]]);
    checkAgainstFiniteDifferences(p);
    const gs = gradients(p.graph, p.loss, p.leaves, p.b);
    expect(gs.get(p.leaves[1]!)!.type).toEqual(p.leaves[1]!.type);
    if (padding_idx < 0) return;
    const du = run(gradientGraph(p.graph, p.loss, p.wrt, p.b), p.values).get('grad.u')!.data;
    const row = us[us.length - 1]!;
    ids.forEach((r, i) => expect(Array.from(du.slice(i * row, (i + 1) * row)).every((v) => v === 0), `update ${i} (index ${r})`).toBe(r === padding_idx));
  });

  it('dropout in training mode with a fixed seed: the mask is regenerated (same p and id), linear in x', () => {
    TRAIN = { train: true, seed: 1234 };
    try {
      forShapes(21, (rng) => problem(rng, [{ name: 'x', shape: [3, 4, 5] }], (b, [x]) => b.op('gelu', [b.op('dropout', [x!], { p: 0.3, id: 2 }, M('d'))], {}, M('y'))));
      const rng = generator(4);
      const p = problem(rng, [{ name: 'x', shape: [4, 8] }], (b, [x]) => b.op('dropout', [x!], { p: 0.5, id: 7 }, M('d')));
      const gg = gradientGraph(p.graph, p.loss, p.wrt, p.b);
      const back = gg.body.filter((n) => n.op === 'dropout' && n.meta.origin?.kind === 'derived');
      expect(back.map((n) => [n.attr('p'), n.attr('id')])).toEqual([[0.5, 7]]);
      const dx = run(gg, p.values).get('grad.x')!.data;
      const zeros = Array.from(dx).filter((v) => v === 0).length;
      expect(zeros).toBeGreaterThan(4);
      expect(zeros).toBeLessThan(28);
    } finally {
      TRAIN = undefined;
    }
  });

  it('dropout at inference: the gradient passes through unchanged', () => {
    forShapes(22, (rng) => problem(rng, [{ name: 'x', shape: rng.shape() }], (b, [x]) => b.op('dropout', [x!], { p: 0.3, id: 0 }, M('d'))));
  });
});
