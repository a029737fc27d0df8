import type { Node } from '../src/ir/node.js';
import { remapPartition } from '../src/kernel/partition.js';
import { definePass } from './pass.js';
import { rewriteGraph } from './rewrite.js';

export const cse = definePass({
  name: 'cse',
  summary: 'common-subexpression elimination',
  description: `Nodes computing the same op on the same operands with the same attributes become one, the
first in program order (provenance is the first's). Dropouts never merge: each has its own identity.

  before:  a = exp(x);  b = exp(x);  y = a + b;
  after:   a = exp(x);  y = a + a;`,
  options: {},
  statistics: { merged: 'nodes replaced by an equal earlier node' },
  run(m, _o, stats) {
    const seen = new Map<string, Node>();
    const rule = {
      name: 'merged',
      ops: [...new Set(m.graph.body.map((n) => n.op))].filter((op) => op !== 'input'),
      apply(n: Node) {
        const first = seen.get(n.structuralKey);
        if (first) return first;
        seen.set(n.structuralKey, n);
        return undefined;
      },
    };
    const { graph, map } = rewriteGraph(m.graph, [rule], stats, m.train, cse.name);
    return { ...m, graph, partition: remapPartition(m.partition, map, graph) };
  },
});
