import type { DType } from './dtype.js';
import type { Attrs, Node } from './node.js';
import type { OpName } from './ops.js';
import { normalizeAxis, numel } from './shape.js';

/**
 * The per-op rules that the op catalogue (`ops.ts`) attaches to each op, one kind of rule per
 * section: floating-point work, the special-function unit, the axes a row op reduces, how the
 * batch axis passes through, and the gradient slot. Each rule is a small named function over a node
 * so that the cost model, kernel plans and WGSL batch slicing ask the catalogue instead of
 * switching on op names.
 */

// ---------------------------------------------------------------- FLOPs

/**
 * Floating-point work of one op, split the way hardware executes it: matrix (multiply-adds on a
 * compute array, 2 per MAC), vector (adds, multiplies, compares, selects) and special functions
 * (exp, erf, tanh, sqrt, rsqrt, log, pow: one evaluation each).
 */
export interface Flops {
  readonly matrix: number;
  readonly vector: number;
  readonly special: number;
}

export const NO_FLOPS: Flops = { matrix: 0, vector: 0, special: 0 };

export function addFlops(a: Flops, b: Flops): Flops {
  return { matrix: a.matrix + b.matrix, vector: a.vector + b.vector, special: a.special + b.special };
}

export function totalFlops(f: Flops): number {
  return f.matrix + f.vector + f.special;
}

/** An op's work for one evaluation of node `n`; `train` is true in a training-mode forward (dropout active). */
export type FlopsRule = (n: Node, train: boolean) => Flops;

const vector = (v: number): Flops => ({ matrix: 0, vector: v, special: 0 });
const outputs = (n: Node) => numel(n.type.shape);

/** Sources, movement and gathers: they move or name elements and compute nothing. */
export const noFlops: FlopsRule = () => NO_FLOPS;

/** One vector operation per result element: arithmetic, compares, selects, casts. */
export const flopsPerElement: FlopsRule = (n) => vector(outputs(n));

/** One special-function evaluation per result element: exp, log, tanh, erf, sqrt, rsqrt, pow. */
export const specialPerElement: FlopsRule = (n) => ({ matrix: 0, vector: 0, special: outputs(n) });

/** Two FLOPs per multiply-add: M x N results of K each. */
export const matmulFlops: FlopsRule = (n) => {
  const a = n.srcs[0]!.type.shape;
  const k = n.attr<boolean>('transpose_a') ? a[a.length - 2]! : a[a.length - 1]!;
  return { matrix: 2 * outputs(n) * k, vector: 0, special: 0 };
};

/** x * 0.5 * (1 + erf(x * c)): three multiplies and an add around one erf (or tanh). */
export const geluFlops: FlopsRule = (n) => ({ matrix: 0, vector: 4 * outputs(n), special: outputs(n) });

/** The mask is integer work (the generator), then a compare, a select and a multiply; nothing in inference. */
export const dropoutFlops: FlopsRule = (n, train) => (train ? vector(3 * outputs(n)) : NO_FLOPS);

/** Max, subtract, sum, divide per element; one exp. */
export const softmaxFlops: FlopsRule = (n) => ({ matrix: 0, vector: 4 * outputs(n), special: outputs(n) });

/** Mean, centre, square, sum, normalise, scale, shift per element; one rsqrt per row. */
export const layernormFlops: FlopsRule = (n) => {
  const rows = outputs(n) / n.type.shape[n.type.shape.length - 1]!;
  return { matrix: 0, vector: 7 * outputs(n), special: rows };
};

/** One step per element of the operand. */
export const reduceFlops: FlopsRule = (n) => vector(numel(n.srcs[0]!.type.shape));

/** One add per element of the updates: each index's row added into the row it names. */
export const scatterAddFlops: FlopsRule = (n) => vector(numel(n.srcs[0]!.type.shape));

// ---------------------------------------------------------------- special-function unit

/** The special-function unit an op's evaluations run on (the accelerator's `special_per_cycle` keys). */
export type SpecialUnit = 'exp' | 'erf' | 'tanh' | 'rsqrt';

/** A fixed unit, or one chosen by the node's attributes. */
export type SpecialRule = SpecialUnit | ((n: Node) => SpecialUnit);

