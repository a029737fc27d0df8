import type { Elaborated } from '../frontend/elaborate.js';
import { gradientGraph } from '../ir/autodiff.js';
import { GraphBuilder } from '../ir/builder.js';
import { params, topoOrder, type Graph } from '../ir/graph.js';

/**
 * The backward graph of one `loss` block (docs/autodiff.md): the model's inputs and the loss's
 * (`loss.<name>`) as inputs; outputs `loss` and `grad.<parameter name>` for every weight the loss
 * depends on, in name order. `built` comes from build(.., { loss: lossName }), which reports an
 * unknown loss name (E0019, listing the file's losses).
 */
export function gradientProgram(built: Elaborated, lossName: string): Graph {
  const loss = built.losses?.get(lossName);
  if (!loss) throw new Error(`internal: loss '${lossName}' was not elaborated: build with { loss: '${lossName}' }`);
  const g = built.graph;
  const inputs = [...g.inputs, ...loss.inputs];
  const forward: Graph = { ctx: g.ctx, name: g.name, body: topoOrder([loss.node, ...inputs]), inputs, outputs: [{ name: 'loss', node: loss.node }], taps: [] };
  const wrt = params(forward).sort((a, b) => (a.attr<string>('name') < b.attr<string>('name') ? -1 : 1));
  return gradientGraph(forward, loss.node, wrt, new GraphBuilder(g.ctx));
}
