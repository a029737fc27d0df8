import type { Elaborated } from '../frontend/elaborate.js';
import { gradientGraph } from '../ir/autodiff.js';
import { GraphBuilder } from '../ir/builder.js';
import { params, topoOrder, type Graph } from '../ir/graph.js';
import type { Session } from './session.js';

/**
 * The backward graph of one `loss` block (docs/autodiff.md): the model's inputs and the loss's
 * (`loss.<name>`) as inputs; outputs `loss` and `grad.<parameter name>` for every weight the loss
 * depends on, in name order. An unknown loss name is E0019, listing the file's losses.
 */
export function gradientProgram(s: Session, built: Elaborated, lossName: string): Graph {
  const losses = built.losses ?? new Map();
  const loss = losses.get(lossName);
  if (!loss) {
    const known = losses.size ? `this file defines: ${[...losses.keys()].join(', ')}` : 'this file defines no loss';
    s.diags.emit('E0019', { detail: `unknown loss '${lossName}' (${known}); a loss is a 'loss NAME(..) { .. }' block of the source` });
    s.fail();
  }
  const g = built.graph;
  const inputs = [...g.inputs, ...loss.inputs];
  const forward: Graph = { ctx: g.ctx, name: g.name, body: topoOrder([loss.node, ...inputs]), inputs, outputs: [{ name: 'loss', node: loss.node }], taps: [] };
  const wrt = params(forward).sort((a, b) => (a.attr<string>('name') < b.attr<string>('name') ? -1 : 1));
  return gradientGraph(forward, loss.node, wrt, new GraphBuilder(g.ctx));
}