export const geluUnit = (n: Node): SpecialUnit => (n.attr<string>('approximate') === 'tanh' ? 'tanh' : 'erf');

// ---------------------------------------------------------------- reduced axes

/** The axes a row op reduces over, normalised and ascending, in its first operand's numbering. */
export type ReducedAxesRule = (n: Node) => number[];

const rankOfFirst = (n: Node) => n.srcs[0]!.type.shape.length;

export const softmaxAxes: ReducedAxesRule = (n) => [normalizeAxis(n.attr<number>('axis'), rankOfFirst(n))!];
export const lastAxis: ReducedAxesRule = (n) => [rankOfFirst(n) - 1];
export const reduceAxes: ReducedAxesRule = (n) => n.attr<readonly number[]>('axes').map((a) => normalizeAxis(a, rankOfFirst(n))!).sort((a, b) => a - b);

// ---------------------------------------------------------------- batch axis

/** The result of a batch rule: the result's batch axis, undefined when it has none. */
export const MIXES_ROWS = 'mixes-rows';
export type BatchAxis = number | undefined | typeof MIXES_ROWS;

/** What a batch rule sees: called only when some operand carries the batch, and all that do agree. */
export interface BatchContext {
  /** The batch size: dimension 0 of every model input. */
  readonly batch: number;
  /** The operands' batch axis in the result's numbering (operands right-aligned to the result's rank). */
  readonly axis: number;
  /** An operand's batch axis in its own numbering; undefined when it carries none. */
  axisOf(src: Node): number | undefined;
}

/**
 * How the batch axis passes through an op, for running a model on slices of its batch (WGSL does
 * when a whole-batch tensor would not fit one binding). A source states the axis its value carries
 * (inputs carry the batch on axis 0, weights and constants carry none); any other op maps its
 * operands' batch axis to the result's, or answers MIXES_ROWS when one result row depends on
 * several batch rows (a reduction or slice along the batch, a reshape merging it away).
 */
export type BatchRule = { readonly source: number | undefined } | ((n: Node, c: BatchContext) => BatchAxis);

export const batchOnAxis0: BatchRule = { source: 0 };
export const noBatch: BatchRule = { source: undefined };

/** Per-element ops keep the axis, unless broadcasting stretches a size-1 axis to where the batch is. */
export const elementwiseBatch: BatchRule = (n, c) => (n.type.shape[c.axis] === c.batch ? c.axis : MIXES_ROWS);

/** Row ops (softmax, layernorm) keep the axis unless they reduce along it. */
export const rowBatch = (reduced: ReducedAxesRule): BatchRule => (n, c) => (reduced(n).includes(c.axis) ? MIXES_ROWS : c.axis);

export const reduceBatch: BatchRule = (n, c) => {
  const src = n.srcs[0]!;
  const sa = c.axisOf(src)!;
  const axes = reduceAxes(n);
  if (axes.includes(sa)) return MIXES_ROWS;
  return n.attr<boolean>('keepdims') ? sa : sa - axes.filter((x) => x < sa).length;
};

/**
 * Shared weights: the batch may be a batch dimension or the rows of x. Two activations: it must be a
 * batch dimension of both.
 */
export const matmulBatch: BatchRule = (n, c) => {
  const [x, y] = n.srcs as [Node, Node];
  const r = n.type.shape.length;
  const a = c.axis;
  if (c.axisOf(x) === undefined) return MIXES_ROWS;
  if (c.axisOf(y) === undefined) return a < r - 2 || (a === r - 2 && !n.attr<boolean>('transpose_a')) ? a : MIXES_ROWS;
  return a < r - 2 ? a : MIXES_ROWS;
};

export const transposeBatch: BatchRule = (n, c) => n.attr<readonly number[]>('perm').indexOf(c.axisOf(n.srcs[0]!)!);

/** The batch survives a reshape that keeps its dimension whole, with the same elements before it. */
export const reshapeBatch: BatchRule = (n, c) => {
  const src = n.srcs[0]!;
  const sa = c.axisOf(src)!;
  const before = numel(src.type.shape.slice(0, sa));
  let p = 1;
  for (let i = 0; i < n.type.shape.length && p <= before; i++) {
    if (p === before && n.type.shape[i] === src.type.shape[sa]) return i;
    p *= n.type.shape[i]!;
  }
  return MIXES_ROWS;
};

