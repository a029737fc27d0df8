import type { Elaborated } from '../frontend/elaborate.js';
import { adamwStep } from '../ir/adamw.js';
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

/** What a compiled program computes: the model's forward pass, one loss's gradients, or a whole AdamW training step. */
export type Objective =
  | { readonly kind: 'forward' }
  | { readonly kind: 'grad'; readonly loss: string }
  | { readonly kind: 'step'; readonly loss: string; readonly clip: boolean };

/** The graph an objective compiles: `built` elaborated with the objective's loss, when it has one. */
export function objectiveProgram(built: Elaborated, o: Objective): Graph {
  if (o.kind === 'forward') return built.graph;
  const grads = gradientProgram(built, o.loss);
  return o.kind === 'grad' ? grads : adamwStep(grads, new GraphBuilder(built.graph.ctx), { clip: o.clip });
}

/** `built` with its graph replaced by the objective's. */
export function withObjective(built: Elaborated, o: Objective): Elaborated {
  return o.kind === 'forward' ? built : { ...built, graph: objectiveProgram(built, o) };
}
