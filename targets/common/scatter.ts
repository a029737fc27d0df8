import type { Node } from '../../src/ir/node.js';
import { normalizeAxis, numel, type Shape } from '../../src/ir/shape.js';
import { isInline, isMovement, isScatter } from '../../src/kernel/classify.js';
import type { Kernel } from '../../src/kernel/kernels.js';
import { applyMovement, contiguous, isContiguous, type Layout } from '../../src/kernel/layout.js';
import type { ElementValues } from './elementValues.js';
import { affine, storeOffset, unravel } from './indexing.js';

/**
 * What both backends' scatter_add kernels are made of. The result is [pre, rows, post] around the
 * scatter axis and the updates [pre, indices, post]; a kernel walks one flat counter over `pre`
 * (p), one over the indices (i) and one over `post` (q), and gets here the expressions at them.
 * Every (p, q) column is independent: whoever owns a column zeroes it and then adds the rows of the
 * updates into it in index order, so no two threads touch one element and each element's sum has
 * the interpreter's order.
 */
export interface ScatterParts {
  readonly node: Node;
  /** Elements before and after the scatter axis, and the result's rows along it. */
  readonly pre: number;
  readonly post: number;
  readonly rows: number;
  /** Number of indices (their elements, flattened). */
  readonly count: number;
  /** The row that gets nothing, when padding_idx names a row. */
  readonly padding: number | undefined;
  /** The index at flat position `i` of the indices. */
  index(i: string): string;
  /** The update at (p, i, q). */
  update(p: string, i: string, q: string): string;
  /** The result element at (p, row, q) as an lvalue of the kernel's output buffer. */
  target(p: string, row: string, q: string): string;
  /** The kernel's output buffer, and the offset in it of the result element at (p, row, q). */
  readonly out: string;
  offset(p: string, row: string, q: string): string;
}

/** The buffer under a chain of views, when it is one (not a constant) and the chain is strided. */
function stridedSource(n: Node, views: ReadonlySet<Node>): { buffer: Node; layout: Layout } | undefined {
  if (!views.has(n)) return isInline(n) ? undefined : { buffer: n, layout: contiguous(n.type.shape) };
  const inner = stridedSource(n.srcs[0]!, views);
  const layout = inner && applyMovement(inner.layout, n);
  return layout && { buffer: inner.buffer, layout };
}

/**
 * Element `flat` of `n` read straight from its buffer when `n` is that buffer's elements in order
 * (itself, or a reshape of it: gather's gradient views both its operands so), undefined otherwise.
 * The general element expression would unravel the flat counters and ravel them again, and the
 * div/mod that leaves in the inner loop keeps it from vectorising.
 */
function flatRead(v: ElementValues, n: Node, flat: () => string): string | undefined {
  const src = stridedSource(n, v.env.views);
  if (!src || !isContiguous(src.layout)) return undefined;
  return v.env.r.loadAt(v.env.ptr(src.buffer), flat(), n.type.dtype);
}

/** A scatter_add kernel's loops over `v`'s element expressions; it holds the scatter and what it stores through. */
export function scatterParts(v: ElementValues, k: Pick<Kernel, 'name' | 'ops' | 'outputs'>): ScatterParts {
  const node = k.ops.find(isScatter)!;
  const [o] = k.outputs;
  const { v: stored, chain } = v.stored(o!);
  const others = k.ops.filter((n) => n !== node && !chain.includes(n));
  if (k.outputs.length !== 1 || stored !== node || others.length || !chain.every(isMovement)) {
    throw new Error(`internal: ${k.name} holds more than a scatter_add and the movement it stores through`);
  }
  const [updates, indices] = node.srcs as [Node, Node];
  const shape = node.type.shape;
  const axis = normalizeAxis(node.attr<number>('axis'), shape.length)!;
  const preShape: Shape = shape.slice(0, axis);
  const postShape: Shape = shape.slice(axis + 1);
  const rows = shape[axis]!;
  const pad = node.attr<number>('padding_idx');
  const through = [...chain].reverse();
  const [pre, post, count] = [numel(preShape), numel(postShape), numel(indices.type.shape)];
  // Stored through reshapes only (or nothing), the result is written in its own order.
  const flatStore = chain.every((n) => n.op === 'reshape');
  // A scatter along the last axis has no post-axis elements: its column counter is not a term.
  const col = (q: string) => (post > 1 ? q : '0');
  const offset = (p: string, row: string, q: string) =>
    flatStore ? affine([[p, rows * post], [row, post], [col(q), 1]]) : storeOffset(node, through, [...unravel(p, preShape), row, ...unravel(q, postShape)]);
  return {
    node,
    pre,
    post,
    rows,
    count,
    padding: pad >= 0 && pad < rows ? pad : undefined,
    index: (i) => flatRead(v, indices, () => i) ?? v.value(indices, unravel(i, indices.type.shape)),
    update: (p, i, q) =>
      flatRead(v, updates, () => affine([[p, count * post], [i, post], [col(q), 1]])) ??
      v.value(updates, [...unravel(p, preShape), ...unravel(i, indices.type.shape), ...unravel(q, postShape)]),
    target: (p, row, q) => `${v.env.ptr(o!)}[${offset(p, row, q)}]`,
    out: v.env.ptr(o!),
    offset,
  };
}