export const keepBatch: BatchRule = (_n, c) => c.axis;

/** Slice and concat keep the axis unless they cut or join along it. */
export const alongAxisBatch: BatchRule = (n, c) => (normalizeAxis(n.attr<number>('axis'), n.type.shape.length) === c.axis ? MIXES_ROWS : c.axis);

/** Rows picked by batched indices: the indices' batch axis lands at the gather axis onward. */
export const gatherBatch: BatchRule = (n, c) => {
  const [table, idx] = n.srcs as [Node, Node];
  if (c.axisOf(table) !== undefined) return MIXES_ROWS;
  return normalizeAxis(n.attr<number>('axis'), table.type.shape.length)! + c.axisOf(idx)!;
};

/**
 * Updates summed into rows by batched indices mix the batch rows; a batch along the axes the
 * indices leave alone (before or after them) passes through.
 */
export const scatterBatch: BatchRule = (n, c) => {
  const [updates, idx] = n.srcs as [Node, Node];
  if (c.axisOf(idx) !== undefined) return MIXES_ROWS;
  const axis = normalizeAxis(n.attr<number>('axis'), n.type.shape.length)!;
  const r = idx.type.shape.length;
  const a = c.axisOf(updates)!;
  if (a < axis) return a;
  return a >= axis + r ? a - r + 1 : MIXES_ROWS;
};

// ---------------------------------------------------------------- indexed rows

/**
 * What an integer operand of an op addresses: a row along one axis, of `rows` (gather's table,
 * scatter_add's result). `because` says so for the input-range diagnostic (`inputRanges.ts`).
 */
export interface IndexedRows {
  readonly operand: number;
  readonly rows: number;
  readonly because: string;
}

export type IndexedRowsRule = (n: Node) => IndexedRows;

const tableName = (table: Node) => (table.op === 'param' ? `'${table.attr<string>('name')}'` : `of ${table.type.shape[0]} rows`);

export const gatherRows: IndexedRowsRule = (n) => {
  const table = n.srcs[0]!;
  const axis = normalizeAxis(n.attr<number>('axis'), table.type.shape.length) ?? 0;
  return { operand: 1, rows: table.type.shape[axis]!, because: `it indexes axis ${axis} of the table ${tableName(table)}` };
};

export const scatterRows: IndexedRowsRule = (n) => {
  const axis = normalizeAxis(n.attr<number>('axis'), n.type.shape.length) ?? 0;
  const rows = n.attr<number>('rows');
  return { operand: 1, rows, because: `it names rows of axis ${axis} of a scatter_add into ${rows} rows` };
};

// ---------------------------------------------------------------- gradient

/**
 * What a gradient rule builds with: the graph builder bound to the node being differentiated, so
 * that every node the rule makes carries the provenance "derived from node N by autodiff" (N that
 * node, its span and scope kept) without each rule passing it. The rule table is in `gradients.ts`,
 * the walk that calls it in `autodiff.ts`.
 *
 * (The slot first took the bare GraphBuilder; a rule then had to build the same Meta for every one
 * of its nodes, and forgetting it would make gradient nodes look like forward ones in reports.)
 */
export interface GradEmitter {
  /** `op` over `srcs`, attribute defaults filled and the type inferred (GraphBuilder.op). */
  op(op: OpName, srcs: readonly Node[], attrs?: Attrs): Node;
  /** A scalar constant of a dtype. */
  constant(value: number, dtype: DType): Node;
}

/**
 * Reverse-mode rule of an op, in the style of tinygrad's `pm_gradient`: given node `n` and the
 * gradient `grad` of its result (same type as `n`), builds the gradients of its operands as ordinary
 * IR with `e`, one entry per operand in order, undefined for an operand that gets none (a where's
 * condition, a comparison's operands). The caller walks only nodes on a path to the targets and sums
 * gradients where a value fans out, so a rule sees one node and one incoming gradient; a broadcast
 * operand's gradient is reduced back to the operand's shape by the rule. An op without a rule (none
 * in the catalogue today) stops the walk with a located error when it lies on a path.
 */
export type GradRule = (e: GradEmitter, n: Node, grad: Node) => readonly (Node | undefined)[];
