import type { Elaborated } from '../frontend/elaborate.js';
import { adamwStep, LOSS_SCALE, OPTIMIZER_SCOPE } from '../ir/adamw.js';
import { tensorType } from '../ir/types.js';
import { gradientGraph } from '../ir/autodiff.js';
import { GraphBuilder } from '../ir/builder.js';
import { params, topoOrder, type Graph } from '../ir/graph.js';

/**
 * The backward graph of one `loss` block (docs/autodiff.md): the model's inputs and the loss's
 * (`loss.<name>`) as inputs; outputs `loss` and `grad.<parameter name>` for every weight the loss
 * depends on, in name order. `built` comes from build(.., { loss: lossName }), which reports an
 * unknown loss name (E0019, listing the file's losses).
 */
export function gradientProgram(built: Elaborated, lossName: string, scaled = false): Graph {
  const loss = built.losses?.get(lossName);
  if (!loss) throw new Error(`internal: loss '${lossName}' was not elaborated: build with { loss: '${lossName}' }`);
  const g = built.graph;
  const inputs = [...g.inputs, ...loss.inputs];
  const forward: Graph = { ctx: g.ctx, name: g.name, body: topoOrder([loss.node, ...inputs]), inputs, outputs: [{ name: 'loss', node: loss.node }], taps: [] };
  const wrt = params(forward).sort((a, b) => (a.attr<string>('name') < b.attr<string>('name') ? -1 : 1));
  const b = new GraphBuilder(g.ctx);
  if (!scaled) return gradientGraph(forward, loss.node, wrt, b);
  // Loss scaling: the gradients of loss * adamw.loss_scale, which keeps small 16-bit gradients from
  // flushing to zero; the step unscales them (adamwStep's lossScale). The output is the loss itself.
  const meta = { ...loss.node.meta, scope: OPTIMIZER_SCOPE, hint: 'scaled_loss' };
  const root = b.op('mul', [loss.node, b.param(LOSS_SCALE, tensorType('f32', []), meta)], {}, meta);
  const grads = gradientGraph({ ...forward, outputs: [{ name: 'loss', node: root }] }, root, wrt, b);
  const outputs = grads.outputs.map((o) => (o.name === 'loss' ? { name: 'loss', node: loss.node } : o));
  return { ...grads, outputs, body: topoOrder([...outputs.map((o) => o.node), ...grads.inputs]) };
}

/** What a compiled program computes: the model's forward pass, one loss's gradients, or a whole AdamW training step. */
export type Objective =
  | { readonly kind: 'forward' }
  | { readonly kind: 'grad'; readonly loss: string }
  | { readonly kind: 'step'; readonly loss: string; readonly clip: boolean; readonly lossScale?: boolean };

/** The graph an objective compiles: `built` elaborated with the objective's loss, when it has one. */
export function objectiveProgram(built: Elaborated, o: Objective): Graph {
  if (o.kind === 'forward') return built.graph;
  if (o.kind === 'grad') return gradientProgram(built, o.loss);
  const scaled = o.lossScale ?? false;
  return adamwStep(gradientProgram(built, o.loss, scaled), new GraphBuilder(built.graph.ctx), { clip: o.clip, lossScale: scaled });
}

/** `built` with its graph replaced by the objective's. */
export function withObjective(built: Elaborated, o: Objective): Elaborated {
  return o.kind === 'forward' ? built : { ...built, graph: objectiveProgram(built, o) };
}
