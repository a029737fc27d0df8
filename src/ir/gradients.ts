import { isFloat, type DType } from './dtype.js';
import type { Node } from './node.js';
import { reduceAxes, type GradEmitter, type GradRule } from './opRules.js';
import { normalizeAxis, numel, shapeEquals, type Shape } from './shape.js';
import { sliceBounds } from './view.js';

/**
 * The gradient rule table: one reverse-mode rule per op, each mapping (node, gradient of its result)
 * to the gradients of its operands as ordinary IR (tinygrad's `gradient.py`). The op catalogue
 * (`ops.ts`) attaches them as `grad:`; the walk that calls them is `autodiff.ts`. Every gradient is
 * built from the catalogue's own ops, so the fusion passes and the backends run the backward as they
 * run the forward. docs/autodiff.md lists the rules and what they do at kinks and ties.
 */

// ---------------------------------------------------------------- building blocks

const dtypeOf = (n: Node): DType => n.type.dtype;
const add = (e: GradEmitter, a: Node, b: Node) => e.op('add', [a, b]);
const sub = (e: GradEmitter, a: Node, b: Node) => e.op('sub', [a, b]);
const mul = (e: GradEmitter, a: Node, b: Node) => e.op('mul', [a, b]);
const div = (e: GradEmitter, a: Node, b: Node) => e.op('div', [a, b]);
const neg = (e: GradEmitter, a: Node) => e.op('neg', [a]);
/** `a * c` for a number c, in a's dtype. */
const scale = (e: GradEmitter, a: Node, c: number) => mul(e, a, e.constant(c, dtypeOf(a)));
/** 1.0 where the bool tensor holds, else 0.0, in dtype d. */
const indicator = (e: GradEmitter, b: Node, d: DType) => e.op('cast', [b], { to: d });
const reshape = (e: GradEmitter, a: Node, shape: Shape) => (shapeEquals(a.type.shape, shape) ? a : e.op('reshape', [a], { shape: [...shape] }));
const expandTo = (e: GradEmitter, a: Node, shape: Shape) => (shapeEquals(a.type.shape, shape) ? a : e.op('expand', [a], { shape: [...shape] }));
const rank = (n: Node) => n.type.shape.length;

/** A zero tensor of a dtype and shape: a scalar constant broadcast. */
export function zeros(e: GradEmitter, dtype: DType, shape: Shape): Node {
  return expandTo(e, e.constant(0, dtype), shape);
}

/**
 * `g` reduced back to the shape of the operand it flowed from: summed over the leading axes that
 * broadcasting added and over the size-1 axes it stretched, then reshaped to `shape`.
 */
export function unbroadcast(e: GradEmitter, g: Node, shape: Shape): Node {
  const gs = g.type.shape;
  if (shapeEquals(gs, shape)) return g;
  const lead = gs.length - shape.length;
  const axes = gs.flatMap((d, i) => (i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : []));
  if (!axes.length) return reshape(e, g, shape);
  const onlyLeading = axes.every((a) => a < lead);
  return reshape(e, e.op('reduce_sum', [g], { axes, keepdims: !onlyLeading }), shape);
}

