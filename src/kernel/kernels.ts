import type { Span } from '../diag/span.js';
import { byteSize } from '../ir/dtype.js';
import { graphNodes, roots, users } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { numel } from '../ir/shape.js';
import { addFlops, NO_FLOPS, opFlops, type Flops } from '../cost/flops.js';
import { opDef } from '../ir/ops.js';
import { isGather, isInline, isMatmul, isMovement, isRowReduction, isScatter, isWeight, weightTransforms } from './classify.js';
import { attentionParts } from './attention.js';
import type { Module } from './module.js';

export type KernelKind = 'gemm' | 'attention' | 'reduction' | 'elementwise' | 'gather' | 'scatter' | 'data-movement';

/**
 * One fused region: it reads `inputs` from memory once and writes `outputs` once; everything else
 * it computes stays on chip. `views` are movement ops it reads through (folded into its indexing).
 */
export interface Kernel {
  readonly name: string;
  readonly kind: KernelKind;
  /** The roles of its ops, e.g. `bias_dropout_residual_layernorm`. */
  readonly pattern: string;
  readonly ops: readonly Node[];
  readonly inputs: readonly Node[];
  readonly outputs: readonly Node[];
  readonly views: readonly Node[];
  /** Runs once when weights are loaded (its inputs are weights and constants only). */
  readonly init: boolean;
  readonly scopes: readonly string[];
  readonly spans: readonly Span[];
  readonly flops: Flops;
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /**
   * A multi-tensor kernel's segments (fuse-multi-tensor): independent chains, each a kernel of its
   * own that the backends run in the one launch (docs/autodiff.md). Absent for other kernels.
   */
  readonly segments?: readonly Kernel[];
}

export function bytesOf(n: Node): number {
  return numel(n.type.shape) * byteSize(n.type.dtype);
}

/** What an op does in a fused chain, for kernel names. */
function role(n: Node, members: ReadonlySet<Node>, views: ReadonlySet<Node>): string {
  // A view, or a cast to another precision, is the value it shows.
  const through = (s: Node): Node => (views.has(s) || s.op === 'cast' ? through(s.srcs[0]!) : s);
  switch (n.op) {
    case 'matmul':
      return 'gemm';
    case 'gather':
      return isWeight(n.srcs[0]!) ? 'embedding' : 'gather';
    case 'mul':
      return n.srcs.some((s) => through(s).op === 'const') ? 'scale' : n.op;
    case 'div':
      // x / c scales x; c / x is a reciprocal, not a scale.
      return through(n.srcs[1]!).op === 'const' ? 'scale' : n.op;
    case 'add': {
      const [a, b] = n.srcs as [Node, Node];
      const outside = (x: Node) => !members.has(through(x));
      if (a.type.shape.length === b.type.shape.length && a.type.shape.every((d, i) => d === b.type.shape[i])) {
        return outside(a) !== outside(b) ? 'residual' : 'add';
      }
      // The smaller operand is broadcast: a weight row is a bias, a computed tensor a mask.
      const small = numel(a.type.shape) < numel(b.type.shape) ? a : b;
      const src = through(small);
      if (isWeight(src) || src.op === 'concat') return 'bias';
      return outside(small) ? 'mask' : 'add';
    }
    default:
      return n.op;
  }
}

function kindOf(ops: readonly Node[]): KernelKind {
  if (attentionParts(ops)) return 'attention';
  if (ops.some(isMatmul)) return 'gemm';
  if (ops.some(isScatter)) return 'scatter';
  if (ops.some(isRowReduction)) return 'reduction';
  if (ops.some(isGather)) return 'gather';
  if (ops.every(isMovement)) return 'data-movement';
  return 'elementwise';
}

const KERNELS_OF = new WeakMap<Module, readonly Kernel[]>();

/**
 * The kernels of a module, producers before consumers. Computed once per module: a Module is
 * immutable (every pass returns a new one), so passes, the cost model, statistics, the report and
 * the backends share one list.
 */
export function kernelsOf(m: Module): readonly Kernel[] {
  let ks = KERNELS_OF.get(m);
  if (!ks) {
    ks = computeKernels(m);
    KERNELS_OF.set(m, ks);
  }
  return ks;
}

/** The accessor under its former name, which targets/ call. */
export const buildKernels = kernelsOf;

/** Operand `i` of `n` is read only where `n`'s result picks (a gather's table rows). */
function readsPart(n: Node, i: number): boolean {
  return opDef(n.op).bytes?.partialOperands.includes(i) ?? false;
}

