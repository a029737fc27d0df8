import type { Graph } from '../ir/graph.js';
import { topoOrder, users } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { KERNELS, type Kernel, type KernelContext } from './kernels.js';
import type { Tensor } from './tensor.js';

export interface InterpretOptions {
  /** Float64 working storage for f32 values (the default stores f32 results as float32). */
  readonly f64?: boolean;
  /** Training-mode forward: dropout draws its mask (docs/dropout-rng.md). */
  readonly train?: boolean;
  readonly seed?: number;
  /** Also return the graph's taps (otherwise values only taps need are not computed). */
  readonly taps?: boolean;
  /**
   * Observes memory use: called when a value is dropped, with the node whose evaluation made it
   * dead (its last reader, or the node itself when nothing reads it). Outputs and requested taps
   * are never dropped.
   */
  readonly onRelease?: (node: Node, after: Node) => void;
}

export interface InterpretResult {
  readonly outputs: Map<string, Tensor>;
  readonly taps: Map<string, Tensor>;
}

/** What every op's kernel reads from the options: precision, mode, and the dropout seed as a u32. */
export function kernelContext(opts: InterpretOptions): KernelContext {
  return { f64: opts.f64 ?? false, train: opts.train ?? false, seed: (opts.seed ?? 0) >>> 0 };
}

/**
 * The reference interpreter: evaluates every node the outputs (and requested taps) need once, in
 * topological order, freeing each intermediate after its last reader. Inputs and parameters are
 * given by name.
 */
export function interpret(
  g: Graph,
  inputs: ReadonlyMap<string, Tensor>,
  param: (name: string, node: Node) => Tensor,
  opts: InterpretOptions = {},
): InterpretResult {
  const k = kernelContext(opts);
  const pinned = new Set<Node>([...g.outputs.map((o) => o.node), ...(opts.taps ? g.taps.map((t) => t.node) : [])]);
  // Inputs are roots so that a missing input is reported even when no output reads it.
  const nodes = topoOrder([...pinned, ...g.inputs]);
  const readers = users(nodes);
  const remaining = new Map<Node, number>([...readers].map(([n, us]) => [n, us.length]));
  const values = new Map<Node, Tensor>();
  const release = (s: Node, after: Node) => {
    if (pinned.has(s)) return;
    values.delete(s);
    opts.onRelease?.(s, after);
  };
  for (const n of nodes) {
    values.set(n, evaluate(n, values, inputs, param, k));
    if (remaining.get(n) === 0) release(n, n);
    for (const s of new Set(n.srcs)) {
      const left = remaining.get(s)! - n.srcs.filter((x) => x === s).length;
      remaining.set(s, left);
      if (left === 0) release(s, n);
    }
  }
  const pick = (list: readonly { name: string; node: Node }[]) => new Map(list.map((o) => [o.name, values.get(o.node)!]));
  return { outputs: pick(g.outputs), taps: opts.taps ? pick(g.taps) : new Map() };
}

function evaluate(n: Node, values: Map<Node, Tensor>, inputs: ReadonlyMap<string, Tensor>, param: (name: string, node: Node) => Tensor, k: KernelContext): Tensor {
  return evaluateNode(n, n.srcs.map((s) => values.get(s)!), inputs, param, k);
}

/** One node's value from its operands' values; inputs and parameters are looked up by name. */
export function evaluateNode(n: Node, srcs: readonly Tensor[], inputs: ReadonlyMap<string, Tensor>, param: (name: string, node: Node) => Tensor, k: KernelContext): Tensor {
  const kernel = (KERNELS as Readonly<Record<string, Kernel | undefined>>)[n.op];
  if (!kernel) throw new Error(`internal: the interpreter has no kernel for '${n.op}'`);
  return kernel(n, srcs, k, { inputs, param });
}
