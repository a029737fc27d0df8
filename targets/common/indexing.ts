import { attentionParts } from '../../src/kernel/attention.js';
import type { Node } from '../../src/ir/node.js';
import { sliceBounds, type CatalogueOp } from '../../src/ir/ops.js';
import { normalizeAxis, stridesOf, type Shape } from '../../src/ir/shape.js';
import { applyMovement, contiguous, type Layout } from '../../src/kernel/layout.js';

/**
 * Index arithmetic for generated code, as strings: the one place that knows strides, broadcasting
 * and how movement ops remap indices. Index expressions are affine in loop variables with constant
 * coefficients, simplified as they are built so the output stays readable.
 */

export type Index = readonly string[];

/** Whether an expression can be multiplied without parentheses: a name, a number, or one (...) group. */
function isAtom(e: string): boolean {
  if (/^[A-Za-z_][A-Za-z0-9_]*$|^\d+$/.test(e)) return true;
  if (!e.startsWith('(') || !e.endsWith(')')) return false;
  let depth = 0;
  for (let i = 0; i < e.length; i++) {
    depth += e[i] === '(' ? 1 : e[i] === ')' ? -1 : 0;
    if (depth === 0 && i < e.length - 1) return false;
  }
  return true;
}

/**
 * A term as unravel writes it, `(x / d) % b`: digit d..d*b of the flat counter x (d = 1 without the
 * division, b = Infinity without the modulus).
 */
interface Digit {
  readonly x: string;
  readonly d: number;
  readonly b: number;
}

function digitOf(t: string): Digit {
  const mod = /^\((.*) % (\d+)\)$/.exec(t);
  const [rest, b] = mod && isAtom(mod[1]!) ? [mod[1]!, Number(mod[2])] : [t, Infinity];
  const div = /^\((.*) \/ (\d+)\)$/.exec(rest);
  return div && isAtom(div[1]!) ? { x: div[1]!, d: Number(div[2]), b } : { x: rest, d: 1, b };
}

function digitText({ x, d, b }: Digit): string {
  const q = d === 1 ? x : `(${x} / ${d})`;
  return b === Infinity ? q : `(${q} % ${b})`;
}

/**
 * Joins the adjacent digits of one counter: (x / d) % b * k + (x / (d*b)) % b2 * (k*b) is
 * (x / d) % (b*b2) * k, so that a reshape that splits a counter and one that merges the pieces back
 * cancel (`(j / 128) * 98304 + (j % 128) * 768` is `j * 768`). Left split, the divisions stay in the
 * inner loop and keep the compiler from vectorising it. Exact for C's and WGSL's truncating
 * integer division as for any non-negative counter.
 */
function joinDigits(terms: readonly (readonly [string, number])[]): (readonly [Digit, number])[] {
  const out: [Digit, number][] = terms.map(([t, c]) => [digitOf(t), c]);
  for (let joined = true; joined; ) {
    joined = false;
    for (let i = 0; i < out.length && !joined; i++) {
      const [lo, k] = out[i]!;
      if (lo.b === Infinity) continue;
      const j = out.findIndex(([hi, c]) => hi.x === lo.x && hi.d === lo.d * lo.b && c === k * lo.b);
      if (j < 0) continue;
      out[i] = [{ x: lo.x, d: lo.d, b: lo.b * out[j]![0].b }, k];
      out.splice(j, 1);
      joined = true;
    }
  }
  return out;
}

/** `sum(coef * term) + constant`, dropping zero terms and unit coefficients and joining split counters. */
export function affine(terms: readonly (readonly [string, number])[], constant = 0): string {
  const parts: string[] = [];
  for (const [digit, c] of joinDigits(terms.filter(([t, c]) => c !== 0 && t !== '0'))) {
    const t = digitText(digit);
    if (/^\d+$/.test(t)) {
      constant += Number(t) * c;
      continue;
    }
    parts.push(c === 1 ? t : `${isAtom(t) ? t : `(${t})`} * ${c}`);
  }
  if (constant !== 0 || parts.length === 0) parts.push(String(constant));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
}

/**
 * Where element `idx` of `from` lands after a chain of relabelling ops (transposes and reshapes),
 * as a flat offset into the chain's result. A reshape keeps the flat offset, so a chain ending in
 * one needs no div/mod.
 */
