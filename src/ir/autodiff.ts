import { derivedMeta, type GraphBuilder } from './builder.js';
import { isFloat } from './dtype.js';
import { topoOrder, type Graph, type NamedValue } from './graph.js';
import { describeOrigin, type Meta, type Node } from './node.js';
import type { GradEmitter } from './opRules.js';
import { opDef } from './ops.js';
import { numel } from './shape.js';
import { zeros } from './gradients.js';
import { formatType, typeEquals } from './types.js';
import { verifyGraph } from './verify.js';

/**
 * Reverse-mode automatic differentiation over the IR (docs/autodiff.md). The rules are the op
 * catalogue's `grad` entries (`gradients.ts`); this module is the walk that calls them, in the
 * manner of tinygrad's `compute_gradient`.
 */

/** The pass name gradient nodes carry in their provenance: "derived from node N by autodiff". */
export const AUTODIFF = 'autodiff';

/**
 * An op on a path from a differentiated value to the loss has no gradient rule yet (gather and
 * dropout, until a later step of issue 11). It names the op and where the node came from; the
 * session turns it into a diagnostic once the catalogue has a code for it (the CLI does not call
 * autodiff yet).
 */
export class NoGradientRuleError extends Error {
  constructor(readonly node: Node) {
    const origin = describeOrigin(node.meta);
    const where = [origin && `at ${origin}`, node.meta.scope && `in ${node.meta.scope}`].filter(Boolean).join(' ');
    super(`no gradient rule for '${node.op}' yet: ${node.op} #${node.id}${where ? ` ${where}` : ''} lies on a path from a differentiated value to the loss`);
  }
}

/**
 * The builder bound to node `n`: what its rule makes is derived from `n` by autodiff, and is
 * backward work (Meta.backward): `gradient` when it reads a gradient, directly or not, else
 * `recompute`.
 */
function emitterFor(b: GraphBuilder, n: Node): GradEmitter {
  const meta = derivedMeta(n.meta, n, AUTODIFF);
  const gradient: Meta = { ...meta, backward: 'gradient' };
  const recompute: Meta = { ...meta, backward: 'recompute' };
  return {
    op: (op, srcs, attrs = {}) => b.op(op, srcs, attrs, srcs.some(carriesGradient) ? gradient : recompute),
    constant: (value, dtype) => b.constant(value, dtype, meta),
  };
}

/** Is `n` backward work: made by a gradient rule or for the backward pass? */
export function isBackward(n: Node): boolean {
  return n.meta.backward !== undefined;
}

/** Is `n` a gradient, or computed from one? */
export function carriesGradient(n: Node): boolean {
  return n.meta.backward === 'gradient';
}

/**
 * The nodes the walk differentiates: floating-point nodes that the loss reads (directly or not)
 * and that read a `wrt` node (directly or not), `wrt` nodes included, producers first.
 */
export function pathNodes(loss: Node, wrt: readonly Node[]): Node[] {
  const targets = new Set(wrt);
  const on = new Set<Node>();
  for (const n of topoOrder([loss])) {
    if (isFloat(n.type.dtype) && (targets.has(n) || n.srcs.some((s) => on.has(s)))) on.add(n);
  }
  return [...on];
}

/**
 * Gradients of the scalar `loss` (one element, floating point) with respect to each node of `wrt`,
 * built with `b` over `graph`'s context: reverse mode from a seed of 1, visiting only the nodes on a
 * path from `wrt` to the loss, summing the gradients of a value that several nodes read. A `wrt` node
 * the loss does not depend on gets zeros. Throws NoGradientRuleError at an op without a rule.
 */
export function gradients(graph: Graph, loss: Node, wrt: readonly Node[], b: GraphBuilder): Map<Node, Node> {
  if (b.ctx !== graph.ctx) throw new Error('internal: autodiff must build in the graph\'s own context');
  if (!isFloat(loss.type.dtype) || numel(loss.type.shape) !== 1) throw new Error(`internal: the loss must be one floating-point value, got ${formatType(loss.type)}`);
  const path = pathNodes(loss, wrt);
  const on = new Set(path);
  const grads = new Map<Node, Node>();
  if (on.has(loss)) {
    // The seed is where gradient starts: marked as backward work although it reads nothing, so
    // that everything computed from it is marked too.
    const one = b.constant(1, loss.type.dtype, { ...derivedMeta(loss.meta, loss, AUTODIFF), backward: 'gradient' });
    grads.set(loss, loss.type.shape.length ? emitterFor(b, loss).op('expand', [one], { shape: [...loss.type.shape] }) : one);
  }
  for (const n of [...path].reverse()) {
    const g = grads.get(n);
    if (!g || n.srcs.length === 0) continue;
    const rule = opDef(n.op).grad;
    if (!rule) throw new NoGradientRuleError(n);
    const gs = rule(emitterFor(b, n), n, g);
    n.srcs.forEach((s, i) => {
      const gi = gs[i];
      if (!on.has(s) || !gi) return;
      if (!typeEquals(gi.type, s.type)) throw new Error(`internal: the '${n.op}' gradient rule gives ${formatType(gi.type)} for an operand of type ${formatType(s.type)}`);
      const prev = grads.get(s);
      grads.set(s, prev ? b.op('add', [prev, gi], {}, { ...derivedMeta(s.meta, s, AUTODIFF), backward: 'gradient' }) : gi);
    });
  }
  return new Map(wrt.map((w) => [w, grads.get(w) ?? zerosLike(emitterFor(b, w), w, 0)]));
}

/** A tensor of `n`'s type filled with `value`. */
function zerosLike(e: GradEmitter, n: Node, value: number): Node {
  if (value === 0) return zeros(e, n.type.dtype, n.type.shape);
  const c = e.constant(value, n.type.dtype);
  return n.type.shape.length ? e.op('expand', [c], { shape: [...n.type.shape] }) : c;
}

/** `grad.<name>` for an input or a weight (its state-dict name), else `grad.<hint or #id>`. */
export function gradientName(w: Node): string {
  const name = w.op === 'input' || w.op === 'param' ? w.attr<string>('name') : w.meta.hint || `#${w.id}`;
  return `grad.${name}`;
}

/**
 * The graph of a training step's backward: `graph`'s inputs, and as outputs the loss (`loss`) and
 * each gradient (`grad.<name>`, see gradientName), verified.
 */
export function gradientGraph(graph: Graph, loss: Node, wrt: readonly Node[], b: GraphBuilder): Graph {
  const grads = gradients(graph, loss, wrt, b);
  const outputs: NamedValue[] = [{ name: 'loss', node: loss }, ...wrt.map((w) => ({ name: gradientName(w), node: grads.get(w)! }))];
  const g: Graph = { ctx: graph.ctx, name: graph.name, body: topoOrder([...outputs.map((o) => o.node), ...graph.inputs]), inputs: graph.inputs, outputs, taps: [] };
  verifyGraph(g, AUTODIFF);
  return g;
}