function computeKernels(m: Module): Kernel[] {
  const { graph, partition } = m;
  const nodes = graphNodes(graph);
  const order = new Map(nodes.map((n, i) => [n, i]));
  const readers = users(nodes);
  const rootSet = new Set(roots(graph));
  const init = weightTransforms(graph);
  const groups = new Map<number, Node[]>();
  for (const n of nodes) {
    const g = partition.groupOf.get(n);
    if (g !== undefined) groups.set(g, [...(groups.get(g) ?? []), n]);
  }
  const built = [...groups.entries()].map(([g, ops]) => ({ g, ...describe(ops) }));

  function describe(ops: Node[]) {
    const members = new Set(ops);
    // How each input is read: whole, or only in parts (a slice of it, or the rows a gather picks).
    const access = new Map<Node, { direct: boolean; parts: Set<Node> }>();
    const views = new Set<Node>();
    const resolve = (s: Node, part: Node | undefined) => {
      if (members.has(s) || isInline(s)) return;
      if (partition.views.has(s)) {
        views.add(s);
        s.srcs.forEach((x) => resolve(x, part ?? (opDef(s.op).view?.kind === 'window' ? s : undefined)));
        return;
      }
      const a = access.get(s) ?? { direct: false, parts: new Set<Node>() };
      if (part) a.parts.add(part);
      else a.direct = true;
      access.set(s, a);
    };
    ops.forEach((n) => n.srcs.forEach((s, i) => resolve(s, readsPart(n, i) ? n : undefined)));
    const readOutside = (n: Node): boolean =>
      rootSet.has(n) || (readers.get(n) ?? []).some((u) => (partition.views.has(u) ? readOutside(u) : !members.has(u)));
    const outputs = ops.filter(readOutside);
    const inputs = [...access.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
    const readBytes = (n: Node) => {
      const a = access.get(n)!;
      return a.direct ? bytesOf(n) : Math.min(bytesOf(n), [...a.parts].reduce((t, v) => t + bytesOf(v), 0));
    };
    return { ops, inputs, outputs, views: [...views], bytesRead: inputs.reduce((t, n) => t + readBytes(n), 0) };
  }

  // Kahn's algorithm over groups, ties broken by the first op's position: deterministic.
  const producerGroup = new Map<Node, number>();
  for (const b of built) for (const o of b.outputs) producerGroup.set(o, b.g);
  const byGroup = new Map(built.map((b) => [b.g, b]));
  const pending = new Map<number, number>();
  const successors = new Map<number, number[]>();
  for (const b of built) {
    const deps = new Set(b.inputs.map((i) => producerGroup.get(i)).filter((x): x is number => x !== undefined && x !== b.g));
    pending.set(b.g, deps.size);
    for (const d of deps) successors.set(d, [...(successors.get(d) ?? []), b.g]);
  }
  const first = (g: number) => order.get(byGroup.get(g)!.ops[0]!)!;
  let ready = built.filter((b) => pending.get(b.g) === 0).map((b) => b.g);
  const sorted: typeof built = [];
  while (ready.length) {
    ready.sort((x, y) => first(x) - first(y));
    const g = ready.shift()!;
    sorted.push(byGroup.get(g)!);
    for (const s of successors.get(g) ?? []) {
      const left = pending.get(s)! - 1;
      pending.set(s, left);
      if (left === 0) ready.push(s);
    }
  }
  if (sorted.length < built.length) throw new Error('internal: the kernel partition has a cycle');

  const patternOf = (ops: readonly Node[]): string => {
    // A fused attention is what it computes as a whole; its parts' roles would read as two GEMMs.
    const attention = attentionParts(ops);
    if (attention) return attention.dropout ? 'attention_dropout' : 'attention';
    const members = new Set(ops);
    const roles: string[] = [];
    for (const n of ops) {
      const r = role(n, members, partition.views);
      if (!roles.includes(r)) roles.push(r);
    }
    // Casts riding along with other work are not what the kernel is for.
    const named = roles.filter((r) => r !== 'cast');
    return (named.length ? named : roles).join('_');
  };
  const kernel = (b: ReturnType<typeof describe>, name: string, pattern: string, segments?: readonly Kernel[]): Kernel => ({
    name,
    kind: kindOf(b.ops),
    pattern,
    ops: b.ops,
    inputs: b.inputs,
    outputs: b.outputs,
    views: b.views,
    init: b.ops.every((n) => init.has(n)),
    scopes: [...new Set(b.ops.map((n) => n.meta.scope))],
    spans: b.ops.flatMap((n) => (n.meta.span ? [n.meta.span] : [])),
    flops: b.ops.reduce((f, n) => addFlops(f, opFlops(n, m.train)), NO_FLOPS),
    bytesRead: b.bytesRead,
    bytesWritten: b.outputs.reduce((s, n) => s + bytesOf(n), 0),
    ...(segments && { segments }),
  });
  return sorted.map((b, i) => {
    const parts = components(b.ops, partition.views);
    const pattern = `${parts.length > 1 ? 'multi_tensor_' : ''}${patternOf(b.ops)}`;
    const name = partition.names?.get(b.g) ?? `k${i}_${pattern}`;
    if (parts.length === 1) return kernel(b, name, pattern);
    return kernel(b, name, pattern, parts.map((ops, j) => kernel(describe(ops), `${name}_s${j}`, patternOf(ops))));
  });
}

/** The ops of a kernel split into the sets that read one another (a multi-tensor kernel has several). */
function components(ops: readonly Node[], views: ReadonlySet<Node>): Node[][] {
  const members = new Set(ops);
  const root = new Map<Node, Node>(ops.map((n) => [n, n]));
  const find = (n: Node): Node => (root.get(n) === n ? n : find(root.get(n)!));
  const link = (n: Node, s: Node): void => {
    if (members.has(s)) root.set(find(s), find(n));
    else if (views.has(s)) s.srcs.forEach((x) => link(n, x));
  };
  for (const n of ops) for (const s of n.srcs) link(n, s);
  const parts = new Map<Node, Node[]>();
  for (const n of ops) parts.set(find(n), [...(parts.get(find(n)) ?? []), n]);
  return [...parts.values()];
}