export function storeOffset(from: Node, chain: readonly Node[], idx: Index): string {
  let cur: Index | undefined = idx;
  let flat: string | undefined;
  let shape = from.type.shape;
  for (const m of chain) {
    const rule = STORE_THROUGH[m.op as CatalogueOp];
    if (!rule) throw new Error(`internal: cannot store through ${m.op}`);
    if ('keepsFlat' in rule) {
      flat ??= ravel(cur!, shape);
      cur = undefined;
    } else {
      cur ??= unravel(flat!, shape);
      flat = undefined;
      cur = rule.index(m, cur);
    }
    shape = m.type.shape;
  }
  return flat ?? ravel(cur!, shape);
}

/** Row-major flat offset of an index into a dense tensor of the given shape. */
export function ravel(idx: Index, shape: Shape): string {
  const strides = stridesOf(shape);
  return affine(idx.map((e, i) => [e, shape[i] === 1 ? 0 : strides[i]!] as const));
}

/** The index of an operand read by broadcasting: right-aligned, size-1 dimensions pinned to 0. */
export function broadcastIndex(idx: Index, operand: Shape): Index {
  const lead = idx.length - operand.length;
  return operand.map((d, i) => (d === 1 ? '0' : idx[i + lead]!));
}

/** Splits a flat counter into the index of a shape (div/mod by constants). */
export function unravel(flat: string, shape: Shape): Index {
  const strides = stridesOf(shape);
  return shape.map((d, i) => {
    if (d === 1) return '0';
    const q = strides[i] === 1 ? flat : `(${flat} / ${strides[i]})`;
    return i === 0 ? q : `(${q} % ${d})`;
  });
}

/**
 * The index into shape `to` of element `idx` of a reshape of it to `from`. The axes are matched in
 * groups of equal extent ([1024, 768] against [8, 128, 12, 64] is 1024 = 8 x 128 and 768 = 12 x 64),
 * and only a group that splits or merges axes goes through div/mod, within itself. Going through the
 * whole flat offset instead would put a division by every stride of `to` in the inner loop: it held
 * the head-merging copies of the backward to a tenth of the memory bandwidth.
 */
export function reshapeIndex(idx: Index, from: Shape, to: Shape): Index {
  if (from.includes(0) || to.includes(0)) return unravel(ravel(idx, from), to);
  const out: string[] = [];
  let i = 0;
  for (let j = 0; j < to.length; ) {
    const [gi, gj] = [i, j];
    let [pi, pj] = [from[i++] ?? 1, to[j++]!];
    while (pi !== pj) {
      if (i >= from.length && j >= to.length) throw new Error(`internal: reshape of [${to}] to [${from}] changes the element count`);
      if (pi < pj ? i < from.length : j >= to.length) pi *= from[i++]!;
      else pj *= to[j++]!;
    }
    const [sub, subFrom, subTo] = [idx.slice(gi, i), from.slice(gi, i), to.slice(gj, j)];
    out.push(...(subFrom.length === 1 && subTo.length === 1 ? sub : unravel(ravel(sub, subFrom), subTo)));
  }
  return out;
}

/** The offset of an index into a strided layout. */
export function layoutOffset(l: Layout, idx: Index): string {
  return affine(idx.map((e, i) => [e, l.shape[i] === 1 ? 0 : l.strides[i]!] as const), l.offset);
}

/**
 * The buffer and strided layout through which `n` is read: `n` itself, or the buffer under a chain
 * of views (movement ops folded into the reader's indexing).
 */
export function viewLayout(n: Node, views: ReadonlySet<Node>): { buffer: Node; layout: Layout } {
  if (!views.has(n)) return { buffer: n, layout: contiguous(n.type.shape) };
  const inner = viewLayout(n.srcs[0]!, views);
  const layout = applyMovement(inner.layout, n);
  if (!layout) throw new Error(`internal: view ${n.op} #${n.id} is not strided`);
  return { buffer: inner.buffer, layout };
}

/** Maps an index of a movement op's result to one of its operand, or back. */
export type IndexRule = (n: Node, idx: Index) => Index;

function transposeSourceIndex(n: Node, idx: Index): Index {
  const perm = n.attr<readonly number[]>('perm');
  const out = new Array<string>(perm.length);
  perm.forEach((p, i) => (out[p] = idx[i]!));
  return out;
}

function sliceSourceIndex(n: Node, idx: Index): Index {
  const src = n.srcs[0]!.type.shape;
  const axis = normalizeAxis(n.attr<number>('axis'), src.length)!;
  const [start] = sliceBounds(src[axis]!, n.attr<number>('start'), n.attr<number>('end'));
  return idx.map((e, i) => (i === axis ? affine([[e, 1]], start) : e));
}

