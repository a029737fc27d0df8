import { graphNodes } from '../src/ir/graph.js';
import { definePass } from './pass.js';

export const dce = definePass({
  name: 'dce',
  summary: 'dead-code elimination',
  description: `Removes every node that no output, tap or input depends on. Taps count as uses: they
are part of the model's interface (run --taps).

  before:  t = exp(x);  y = tanh(x);  return y;
  after:   y = tanh(x);  return y;`,
  options: {},
  statistics: { removed: 'nodes removed' },
  run(m, _o, stats) {
    const live = new Set(graphNodes(m.graph));
    const body = m.graph.body.filter((n) => live.has(n));
    stats.add('removed', m.graph.body.length - body.length);
    return body.length === m.graph.body.length ? m : { ...m, graph: { ...m.graph, body } };
  },
});
