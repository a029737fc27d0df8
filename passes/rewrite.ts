import { derivedMeta, GraphBuilder } from '../src/ir/builder.js';
import type { Graph } from '../src/ir/graph.js';
import type { Attrs, Meta, Node } from '../src/ir/node.js';
import { formatType, typeEquals } from '../src/ir/types.js';
import type { Statistics } from './pass.js';

/**
 * Builds replacement nodes for rules, through the graph builder: types come from the op's type
 * rule, provenance from the node the caller names, marked as derived by the running pass from the
 * node being rewritten.
 */
export class Rewriter {
  private readonly builder: GraphBuilder;
  /** The input graph's node a rule is being offered, and the rule; what it builds is derived from the node. */
  private visiting?: { readonly node: Node; readonly rule: string };

  constructor(readonly graph: Graph, readonly train: boolean, readonly pass?: string, private readonly map: ReadonlyMap<Node, Node> = new Map()) {
    this.builder = new GraphBuilder(graph.ctx);
  }

  /** What an already visited node of the input graph has become. */
  current(n: Node): Node {
    return this.map.get(n) ?? n;
  }

  /** Offers `original`, the input graph's node, to `rule`. */
  visit(original: Node, rule: string): void {
    this.visiting = { node: original, rule };
  }

  /** `n` over rewritten operands: the same node, not a derived one. */
  rebuild(n: Node, srcs: readonly Node[]): Node {
    return this.builder.rebuild(n, srcs);
  }

  make(op: string, srcs: readonly Node[], attrs: Attrs, meta: Meta): Node {
    return this.builder.op(op, srcs, attrs, this.derived(meta));
  }

  constant(value: number, like: Node): Node {
    return this.builder.constant(value, like.type.dtype, this.derived(like.meta));
  }

  private derived(meta: Meta): Meta {
    if (!this.visiting) throw new Error('internal: a rewrite built a node outside a rule');
    return derivedMeta(meta, this.visiting.node, this.pass ?? this.visiting.rule);
  }
}

/**
 * A named rewrite: `apply` returns the replacement, or undefined when the rule does not match.
 * A replacement must have the type of the node it replaces.
 */
export interface RewriteRule {
  readonly name: string;
  /** The ops the rule looks at; others are never offered to it. */
  readonly ops: readonly string[];
  /** `n` is the node rebuilt over rewritten operands; `original` is the input graph's node. */
  apply(n: Node, r: Rewriter, original: Node): Node | undefined;
}

/** Rebuilds `order` so every node's sources precede it, pulling in nodes that rewrites created. */
function closure(nodes: Iterable<Node>): Node[] {
  const out: Node[] = [];
  const seen = new Set<Node>();
  const visit = (n: Node) => {
    if (seen.has(n)) return;
    seen.add(n);
    n.srcs.forEach(visit);
    out.push(n);
  };
  for (const n of nodes) visit(n);
  return out;
}

export interface RewriteResult {
  readonly graph: Graph;
  /** Old node -> the node that replaces it (itself when unchanged). */
  readonly map: ReadonlyMap<Node, Node>;
}

/**
 * The one rewrite driver: visits the body producers-first, rebuilds each node over its rewritten
 * sources, then applies rules until none matches. Every firing is counted under the rule's name.
 * Nodes the rules build are marked as derived by `pass`, or by the rule itself outside a pass.
 */
export function rewriteGraph(g: Graph, rules: readonly RewriteRule[], stats: Statistics, train: boolean, pass?: string): RewriteResult {
  const map = new Map<Node, Node>();
  const r = new Rewriter(g, train, pass, map);
  const byOp = new Map<string, RewriteRule[]>();
  for (const rule of rules) for (const op of rule.ops) byOp.set(op, [...(byOp.get(op) ?? []), rule]);
  for (const n of g.body) {
    let cur = r.rebuild(n, n.srcs.map((s) => map.get(s) ?? s));
    for (let fired = true, guard = 0; fired; guard++) {
      if (guard > 100) throw new Error(`internal: rewrite rules did not settle on ${n.op} #${n.id}`);
      fired = false;
      for (const rule of byOp.get(cur.op) ?? []) {
        r.visit(n, rule.name);
        const next = rule.apply(cur, r, n);
        if (!next || next === cur) continue;
        if (!typeEquals(next.type, cur.type)) {
          throw new Error(`internal: rule '${rule.name}' replaced ${formatType(cur.type)} with ${formatType(next.type)}`);
        }
        stats.add(rule.name);
        cur = next;
        fired = true;
        break;
      }
    }
    map.set(n, cur);
  }
  const remap = (n: Node) => map.get(n) ?? n;
  const graph: Graph = {
    ...g,
    body: closure(g.body.map(remap)),
    inputs: g.inputs.map(remap),
    outputs: g.outputs.map((o) => ({ name: o.name, node: remap(o.node) })),
    taps: g.taps.map((t) => ({ name: t.name, node: remap(t.node) })),
  };
  return { graph, map };
}