/**
 * For each movement op readable as a view (`opDef(op).view`), the index of its operand that holds
 * element `idx` of its result: the same mapping as its view rule's layout, written so that the
 * generated index stays readable (a transpose permutes, a reshape goes through the flat offset).
 */
export const SOURCE_INDEX: Readonly<Partial<Record<CatalogueOp, IndexRule>>> = {
  transpose: transposeSourceIndex,
  reshape: (n, idx) => reshapeIndex(idx, n.type.shape, n.srcs[0]!.type.shape),
  slice: sliceSourceIndex,
  expand: (n, idx) => broadcastIndex(idx, n.srcs[0]!.type.shape),
};

/** How a producer stores through a relabelling op: a reshape keeps the flat offset, a transpose permutes the index. */
export type StoreRule = { readonly keepsFlat: true } | { readonly index: IndexRule };

/** For each movement op whose view is a relabelling (`view.kind === 'relabel'`), how a store goes through it. */
export const STORE_THROUGH: Readonly<Partial<Record<CatalogueOp, StoreRule>>> = {
  reshape: { keepsFlat: true },
  transpose: { index: (n, idx) => n.attr<readonly number[]>('perm').map((p) => idx[p]!) },
};

/** The index of a viewable movement op's operand that holds element `idx` of its result. */
export function movementSourceIndex(n: Node, idx: Index): Index {
  const rule = SOURCE_INDEX[n.op as CatalogueOp];
  if (!rule) throw new Error(`internal: ${n.op} is not a single-operand movement op`);
  return rule(n, idx);
}

/**
 * One operand of a GEMM as generated code reads it: its buffer and layout, and the strides of its
 * rows and columns as the product sees them (swapped when the matmul transposes the operand).
 */
export interface GemmOperand {
  readonly buffer: Node;
  readonly layout: Layout;
  readonly rowStride: number;
  readonly colStride: number;
}

/** A matmul's sizes and its two operands read through views; batch dimensions lead the output. */
export interface GemmAccess {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly batchShape: Shape;
  readonly a: GemmOperand;
  readonly b: GemmOperand;
}

export function gemmAccess(mm: Node, views: ReadonlySet<Node>): GemmAccess {
  const [A, B] = mm.srcs as [Node, Node];
  const ta = mm.attr<boolean>('transpose_a');
  const operand = (n: Node, transposed: boolean): GemmOperand => {
    const { buffer, layout } = viewLayout(n, views);
    const s = layout.strides;
    const [rows, cols] = [s[s.length - 2]!, s[s.length - 1]!];
    return transposed ? { buffer, layout, rowStride: cols, colStride: rows } : { buffer, layout, rowStride: rows, colStride: cols };
  };
  const out = mm.type.shape;
  const ash = A.type.shape;
  return {
    M: out[out.length - 2]!,
    N: out[out.length - 1]!,
    K: ta ? ash[ash.length - 2]! : ash[ash.length - 1]!,
    batchShape: out.slice(0, -2),
    a: operand(A, ta),
    b: operand(B, mm.attr<boolean>('transpose_b')),
  };
}

/**
 * The offset of batch `bi` (an index over the output's batch dimensions) into a GEMM operand: the
 * operand's batch dimensions line up with the trailing ones of `bi`, and a size-1 one is broadcast.
 */
export function gemmBatchOffset(op: GemmOperand, bi: Index): string {
  const l = op.layout;
  const lead = bi.length - (l.shape.length - 2);
  return affine(l.shape.slice(0, -2).map((d, i) => [d === 1 ? '0' : bi[i + lead]!, l.strides[i]!] as const), l.offset);
}

/**
 * A fused attention kernel as both backends walk it: its ops by role, Q·Kᵀ's and P·V's operands
 * through their strides, and the sizes (query rows Sq, keys Sk, head D, value head Dv).
 */
export function attentionAccess(ops: readonly Node[], views: ReadonlySet<Node>) {
  const parts = attentionParts(ops);
  if (!parts) throw new Error('internal: an attention kernel whose ops are not one attention');
  const qk = gemmAccess(parts.scores, views);
  const pv = gemmAccess(parts.context, views);
  return { ...parts, qk, pv, Sq: qk.M, Sk: qk.N, D: qk.K, Dv: pv.N };
}
