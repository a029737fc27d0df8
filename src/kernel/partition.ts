import type { Graph } from '../ir/graph.js';
import { graphNodes, users } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { isInline, isMemorySource, isMovement } from './classify.js';
import { applyMovement, contiguous, type Layout } from './layout.js';
import type { Partition } from './module.js';

/**
 * The unfused plan (-O0): every compute op is its own kernel. A reshape of a materialised tensor is
 * a view of it (no copy); every other movement op is a copy kernel.
 */
export function baselinePartition(g: Graph): Partition {
  const groupOf = new Map<Node, number>();
  const views = new Set<Node>();
  let next = 0;
  for (const n of graphNodes(g)) {
    if (isMemorySource(n) || isInline(n)) continue;
    if (n.op === 'reshape') views.add(n);
    else groupOf.set(n, next++);
  }
  return { groupOf, views };
}

/**
 * The partition a printed plan declares: one group per `kernel NAME { ... }` block, keeping its
 * name; a movement op outside the blocks is a view, as the printer put it there.
 */
export function declaredPartition(g: Graph, kernels: ReadonlyMap<string, readonly Node[]>): Partition {
  const groupOf = new Map<Node, number>();
  const views = new Set<Node>();
  const names = new Map<number, string>();
  let next = 0;
  for (const [name, ops] of kernels) {
    names.set(next, name);
    for (const n of ops) if (!isMemorySource(n) && !isInline(n)) groupOf.set(n, next);
    next++;
  }
  for (const n of graphNodes(g)) {
    if (isMemorySource(n) || isInline(n) || groupOf.has(n)) continue;
    if (isMovement(n)) views.add(n);
    else groupOf.set(n, next++);
  }
  return { groupOf, views, names };
}

/**
 * A mutable view of a partition for fusion passes: merging groups, moving view nodes, and the
 * checks that keep the kernel graph acyclic.
 */
export class PartitionBuilder {
  private readonly groupOf = new Map<Node, number>();
  /** The inverse of groupOf, kept in step by every change. */
  private readonly byGroup = new Map<number, Set<Node>>();
  private readonly views: Set<Node>;
  private readonly position: Map<Node, number>;
  readonly nodes: readonly Node[];
  readonly readers: Map<Node, Node[]>;
  private next: number;

  constructor(readonly graph: Graph, p: Partition) {
    this.views = new Set(p.views);
    this.nodes = graphNodes(graph);
    this.position = new Map(this.nodes.map((n, i) => [n, i]));
    this.readers = users(this.nodes);
    for (const n of this.nodes) {
      const g = p.groupOf.get(n);
      if (g !== undefined) this.place(n, g);
    }
    this.next = Math.max(-1, ...p.groupOf.values()) + 1;
  }

  private place(n: Node, g: number): void {
    const old = this.groupOf.get(n);
    if (old !== undefined) this.byGroup.get(old)?.delete(n);
    this.groupOf.set(n, g);
    let set = this.byGroup.get(g);
    if (!set) this.byGroup.set(g, (set = new Set()));
    set.add(n);
  }

  private unplace(n: Node): void {
    const old = this.groupOf.get(n);
    if (old !== undefined) this.byGroup.get(old)?.delete(n);
    this.groupOf.delete(n);
  }

  group(n: Node): number | undefined {
    return this.groupOf.get(n);
  }

  isView(n: Node): boolean {
    return this.views.has(n);
  }

  /** A group's nodes, producers first. */
  members(g: number): Node[] {
    return [...(this.byGroup.get(g) ?? [])].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }

  /** The compute nodes whose buffers `n` reads, looking through views and inline sources. */
  producers(n: Node): Node[] {
    const out: Node[] = [];
    const visit = (s: Node) => {
      if (this.views.has(s)) s.srcs.forEach(visit);
      else if (this.groupOf.has(s)) out.push(s);
    };
    n.srcs.forEach(visit);
    return out;
  }

  /** The compute nodes that read `n`'s buffer, looking through views. */
  consumers(n: Node): Node[] {
    const out: Node[] = [];
    const visit = (s: Node) => {
      for (const u of this.readers.get(s) ?? []) {
        if (this.views.has(u)) visit(u);
        else if (this.groupOf.has(u)) out.push(u);
      }
    };
    visit(n);
    return out;
  }

  /** Groups that read a value group `g` produces (other than g). */
  private successors(g: number): Set<number> {
    const out = new Set<number>();
    for (const m of this.members(g)) for (const c of this.consumers(m)) {
      const cg = this.groupOf.get(c)!;
      if (cg !== g) out.add(cg);
    }
    return out;
  }

  /** Merging a and b would create a cycle when b is reachable from a through a third group, or vice versa. */
  wouldCycle(a: number, b: number): boolean {
    const reach = (from: number, to: number) => {
      const seen = new Set<number>();
      const stack = [...this.successors(from)].filter((s) => s !== to);
      while (stack.length) {
        const g = stack.pop()!;
        if (g === to) return true;
        if (seen.has(g)) continue;
        seen.add(g);
        for (const s of this.successors(g)) if (s !== from) stack.push(s);
      }
      return false;
    };
    return reach(a, b) || reach(b, a);
  }

  merge(into: number, from: number): void {
    for (const n of [...(this.byGroup.get(from) ?? [])]) this.place(n, into);
    this.byGroup.delete(from);
  }

  /** Turns a view into a member of a group (a producer storing through a transpose). */
  assign(n: Node, g: number): void {
    this.views.delete(n);
    this.place(n, g);
  }

  makeView(n: Node): void {
    this.unplace(n);
    this.views.add(n);
  }

  newGroup(n: Node): number {
    this.views.delete(n);
    this.place(n, this.next);
    return this.next++;
  }

  /** The layout through which a reader sees `n`: contiguous for a buffer, strided for a view chain. */
  layoutOf(n: Node): Layout | undefined {
    if (!this.views.has(n)) return contiguous(n.type.shape);
    const src = this.layoutOf(n.srcs[0]!);
    return src && applyMovement(src, n);
  }

  build(): Partition {
    return { groupOf: new Map(this.groupOf), views: new Set(this.views) };
  }
}

/**
 * Carries a partition across a graph rewrite: replaced nodes keep their old node's group or view
 * status; nodes the rewrite created get their own group (a reshape becomes a view), as in the
 * baseline.
 */
export function remapPartition(p: Partition, map: ReadonlyMap<Node, Node>, g: Graph): Partition {
  const groupOf = new Map<Node, number>();
  const views = new Set<Node>();
  let next = Math.max(-1, ...p.groupOf.values()) + 1;
  const from = new Map<Node, Node>();
  for (const [old, now] of map) if (!from.has(now)) from.set(now, old);
  for (const n of graphNodes(g)) {
    if (isMemorySource(n) || isInline(n)) continue;
    const old = from.get(n);
    const group = old && p.groupOf.get(old);
    if (group !== undefined) groupOf.set(n, group);
    else if ((old && p.views.has(old)) || (!old && n.op === 'reshape')) views.add(n);
    else groupOf.set(n, next++);
  }
  return { groupOf, views, names: p.names };
}
