import type { DType } from '../src/ir/dtype.js';
import type { Node } from '../src/ir/node.js';
import { opDef, sliceBounds } from '../src/ir/ops.js';
import { BINARY, COMPARE, UNARY } from '../src/ir/scalar.js';
import { normalizeAxis, shapeEquals } from '../src/ir/shape.js';
import { roundToHalf } from '../src/io/halfFloat.js';
import { remapPartition } from '../src/kernel/partition.js';
import { definePass } from './pass.js';
import { rewriteGraph, type Rewriter, type RewriteRule } from './rewrite.js';

/** A value as stored in a dtype, so folding gives what the interpreter would compute. */
function storeAs(dtype: DType, v: number): number {
  switch (dtype) {
    case 'f32':
      return Math.fround(v);
    case 'f16':
    case 'bf16':
      return roundToHalf(v, dtype);
    case 'bool':
      return v ? 1 : 0;
    default:
      return Math.trunc(v);
  }
}

const constValue = (n: Node): number | undefined => (n.op === 'const' ? n.attr<number>('value') : undefined);
const isConst = (n: Node, v: number) => constValue(n) === v;
/** `x op c` may be replaced by x only when x alone already has the result's type (no broadcast). */
const sameType = (x: Node, n: Node) => x.type.dtype === n.type.dtype && shapeEquals(x.type.shape, n.type.shape);

function foldConstants(n: Node, r: Rewriter): Node | undefined {
  if (!n.srcs.length || !n.srcs.every((s) => s.op === 'const')) return undefined;
  const xs = n.srcs.map((s) => storeAs(s.type.dtype, constValue(s)!));
  const group = opDef(n.op).group;
  const f = group === 'unary' ? UNARY[n.op] : group === 'binary' ? BINARY[n.op] : undefined;
  const c = group === 'compare' ? COMPARE[n.op] : undefined;
  const v = f ? f(xs[0]!, xs[1]!) : c ? Number(c(xs[0]!, xs[1]!)) : undefined;
  return v === undefined ? undefined : r.constant(storeAs(n.type.dtype, v), n);
}

/** The right identity of each op the rule knows (`x op unit` is x); a commutative op's is also its left one. */
const UNIT: Readonly<Record<string, number>> = { mul: 1, add: 0, sub: 0, div: 1 };

function identityOperand(n: Node): Node | undefined {
  const [a, b] = n.srcs as [Node, Node];
  const unit = UNIT[n.op];
  if (unit === undefined) return undefined;
  const pick = (x: Node, c: Node) => (isConst(c, unit) && sameType(x, n) ? x : undefined);
  return pick(a, b) ?? (opDef(n.op).commutative ? pick(b, a) : undefined);
}

function composeReshapes(n: Node, r: Rewriter): Node | undefined {
  const src = n.srcs[0]!;
  if (shapeEquals(src.type.shape, n.type.shape)) return src;
  if (src.op !== 'reshape') return undefined;
  return r.make('reshape', [src.srcs[0]!], { shape: n.type.shape }, n.meta);
}

function composeTransposes(n: Node, r: Rewriter): Node | undefined {
  const perm = n.attr<readonly number[]>('perm');
  const src = n.srcs[0]!;
  if (perm.every((p, i) => p === i)) return src;
  if (src.op !== 'transpose') return undefined;
  const inner = src.attr<readonly number[]>('perm');
  return r.make('transpose', [src.srcs[0]!], { perm: perm.map((p) => inner[p]!) }, n.meta);
}

function fullSlice(n: Node): Node | undefined {
  const x = n.srcs[0]!;
  const axis = normalizeAxis(n.attr<number>('axis'), x.type.shape.length)!;
  const dim = x.type.shape[axis]!;
  const [s, e] = sliceBounds(dim, n.attr<number>('start'), n.attr<number>('end'));
  return s === 0 && e === dim ? x : undefined;
}

function inertDropout(n: Node, r: Rewriter): Node | undefined {
  return !r.train || n.attr<number>('p') === 0 ? n.srcs[0] : undefined;
}

/** Dropout that does nothing: every dropout in inference mode, and p = 0 in training. */
export const INERT_DROPOUT: RewriteRule = { name: 'dropout-inert', ops: ['dropout'], apply: inertDropout };

export const CANONICALIZE_RULES: readonly RewriteRule[] = [
  { name: 'fold-constants', ops: [...Object.keys(UNARY), ...Object.keys(BINARY), ...Object.keys(COMPARE)], apply: foldConstants },
  { name: 'identity-operand', ops: Object.keys(UNIT), apply: identityOperand },
  { name: 'reshape-chain', ops: ['reshape'], apply: composeReshapes },
  { name: 'transpose-chain', ops: ['transpose'], apply: composeTransposes },
  { name: 'cast-noop', ops: ['cast'], apply: (n) => (n.srcs[0]!.type.dtype === n.type.dtype ? n.srcs[0] : undefined) },
  { name: 'expand-noop', ops: ['expand'], apply: (n) => (shapeEquals(n.srcs[0]!.type.shape, n.type.shape) ? n.srcs[0] : undefined) },
  { name: 'slice-full', ops: ['slice'], apply: fullSlice },
  INERT_DROPOUT,
];

export const canonicalize = definePass({
  name: 'canonicalize',
  summary: 'fold constants and remove ops that do nothing',
  description: `Rewrites to a fixed point with named rules: ${CANONICALIZE_RULES.map((r) => r.name).join(', ')}.
Dropout is removed in inference mode, and in training when p = 0.

  before:  y = mul(x, 1.0);  z = reshape(reshape(y, shape=[6, 4]), shape=[2, 12]);
  after:   z = reshape(x, shape=[2, 12]);`,
  options: {},
  statistics: Object.fromEntries(CANONICALIZE_RULES.map((r) => [r.name, `times '${r.name}' fired`])),
  run(m, _o, stats) {
    const { graph, map } = rewriteGraph(m.graph, CANONICALIZE_RULES, stats, m.train, canonicalize.name);
    return { ...m, graph, partition: remapPartition(m.partition, map, graph) };
  },
});
