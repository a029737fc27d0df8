import { derivedMeta, GraphBuilder } from './builder.js';
import { isFloat, type DType } from './dtype.js';
import { topoOrder, type Graph, type NamedValue } from './graph.js';
import type { Node } from './node.js';
import { opDef } from './ops.js';

/**
 * Mixed precision as a rewrite of the forward graph (docs/precision.md), in the spirit of PyTorch's
 * autocast: each op computes from operands of the dtype its class asks for, and the casts that takes
 * are placed here, once per value and dtype; the fusion passes then carry them inside the kernels
 * that read or write those values, so that what a kernel stores is the 16-bit form.
 *
 * Run before autodiff, so that the backward pass differentiates the casts too: a weight stays an f32
 * master copy, its 16-bit cast is what the GEMMs read, and the cast's gradient brings the gradient
 * back to f32 for the optimizer.
 */

export const PRECISION_MODES = ['f32', 'bf16', 'f16'] as const;
export type PrecisionMode = (typeof PRECISION_MODES)[number];

/** The op classes a policy assigns; movement ops, casts and sources keep their operands' dtypes. */
export const PRECISION_CLASSES = ['matmul', 'softmax', 'layernorm', 'reduce', 'elementwise', 'gather'] as const;
export type PrecisionClass = (typeof PRECISION_CLASSES)[number];

export interface PrecisionPolicy {
  readonly mode: PrecisionMode;
  /** Classes computed from operands in `mode` (their results are stored in it). */
  readonly low: readonly PrecisionClass[];
  /** Classes computed from f32 operands (their results are f32). */
  readonly f32: readonly PrecisionClass[];
}

/**
 * Autocast's lists: GEMMs in the low precision (accumulating in f32, the `acc` default); softmax,
 * layernorm and reductions (the loss included) in f32; every other op follows its operands.
 */
export function defaultPolicy(mode: PrecisionMode): PrecisionPolicy {
  return { mode, low: ['matmul'], f32: ['softmax', 'layernorm', 'reduce'] };
}

/** The class of an op, or undefined for those that keep their operands' dtypes (movement, cast, sources). */
export function precisionClass(op: string): PrecisionClass | undefined {
  const def = opDef(op);
  switch (def.group) {
    case 'matmul':
      return 'matmul';
    case 'reduce':
      return 'reduce';
    case 'norm':
      return op === 'softmax' ? 'softmax' : 'layernorm';
    case 'gather':
      return 'gather';
    case 'unary':
    case 'binary':
    case 'compare':
    case 'select':
    case 'random':
      return 'elementwise';
    default:
      return undefined;
  }
}

/** The narrowest float dtype that holds both exactly: f16 and bf16 meet only in f32. */
function widest(a: DType, b: DType): DType {
  return a === b ? a : 'f32';
}

/**
 * The graph computing what `g` computes under `policy`, and what each of `g`'s nodes became (a
 * node whose dtype the policy changed maps to its new, differently typed node). Outputs and taps
 * keep their dtypes: a value the policy narrowed is cast back where the graph returns it.
 */
export function applyPrecision(g: Graph, policy: PrecisionPolicy, extraRoots: readonly Node[] = []): { graph: Graph; map: ReadonlyMap<Node, Node> } {
  const b = new GraphBuilder(g.ctx);
  const low = new Set(policy.low);
  const f32 = new Set(policy.f32);
  const map = new Map<Node, Node>();
  // Values computed from weights and constants alone: they take the dtype of the values they
  // meet rather than widen them, as a bias does when it is added to a GEMM's 16-bit output.
  const weightOnly = new Set<Node>();
  const casts = new Map<Node, Map<DType, Node>>();

  /** `v` in dtype `to`, made once per value and dtype, by `reader`'s provenance. */
  const convert = (v: Node, to: DType, reader: Node): Node => {
    if (!isFloat(v.type.dtype) || v.type.dtype === to) return v;
    // Widening is exact, so narrowing back gives the value that was widened.
    if (v.op === 'cast' && v.srcs[0]!.type.dtype === to && isFloat(to)) return v.srcs[0]!;
    let byType = casts.get(v);
    if (!byType) casts.set(v, (byType = new Map()));
    let c = byType.get(to);
    if (!c) {
      // Named for the value it holds, placed where the reader needs it.
      const named = v.meta.hint || (v.op === 'param' || v.op === 'input' ? v.attr<string>('name').replace(/\W/g, '_') : '');
      const meta = { ...derivedMeta(reader.meta, reader, 'precision'), hint: named && `${named}_${to}` };
      c = b.op('cast', [v], { to }, meta);
      byType.set(to, c);
      if (weightOnly.has(v)) weightOnly.add(c);
    }
    return c;
  };

  /** The dtype an op's float operands take under the policy. */
  const operandDtype = (n: Node, srcs: readonly Node[]): DType | undefined => {
    const cls = precisionClass(n.op);
    if (cls === undefined) return undefined;
    if (low.has(cls)) return policy.mode;
    if (f32.has(cls)) return 'f32';
    const floats = srcs.filter((s) => isFloat(s.type.dtype));
    const live = floats.filter((s) => !weightOnly.has(s));
    const from = live.length ? live : floats;
    return from.length ? from.map((s) => s.type.dtype).reduce(widest) : undefined;
  };

  for (const n of topoOrder([...g.outputs.map((o) => o.node), ...g.taps.map((t) => t.node), ...g.inputs, ...extraRoots])) {
    const def = opDef(n.op);
    if (def.arity[1] === 0) {
      map.set(n, n);
      if (n.op !== 'input') weightOnly.add(n);
      continue;
    }
    const srcs = n.srcs.map((s) => map.get(s)!);
    const to = operandDtype(n, srcs);
    const operands = to === undefined ? srcs : srcs.map((s) => convert(s, to, n));
    const made = b.rebuild(n, operands);
    if (operands.every((s) => weightOnly.has(s))) weightOnly.add(made);
    map.set(n, made);
  }

  const keep = (v: NamedValue): NamedValue => ({ name: v.name, node: convert(map.get(v.node)!, v.node.type.dtype, v.node) });
  const outputs = g.outputs.map(keep);
  const taps = g.taps.map(keep);
  const inputs = g.inputs.map((i) => map.get(i)!);
  const body = topoOrder([...outputs.map((o) => o.node), ...taps.map((t) => t.node), ...inputs]);
  return { graph: { ...g, body, inputs, outputs, taps }, map };
}
