import type { Meta, Node } from '../src/ir/node.js';
import { graphNodes, users } from '../src/ir/graph.js';
import { remapPartition } from '../src/kernel/partition.js';
import { bytesOf } from '../src/kernel/kernels.js';
import type { FusionDecision } from '../src/kernel/module.js';
import { describeNode } from './fusion.js';
import { definePass, Statistics } from './pass.js';
import { rewriteGraph, type Rewriter } from './rewrite.js';
import { isWeightOrCast } from '../src/kernel/classify.js';

/**
 * A projection `x W^T (+ b)` (W stored [out, in], as nn.Linear) or `x W (+ b)` (W stored [in, out],
 * as ONNX exports keep it) with W (and b) weights, or their casts: a candidate for merging with its
 * siblings of the same layout.
 */
interface Projection {
  readonly matmul: Node;
  readonly transposed: boolean;
  /** The bias add reading the matmul, when there is exactly one. */
  readonly bias?: Node;
  readonly biasParam?: Node;
}

function projectionOf(mm: Node, readers: ReadonlyMap<Node, Node[]>): Projection | undefined {
  const [, w] = mm.srcs as [Node, Node];
  if (mm.attr<boolean>('transpose_a') || !isWeightOrCast(w) || w.type.shape.length !== 2) return undefined;
  const transposed = mm.attr<boolean>('transpose_b');
  const rs = readers.get(mm) ?? [];
  const add = rs.length === 1 && rs[0]!.op === 'add' ? rs[0] : undefined;
  const b = add?.srcs.find((s) => s !== mm);
  return b && isWeightOrCast(b) && b.type.shape.length === 1 ? { matmul: mm, transposed, bias: add, biasParam: b } : { matmul: mm, transposed };
}

/** The output features of a projection: W's rows when it is [out, in], its columns when [in, out]. */
const widthOf = (p: Projection) => p.matmul.srcs[1]!.type.shape[p.transposed ? 0 : 1]!;

/** The longest dotted prefix shared by the scopes, e.g. `encoder.layer.0.attention.self`. */
function commonScope(scopes: readonly string[]): string {
  const parts = scopes.map((s) => s.split('.'));
  const out: string[] = [];
  for (let i = 0; parts.every((p) => p[i] !== undefined && p[i] === parts[0]![i]); i++) out.push(parts[0]![i]!);
  return out.join('.');
}

/** Builds `concat(W) -> matmul -> + concat(b)` once per sibling set, for every member to slice from. */
class MergedProjection {
  private result?: Node;

  constructor(readonly members: readonly Projection[]) {}

  get withBias(): boolean {
    return this.members.every((p) => p.bias);
  }

  build(r: Rewriter): Node {
    if (this.result) return this.result;
    const first = this.members[0]!.matmul;
    const like: Meta = { ...first.meta, scope: commonScope(this.members.map((p) => p.matmul.meta.scope)), hint: 'qkv' };
    const transposed = this.members[0]!.transposed;
    const w = r.make('concat', this.members.map((p) => r.current(p.matmul.srcs[1]!)), { axis: transposed ? 0 : 1 }, like);
    let y = r.make('matmul', [r.current(first.srcs[0]!), w], { transpose_b: transposed }, like);
    if (this.withBias) {
      const b = r.make('concat', this.members.map((p) => r.current(p.biasParam!)), { axis: 0 }, like);
      y = r.make('add', [y, b], {}, like);
    }
    this.result = y;
    return y;
  }

  /** Member i's columns of the merged result. */
  slice(i: number, r: Rewriter, like: Node): Node {
    const start = this.members.slice(0, i).reduce((s, p) => s + widthOf(p), 0);
    const end = start + widthOf(this.members[i]!);
    return r.make('slice', [this.build(r)], { axis: -1, start, end }, like.meta);
  }
}

export const fuseQkv = definePass({
  name: 'fuse-qkv',
  summary: 'merge projections of the same input (Q, K and V) into one GEMM over concatenated weights',
  description: `Matmuls that multiply the same activation by different weight matrices (x W_q^T, x W_k^T, x W_v^T),
each with its own bias, become one matmul with the weights concatenated along the output axis (done once,
when weights are loaded) followed by slices. The activation is read once instead of once per projection.
Weights stored [in, out] (x W, as ONNX exports keep them) merge the same way, concatenated along their
columns. Projections with a non-weight operand, a transposed activation, weights of both layouts, or mixed
bias/no-bias are left alone.

  before:  q = matmul(x, wq, transpose_b=true) + bq;  k = matmul(x, wk, transpose_b=true) + bk;
  after:   qkv = matmul(x, concat(wq, wk, axis=0), transpose_b=true) + concat(bq, bk, axis=0);
           q = slice(qkv, axis=-1, start=0, end=H);  k = slice(qkv, axis=-1, start=H, end=2*H);`,
  options: {
    'min-group': { kind: 'int', default: 2, doc: 'fewest projections to merge' },
  },
  statistics: { merged: 'projections merged', groups: 'merged GEMMs created' },
  run(m, o, stats) {
    // Live nodes only: merging a dead projection would bring it back to life.
    const live = graphNodes(m.graph);
    const readers = users(live);
    const byInput = new Map<Node, Node[]>();
    for (const n of live) if (n.op === 'matmul') byInput.set(n.srcs[0]!, [...(byInput.get(n.srcs[0]!) ?? []), n]);
    const owner = new Map<Node, { set: MergedProjection; index: number }>();
    const decisions: FusionDecision[] = [];
    for (const [x, mms] of byInput) {
      if (mms.length < 2) continue;
      const projections = mms.map((mm) => projectionOf(mm, readers));
      const ok = projections.filter((p): p is Projection => p !== undefined);
      const bias = ok.filter((p) => p.bias).length;
      const decide = (fused: boolean, rule: string, detail: string) =>
        decisions.push({ pass: 'fuse-qkv', rule, fused, producer: describeNode(x), consumer: mms.map((mm) => mm.meta.scope || 'model').join(', '), bytes: (mms.length - 1) * bytesOf(x), detail });
      const transposed = ok.filter((p) => p.transposed).length;
      if (ok.length < o['min-group'] || ok.length !== mms.length || (bias !== 0 && bias !== ok.length) || (transposed !== 0 && transposed !== ok.length)) {
        const rule = ok.length !== mms.length ? 'operand-not-weight' : bias !== 0 && bias !== ok.length ? 'mixed-bias' : 'mixed-layout';
        decide(false, rule, `${mms.length} matmuls read this value; ${ok.length} are weight projections, ${bias} with a bias, ${transposed} by [out, in] weights`);
        continue;
      }
      const set = new MergedProjection(ok);
      ok.forEach((p, i) => owner.set(set.withBias ? p.bias! : p.matmul, { set, index: i }));
      decide(true, 'horizontal', `${ok.length} projections of ${x.type.shape.join('x')} become one GEMM`);
      stats.add('merged', ok.length);
      stats.add('groups');
    }
    if (!owner.size) return { ...m, decisions: [...m.decisions, ...decisions] };
    const rule = {
      name: 'fuse-qkv',
      ops: ['matmul', 'add'],
      apply: (n: Node, r: Rewriter, original: Node) => {
        const own = owner.get(original);
        return own && own.set.slice(own.index, r, n);
      },
    };
    const { graph, map } = rewriteGraph(m.graph, [rule], new Statistics(), m.train, fuseQkv.name);
    return { ...m, graph, partition: remapPartition(m.partition, map, graph), decisions: [...m.decisions, ...decisions] };
  },
});
