import type { IrContext, Node } from './node.js';

export interface NamedValue {
  readonly name: string;
  readonly node: Node;
}

/**
 * A flattened model: an SSA graph from named inputs to named outputs. `body` lists every node in
 * topological order, dead ones included until dead-code elimination removes them; the live nodes
 * are those reachable from the outputs, taps and inputs. Taps are intermediate values that can be
 * written out on request (`run --taps`); they keep their producers alive like outputs do.
 */
export interface Graph {
  readonly ctx: IrContext;
  readonly name: string;
  readonly body: readonly Node[];
  readonly inputs: readonly Node[];
  readonly outputs: readonly NamedValue[];
  readonly taps: readonly NamedValue[];
}

export function roots(g: Graph): Node[] {
  return [...g.outputs.map((o) => o.node), ...g.taps.map((t) => t.node), ...g.inputs];
}

/** Every node reachable from the given roots, producers before consumers, in a deterministic order. */
export function topoOrder(rootNodes: readonly Node[]): Node[] {
  const order: Node[] = [];
  const done = new Set<Node>();
  const stack: { node: Node; next: number }[] = [];
  for (const r of rootNodes) {
    if (done.has(r)) continue;
    stack.push({ node: r, next: 0 });
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.node.srcs.length) {
        const s = top.node.srcs[top.next++]!;
        if (!done.has(s)) stack.push({ node: s, next: 0 });
        continue;
      }
      stack.pop();
      if (!done.has(top.node)) {
        done.add(top.node);
        order.push(top.node);
      }
    }
  }
  return order;
}

/** The live nodes, producers first. */
export function graphNodes(g: Graph): Node[] {
  return topoOrder(roots(g));
}

export function params(g: Graph): Node[] {
  return graphNodes(g).filter((n) => n.op === 'param');
}

/** For each node, the nodes that read it (in topological order). */
export function users(nodes: readonly Node[]): Map<Node, Node[]> {
  const m = new Map<Node, Node[]>();
  for (const n of nodes) m.set(n, []);
  for (const n of nodes) for (const s of n.srcs) m.get(s)?.push(n);
  return m;
}
