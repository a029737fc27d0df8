import type { Node } from './node.js';
import { normalizeAxis, stridesOf, type Shape } from './shape.js';

/**
 * Strided views, and the rule of each movement op that readers can index through: how it maps the
 * layout of its operand to its own. The op catalogue (`ops.ts`) attaches these rules to reshape,
 * transpose, slice and expand; kernel plans (`src/kernel/layout.ts`) and the backends' indexing
 * apply them.
 */

/** Python-style bounds: negative counts from the end, then clamped to [0, dim]. */
export function sliceBounds(dim: number, start: number, end: number): [number, number] {
  const norm = (v: number) => Math.min(dim, Math.max(0, v < 0 ? v + dim : v));
  const s = norm(start);
  return [s, Math.max(s, norm(end))];
}

/**
 * A strided view of a buffer: element [i0, i1, ..] of the view is element
 * `offset + i0 * strides[0] + i1 * strides[1] + ..` of the buffer. A movement op can be folded into
 * the indexing of the kernels that read it exactly when its result is such a view.
 */
export interface Layout {
  readonly shape: Shape;
  readonly strides: readonly number[];
  readonly offset: number;
}

export function contiguous(shape: Shape): Layout {
  return { shape, strides: stridesOf(shape), offset: 0 };
}

export function isContiguous(l: Layout): boolean {
  const c = stridesOf(l.shape);
  return l.offset === 0 && l.shape.every((d, i) => d === 1 || l.strides[i] === c[i]);
}

/**
 * The strides of `shape` viewing the same elements as `l`, or undefined when the merge or split of
 * dimensions crosses a stride discontinuity (then a copy is needed). Same rule as PyTorch's `view`.
 */
export function reshapeLayout(l: Layout, shape: Shape): Layout | undefined {
  const old = l.shape;
  const os = l.strides;
  if (old.length === 0) return { shape, strides: shape.map(() => 0), offset: l.offset };
  const strides = new Array<number>(shape.length);
  let viewD = shape.length - 1;
  let chunkBase = os[os.length - 1]!;
  let tensorNumel = 1;
  let viewNumel = 1;
  for (let d = old.length - 1; d >= 0; d--) {
    tensorNumel *= old[d]!;
    if (d === 0 || (old[d - 1] !== 1 && os[d - 1] !== tensorNumel * chunkBase)) {
      while (viewD >= 0 && (viewNumel < tensorNumel || shape[viewD] === 1)) {
        strides[viewD] = viewNumel * chunkBase;
        viewNumel *= shape[viewD]!;
        viewD--;
      }
      if (viewNumel !== tensorNumel) return undefined;
      if (d > 0) {
        chunkBase = os[d - 1]!;
        tensorNumel = 1;
        viewNumel = 1;
      }
    }
  }
  return viewD === -1 ? { shape, strides, offset: l.offset } : undefined;
}

/**
 * A movement op that readers can index through as a strided view of its operand: `relabel` is a
 * bijection of positions (reshape, transpose; a producer may store through it), `window` reads a
 * part of its operand (slice; readers' traffic is the window), `broadcast` repeats elements (expand).
 */
export type ViewKind = 'relabel' | 'window' | 'broadcast';

export interface ViewRule {
  readonly kind: ViewKind;
  /** The op's result as a view of its operand laid out as `l`; undefined when it is not a strided view (a copy is needed). */
  readonly layout: (l: Layout, n: Node) => Layout | undefined;
}

export const reshapeView: ViewRule = { kind: 'relabel', layout: (l, n) => reshapeLayout(l, n.type.shape) };

export const transposeView: ViewRule = { kind: 'relabel', layout: transposeLayout };

function transposeLayout(l: Layout, n: Node): Layout {
  const perm = n.attr<readonly number[]>('perm');
  return { shape: perm.map((p) => l.shape[p]!), strides: perm.map((p) => l.strides[p]!), offset: l.offset };
}

export const sliceView: ViewRule = { kind: 'window', layout: sliceLayout };

function sliceLayout(l: Layout, n: Node): Layout {
  const axis = normalizeAxis(n.attr<number>('axis'), l.shape.length)!;
  const [s, e] = sliceBounds(l.shape[axis]!, n.attr<number>('start'), n.attr<number>('end'));
  return {
    shape: l.shape.map((d, i) => (i === axis ? e - s : d)),
    strides: l.strides,
    offset: l.offset + s * l.strides[axis]!,
  };
}

export const expandView: ViewRule = { kind: 'broadcast', layout: expandLayout };

function expandLayout(l: Layout, n: Node): Layout {
  const want = n.type.shape;
  const lead = want.length - l.shape.length;
  return {
    shape: want,
    strides: want.map((_, i) => (i < lead || l.shape[i - lead] === 1 ? 0 : l.strides[i - lead]!)),
    offset: l.offset,
  };
}