/** The operand's shape with the reduced axes kept as size 1. */
function keptShape(n: Node): number[] {
  const axes = reduceAxes(n);
  return n.srcs[0]!.type.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

/** Gradients of both operands of a broadcast binary op, from the gradients of its result. */
function both(e: GradEmitter, n: Node, ga: Node, gb: Node): Node[] {
  return [unbroadcast(e, ga, n.srcs[0]!.type.shape), unbroadcast(e, gb, n.srcs[1]!.type.shape)];
}

// ---------------------------------------------------------------- no gradient

/** Sources and comparisons: nothing flows to their operands (sources have none). */
export const noGradient: GradRule = (_e, n) => n.srcs.map(() => undefined);

// ---------------------------------------------------------------- unary

const TWO_OVER_SQRT_PI = 1.1283791670955126;
const INV_SQRT_2PI = 0.3989422804014327;
const SQRT_2_OVER_PI = 0.7978845608028654;
const GELU_TANH_C = 0.044715;

export const negGrad: GradRule = (e, _n, g) => [neg(e, g)];

/** g * sign(x); the gradient at 0 is 0, as PyTorch's. */
export const absGrad: GradRule = (e, n, g) => [mul(e, g, signOf(e, n.srcs[0]!))];

function signOf(e: GradEmitter, x: Node): Node {
  const zero = e.constant(0, dtypeOf(x));
  return sub(e, indicator(e, e.op('gt', [x, zero]), dtypeOf(x)), indicator(e, e.op('lt', [x, zero]), dtypeOf(x)));
}

export const expGrad: GradRule = (e, n, g) => [mul(e, g, n)];
export const logGrad: GradRule = (e, n, g) => [div(e, g, n.srcs[0]!)];
/** g * (1 - tanh(x)^2), from the result. */
export const tanhGrad: GradRule = (e, n, g) => [mul(e, g, sub(e, e.constant(1, dtypeOf(n)), mul(e, n, n)))];
/** g / (2 sqrt(x)), from the result. */
export const sqrtGrad: GradRule = (e, n, g) => [div(e, g, scale(e, n, 2))];
/** -g / (2 x^(3/2)) = -0.5 g r^3 with r = rsqrt(x), from the result. */
export const rsqrtGrad: GradRule = (e, n, g) => [mul(e, scale(e, g, -0.5), mul(e, n, mul(e, n, n)))];
/** -g / x^2 = -g r^2 with r = 1/x, from the result. */
export const recipGrad: GradRule = (e, n, g) => [neg(e, mul(e, g, mul(e, n, n)))];
/** g * 2/sqrt(pi) * exp(-x^2). */
export const erfGrad: GradRule = (e, n, g) => [mul(e, g, scale(e, e.op('exp', [neg(e, square(e, n.srcs[0]!))]), TWO_OVER_SQRT_PI))];
/** g where x > 0, else 0 (0 at x = 0, as PyTorch's threshold_backward). */
export const reluGrad: GradRule = (e, n, g) => [passWhere(e, e.op('gt', [n.srcs[0]!, e.constant(0, dtypeOf(n))]), g)];

const square = (e: GradEmitter, x: Node) => mul(e, x, x);
/** g where the condition holds, else 0. */
const passWhere = (e: GradEmitter, cond: Node, g: Node) => e.op('where', [cond, g, e.constant(0, dtypeOf(g))]);

/** Both GELU forms, by the node's `approximate` attribute. */
export const geluGrad: GradRule = (e, n, g) => [mul(e, g, n.attr<string>('approximate') === 'tanh' ? geluTanhSlope(e, n.srcs[0]!) : geluErfSlope(e, n.srcs[0]!))];

/** d/dx x Phi(x) = Phi(x) + x phi(x): Phi(x) = (1 + erf(x / sqrt 2)) / 2, phi(x) = exp(-x^2 / 2) / sqrt(2 pi). */
function geluErfSlope(e: GradEmitter, x: Node): Node {
  const d = dtypeOf(x);
  const cdf = scale(e, add(e, e.constant(1, d), e.op('erf', [scale(e, x, Math.SQRT1_2)])), 0.5);
  const pdf = scale(e, e.op('exp', [scale(e, square(e, x), -0.5)]), INV_SQRT_2PI);
  return add(e, cdf, mul(e, x, pdf));
}

/** y = x (1 + t) / 2, t = tanh(u), u = c (x + k x^3): y' = (1 + t) / 2 + x (1 - t^2) c (1 + 3k x^2) / 2. */
function geluTanhSlope(e: GradEmitter, x: Node): Node {
  const d = dtypeOf(x);
  const one = e.constant(1, d);
  const x2 = square(e, x);
  const t = e.op('tanh', [scale(e, add(e, x, scale(e, mul(e, x2, x), GELU_TANH_C)), SQRT_2_OVER_PI)]);
  const du = scale(e, add(e, one, scale(e, x2, 3 * GELU_TANH_C)), SQRT_2_OVER_PI);
  const inner = mul(e, mul(e, x, sub(e, one, square(e, t))), du);
  return scale(e, add(e, add(e, one, t), inner), 0.5);
}

/** Float to float: the gradient cast back to the operand's dtype. Nothing flows to an integer or bool operand. */
export const castGrad: GradRule = (e, n, g) => {
  const x = n.srcs[0]!;
  return [isFloat(dtypeOf(x)) && isFloat(dtypeOf(n)) ? e.op('cast', [g], { to: dtypeOf(x) }) : undefined];
};

// ---------------------------------------------------------------- binary (broadcast)

export const addGrad: GradRule = (e, n, g) => both(e, n, g, g);
export const subGrad: GradRule = (e, n, g) => both(e, n, g, neg(e, g));
export const mulGrad: GradRule = (e, n, g) => both(e, n, mul(e, g, n.srcs[1]!), mul(e, g, n.srcs[0]!));
/** a / b: g / b and -g (a / b) / b, from the result. */
export const divGrad: GradRule = (e, n, g) => both(e, n, div(e, g, n.srcs[1]!), neg(e, div(e, mul(e, g, n), n.srcs[1]!)));

/** max and min: the gradient goes to the operand that won; on a tie each gets half (PyTorch's maximum/minimum). */
export const maxGrad: GradRule = (e, n, g) => winnerGrad(e, n, g, 'gt');
export const minGrad: GradRule = (e, n, g) => winnerGrad(e, n, g, 'lt');

function winnerGrad(e: GradEmitter, n: Node, g: Node, wins: 'gt' | 'lt'): Node[] {
  const [a, b] = n.srcs as [Node, Node];
  const d = dtypeOf(n);
  const share = add(e, indicator(e, e.op(wins, [a, b]), d), scale(e, indicator(e, e.op('eq', [a, b]), d), 0.5));
  return both(e, n, mul(e, g, share), mul(e, g, sub(e, e.constant(1, d), share)));
}

/** a^b: g b a^(b-1), and g a^b log(a) (0 where a = 0, as PyTorch's; NaN for a < 0, where a^b is not smooth in b). */
export const powGrad: GradRule = (e, n, g) => {
  const [a, b] = n.srcs as [Node, Node];
  const one = e.constant(1, dtypeOf(n));
  const da = mul(e, mul(e, g, b), e.op('pow', [a, sub(e, b, one)]));
  const atZero = e.op('eq', [a, e.constant(0, dtypeOf(a))]);
  const db = mul(e, g, e.op('where', [atZero, e.constant(0, dtypeOf(n)), mul(e, n, e.op('log', [a]))]));
  return both(e, n, da, db);
};

/** The condition gets none; each branch gets the gradient where it was chosen. */
export const whereGrad: GradRule = (e, n, g) => {
  const [c, x, y] = n.srcs as [Node, Node, Node];
  const zero = e.constant(0, dtypeOf(g));
  return [undefined, unbroadcast(e, e.op('where', [c, g, zero]), x.type.shape), unbroadcast(e, e.op('where', [c, zero, g]), y.type.shape)];
};

// ---------------------------------------------------------------- reductions

/** Every element of a reduced group gets the group's gradient. */
export const reduceSumGrad: GradRule = (e, n, g) => [expandTo(e, reshape(e, g, keptShape(n)), n.srcs[0]!.type.shape)];

/** The group's gradient divided by the group's size. */
export const reduceMeanGrad: GradRule = (e, n, g) => {
  const x = n.srcs[0]!;
  const count = numel(x.type.shape) / numel(n.type.shape);
  return [expandTo(e, reshape(e, scale(e, g, 1 / count), keptShape(n)), x.type.shape)];
};

/**
 * To the positions of the maximum; where several elements tie for it, they share the gradient
 * equally (PyTorch's `amax` backward), so the sum over the group is the group's gradient.
 */
export const reduceMaxGrad: GradRule = (e, n, g) => {
  const x = n.srcs[0]!;
  const kept = keptShape(n);
  const hit = indicator(e, e.op('eq', [x, reshape(e, n, kept)]), dtypeOf(x));
  const ties = e.op('reduce_sum', [hit], { axes: reduceAxes(n), keepdims: true });
  return [mul(e, div(e, hit, ties), reshape(e, g, kept))];
};

// ---------------------------------------------------------------- row ops

/** s (g - sum(g s)) along the softmax axis, from the result s. */
export const softmaxGrad: GradRule = (e, n, g) => {
  const axis = normalizeAxis(n.attr<number>('axis'), rank(n))!;
  const dot = e.op('reduce_sum', [mul(e, g, n)], { axes: [axis], keepdims: true, acc: n.attr<string>('acc') });
  return [mul(e, n, sub(e, g, dot))];
};

/**
 * With xhat = (x - mean) rstd and d = g gamma: dx = rstd (d - mean(d) - xhat mean(d xhat)), means over
 * the last axis; dgamma = sum of g xhat and dbeta = sum of g over every other axis. The statistics
 * are recomputed from x (whether to keep them instead is the save-or-recompute pass's choice).
 */
export const layernormGrad: GradRule = (e, n, g) => {
  const [x, gamma, beta] = n.srcs as [Node, Node, Node];
  const acc = n.attr<string>('acc');
  const mean = (v: Node) => e.op('reduce_mean', [v], { axes: [rank(x) - 1], keepdims: true, acc });
  const xc = sub(e, x, mean(x));
  const rstd = e.op('rsqrt', [add(e, mean(square(e, xc)), e.constant(n.attr<number>('eps'), dtypeOf(x)))]);
  const xhat = mul(e, xc, rstd);
  const d = mul(e, g, gamma);
  const dx = mul(e, rstd, sub(e, sub(e, d, mean(d)), mul(e, xhat, mean(mul(e, d, xhat)))));
  return [dx, unbroadcast(e, mul(e, g, xhat), gamma.type.shape), unbroadcast(e, g, beta.type.shape)];
};

// ---------------------------------------------------------------- matmul

/**
 * C = op(A) op(B), op a transpose where asked. dA = g op(B)^T, transposed back when A was;
 * dB = op(A)^T g, likewise; each as one matmul with transpose flags, then summed over the batch
 * dimensions that broadcasting gave the operand.
 */
export const matmulGrad: GradRule = (e, n, g) => {
  const [a, b] = n.srcs as [Node, Node];
  const ta = n.attr<boolean>('transpose_a');
  const tb = n.attr<boolean>('transpose_b');
  const mm = (x: Node, y: Node, transpose_a: boolean, transpose_b: boolean) => e.op('matmul', [x, y], { transpose_a, transpose_b, acc: n.attr<string>('acc') });
  const da = ta ? mm(b, g, tb, true) : mm(g, b, false, !tb);
  if (!ta && rank(b) === 2 && rank(a) > 2) {
    // A weight applied to every row of a batch: its gradient is one product whose contraction runs
    // over all the rows (dW accumulated over the batch inside the GEMM), not a product per batch
    // element summed afterwards.
    const rows = numel(a.type.shape.slice(0, -1));
    const a2 = reshape(e, a, [rows, a.type.shape[rank(a) - 1]!]);
    const g2 = reshape(e, g, [rows, g.type.shape[rank(g) - 1]!]);
    return [unbroadcast(e, da, a.type.shape), tb ? mm(g2, a2, true, false) : mm(a2, g2, true, false)];
  }
  const db = tb ? mm(g, a, true, ta) : mm(a, g, !ta, false);
  return both(e, n, da, db);
};

// ---------------------------------------------------------------- movement

export const reshapeGrad: GradRule = (e, n, g) => [reshape(e, g, n.srcs[0]!.type.shape)];

/** The inverse permutation. */
export const transposeGrad: GradRule = (e, n, g) => {
  const perm = n.attr<readonly number[]>('perm');
  const inverse = perm.map((_, i) => perm.indexOf(i));
  return [e.op('transpose', [g], { perm: inverse })];
};

export const expandGrad: GradRule = (e, n, g) => [unbroadcast(e, g, n.srcs[0]!.type.shape)];

/** The gradient padded with zeros back to the operand's extent along the axis (a concat). */
export const sliceGrad: GradRule = (e, n, g) => {
  const x = n.srcs[0]!;
  const axis = normalizeAxis(n.attr<number>('axis'), rank(x))!;
  const dim = x.type.shape[axis]!;
  const [start, end] = sliceBounds(dim, n.attr<number>('start'), n.attr<number>('end'));
  const pad = (width: number) => zeros(e, dtypeOf(g), x.type.shape.map((d, i) => (i === axis ? width : d)));
  const parts = [...(start > 0 ? [pad(start)] : []), g, ...(end < dim ? [pad(dim - end)] : [])];
  return [parts.length === 1 ? g : e.op('concat', parts, { axis })];
};

/** Each operand gets its slice of the gradient. */
export const concatGrad: GradRule = (e, n, g) => {
  const axis = normalizeAxis(n.attr<number>('axis'), rank(n))!;
  let at = 0;
  return n.srcs.map((s) => {
    const width = s.type.shape[axis]!;
    at += width;
    return width === n.type.shape[axis] ? g : e.op('slice', [g], { axis, start: at - width, end: at });
  });
};

// ---------------------------------------------------------------- gather, scatter_add and dropout

/**
 * gather(table, indices, axis): the table's gradient is the incoming gradient scattered back, each
 * index's row added into the row it picked (scatter_add, gather's adjoint), so rows picked several
 * times get the sum and rows never picked get 0, in O(indices x row size). The indices are flattened to
 * one dimension and the gradient viewed to match (both reshapes are views). The `padding_idx` row
 * (when >= 0) gets none, as nn.Embedding's. The indices get no gradient.
 */
export const gatherGrad: GradRule = (e, n, g) => {
  const [table, idx] = n.srcs as [Node, Node];
  const ts = table.type.shape;
  const axis = normalizeAxis(n.attr<number>('axis'), ts.length)!;
  const count = numel(idx.type.shape);
  const flatIdx = reshape(e, idx, [count]);
  const flatG = reshape(e, g, [...ts.slice(0, axis), count, ...ts.slice(axis + 1)]);
  const attrs = { rows: ts[axis]!, axis, padding_idx: n.attr<number>('padding_idx') };
  return [e.op('scatter_add', [flatG, flatIdx], attrs), undefined];
};

/**
 * scatter_add(updates, indices, rows, axis): each update's gradient is the gradient of the row it
 * was added into, a gather at the indices; 0 for updates whose index is `padding_idx` (they were
 * not added). The indices get none.
 */
export const scatterAddGrad: GradRule = (e, n, g) => {
  const [updates, idx] = n.srcs as [Node, Node];
  const axis = normalizeAxis(n.attr<number>('axis'), rank(n))!;
  const picked = e.op('gather', [g, idx], { axis });
  const pad = n.attr<number>('padding_idx');
  if (pad < 0) return [picked, undefined];
  // The indices, right-aligned against the updates: size-1 axes for those after the indexed ones.
  const after = rank(updates) - axis - rank(idx);
  const isPad = e.op('eq', [reshape(e, idx, [...idx.type.shape, ...new Array<number>(after).fill(1)]), e.constant(pad, dtypeOf(idx))]);
  return [e.op('where', [isPad, e.constant(0, dtypeOf(g)), picked]), undefined];
};

/**
 * dropout(x, p, id): the gradient is the same dropout of g, with the same p and id. The
 * counter-based mask depends only on the seed, the id and the element index (docs/dropout-rng.md),
 * so it is regenerated rather than stored; in inference mode both are the identity.
 */
export const dropoutGrad: GradRule = (e, n, g) => [e.op('dropout', [g], { p: n.attr<number>('p'), id: n.attr<number>('id') })];
