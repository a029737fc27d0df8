import type { Node } from '../ir/node.js';
import { evaluateNode, kernelContext, type InterpretOptions, type InterpretResult } from '../interp/interpret.js';
import type { Tensor } from '../interp/tensor.js';
import { isInline, isMemorySource } from './classify.js';
import { kernelsOf } from './kernels.js';
import type { Module } from './module.js';

/**
 * Runs a module kernel by kernel, the way generated code will: a kernel sees only the buffers it
 * declares as inputs, recomputes views and constants locally, and only its declared outputs survive
 * it. A plan that reads a value it did not declare, or before its producer ran, fails here, so
 * comparing this with the plain interpreter checks the fusion plan as well as the graph.
 */
export function executeKernels(
  m: Module,
  inputs: ReadonlyMap<string, Tensor>,
  param: (name: string, node: Node) => Tensor,
  opts: InterpretOptions = {},
): InterpretResult {
  const k = kernelContext(opts);
  const buffers = new Map<Node, Tensor>();
  const load = (n: Node): Tensor => {
    let t = buffers.get(n);
    if (!t) {
      t = evaluateNode(n, [], inputs, param, k);
      buffers.set(n, t);
    }
    return t;
  };

  for (const kernel of kernelsOf(m)) {
    const members = new Set(kernel.ops);
    const declared = new Set(kernel.inputs);
    const local = new Map<Node, Tensor>();
    const value = (n: Node): Tensor => {
      const have = local.get(n);
      if (have) return have;
      let t: Tensor;
      if (members.has(n) || m.partition.views.has(n) || isInline(n)) {
        t = evaluateNode(n, n.srcs.map(value), inputs, param, k);
      } else {
        if (!declared.has(n)) throw new Error(`internal: kernel ${kernel.name} reads ${n.op} #${n.id} without declaring it as an input`);
        const b = isMemorySource(n) ? load(n) : buffers.get(n);
        if (!b) throw new Error(`internal: kernel ${kernel.name} reads ${n.op} #${n.id} before any kernel wrote it`);
        t = b;
      }
      local.set(n, t);
      return t;
    };
    for (const n of kernel.ops) value(n);
    for (const o of kernel.outputs) buffers.set(o, local.get(o)!);
  }

  /** Results may be views of buffers, or sources, as well as kernel outputs. */
  const result = (n: Node): Tensor => buffers.get(n) ?? (isMemorySource(n) ? load(n) : evaluateNode(n, n.srcs.map(result), inputs, param, k));
  const pick = (list: readonly { name: string; node: Node }[]) => new Map(list.map((o) => [o.name, result(o.node)]));
  return { outputs: pick(m.graph.outputs), taps: opts.taps ? pick(m.graph.taps) : new Map() };
}
