import type { Node } from '../../src/ir/node.js';
import { normalizeAxis } from '../../src/ir/shape.js';
import { isMovement, isMatmul, isRowReduction } from '../../src/kernel/classify.js';
import type { Kernel } from '../../src/kernel/kernels.js';
import { affine, broadcastIndex, layoutOffset, movementSourceIndex, ravel, storeOffset, viewLayout, type Index } from './indexing.js';
import type { CLikeRenderer } from './renderer.js';

/** What element expressions need to know about the kernel's surroundings. */
export interface ValueEnv {
  readonly r: CLikeRenderer;
  readonly views: ReadonlySet<Node>;
  readonly train: boolean;
  /** The expression of a materialised buffer's base (a C pointer, a WGSL storage array). */
  readonly ptr: (n: Node) => string;
}

/** Where a member's value lives while a kernel runs: a per-row array, or a scalar. */
export type Local = { readonly name: string; readonly array: boolean };

/**
 * The value of any node at any element, as an expression: the part of kernel generation every
 * backend shares. Everything is computed per element of an iteration space through
 * `value(n, idx)`, which knows where each value lives: a local of this kernel, a constant, or a
 * buffer read through its (possibly strided) layout.
 */
export class ElementValues {
  protected readonly members: ReadonlySet<Node>;
  readonly locals = new Map<Node, Local>();
  /** The loop's index, broadcast per node: a member evaluated at it is read from its local. */
  iteration: Index = [];
  usesStatus = false;
  usesSeed = false;

  constructor(readonly k: Kernel, readonly env: ValueEnv) {
    this.members = new Set(k.ops);
  }

  local(n: Node): string {
    return `t${n.id}`;
  }

  private atIteration(n: Node, idx: Index): boolean {
    const b = broadcastIndex(this.iteration, n.type.shape);
    return b.length === idx.length && b.every((e, i) => e === idx[i]);
  }

  /** The C expression for element `idx` of node `n`. */
  value(n: Node, idx: Index): string {
    const r = this.env.r;
    if (n.op === 'const') return r.literal(n.attr<number>('value'), n.type.dtype);
    if (n.op === 'iota') return r.cast(idx[normalizeAxis(n.attr<number>('axis'), n.type.shape.length)!]!, 'i64', n.type.dtype);
    const l = this.locals.get(n);
    if (l && this.atIteration(n, idx)) return l.array ? `${l.name}[j]` : l.name;
    if (this.members.has(n) || this.env.views.has(n)) {
      if (n.op === 'concat') return this.concatValue(n, idx);
      if (isMovement(n)) return this.value(n.srcs[0]!, movementSourceIndex(n, idx));
      if (n.op === 'gather') return this.gatherValue(n, idx);
      if (n.op === 'dropout') return this.dropoutValue(n, idx);
      if (isRowReduction(n) || isMatmul(n)) throw new Error(`internal: ${this.k.name} reads ${n.op} #${n.id} away from its own row`);
      return r.op(n, n.srcs.map((s) => this.value(s, broadcastIndex(idx, s.type.shape))));
    }
    const { buffer, layout } = viewLayout(n, this.env.views);
    return `${this.env.ptr(buffer)}[${layoutOffset(layout, idx)}]`;
  }

  private concatValue(n: Node, idx: Index): string {
    const axis = normalizeAxis(n.attr<number>('axis'), n.type.shape.length)!;
    let start = 0;
    const parts = n.srcs.map((s) => {
      const at = start;
      start += s.type.shape[axis]!;
      return { s, at, end: start };
    });
    return parts.reduceRight((acc, p, i) => {
      const v = this.value(p.s, idx.map((e, d) => (d === axis ? affine([[e, 1]], -p.at) : e)));
      return i === parts.length - 1 ? v : this.env.r.select(`${idx[axis]} < ${p.end}`, v, acc);
    }, '');
  }

  private gatherValue(n: Node, idx: Index): string {
    const [table, indices] = n.srcs as [Node, Node];
    const axis = normalizeAxis(n.attr<number>('axis'), table.type.shape.length)!;
    const rank = indices.type.shape.length;
    const row = this.value(indices, idx.slice(axis, axis + rank));
    this.usesStatus = true;
    const checked = this.env.r.checkedIndex(row, table.type.shape[axis]!);
    return this.value(table, [...idx.slice(0, axis), checked, ...idx.slice(axis + rank)]);
  }

  private dropoutValue(n: Node, idx: Index): string {
    const x = this.value(n.srcs[0]!, broadcastIndex(idx, n.srcs[0]!.type.shape));
    if (!this.env.train) return x;
    this.usesSeed = true;
    return this.env.r.dropout(n, ravel(idx, n.type.shape), x);
  }

  /** The expression computing an op from its operands (not from its own local). */
  valueOfOp(n: Node, idx: Index): string {
    if (n.op === 'gather') return this.gatherValue(n, idx);
    if (n.op === 'dropout') return this.dropoutValue(n, idx);
    return this.env.r.op(n, n.srcs.map((s) => this.value(s, broadcastIndex(idx, s.type.shape))));
  }

  setIteration(idx: Index): void {
    this.iteration = idx;
  }

  /**
   * The value a result is made of: the result itself, or, for a result stored through movement ops
   * (a producer writing a permuted layout), the value under that chain; and the chain.
   */
  stored(o: Node): { v: Node; chain: Node[] } {
    const chain: Node[] = [];
    let v = o;
    while (this.members.has(v) && isMovement(v) && this.members.has(v.srcs[0]!)) {
      chain.push(v);
      v = v.srcs[0]!;
    }
    return { v, chain };
  }

  /** Whether a result is stored element by element along the row (or once per row). */
  storedAlongRow(o: Node, rowVaries: (s: readonly number[]) => boolean): boolean {
    const { v } = this.stored(o);
    const l = this.locals.get(v);
    return l ? l.array : rowVaries(v.type.shape) || isMovement(v);
  }


  /** The statement storing output `o` at the iteration point (through its movement chain, if any). */
  storeStatement(o: Node): string {
    const { v, chain } = this.stored(o);
    if (isMovement(v) && this.members.has(v)) {
      // A copy kernel: the iteration runs over the result itself and pulls through the ops.
      const at = broadcastIndex(this.iteration, o.type.shape);
      return `${this.env.ptr(o)}[${ravel(at, o.type.shape)}] = ${this.value(o, at)};`;
    }
    const idx = broadcastIndex(this.iteration, v.type.shape);
    return `${this.env.ptr(o)}[${storeOffset(v, [...chain].reverse(), idx)}] = ${this.value(v, idx)};`;
  }
}
