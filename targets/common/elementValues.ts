import type { DType } from '../../src/ir/dtype.js';
import { ACC_ATTR, opDef } from '../../src/ir/ops.js';
import { describeOrigin, type Node } from '../../src/ir/node.js';
import { formatType } from '../../src/ir/types.js';
import { normalizeAxis } from '../../src/ir/shape.js';
import { isElementwise, isMovement, isMatmul, isRowReduction, isViewable, reducedAxes } from '../../src/kernel/classify.js';
import type { Kernel } from '../../src/kernel/kernels.js';
import { dropoutOps, kernelParams } from '../../src/kernel/signature.js';
import { isContiguous } from '../../src/kernel/layout.js';
import { affine, broadcastIndex, layoutOffset, movementSourceIndex, ravel, storeOffset, unravel, viewLayout, type Index } from './indexing.js';
import type { CLikeRenderer } from './renderer.js';

/**
 * The dtype a reduction, softmax, layernorm or matmul accumulates in: its `acc` attribute, or the
 * catalogue's default for an op that has none (reduce_max, which sums nothing, compares in it).
 */
export function accumulatorOf(n: Node): DType {
  return (n.attrs['acc'] ?? ACC_ATTR.default) as DType;
}

/**
 * The type a row op (softmax, layernorm) keeps its result row in: the accumulator's compute type,
 * which must be the result's (the renderers compute every float dtype in one type).
 */
export function rowResultType(r: CLikeRenderer, n: Node): string {
  const t = r.type(accumulatorOf(n));
  if (t !== r.type(n.type.dtype)) throw new Error(`internal: ${n.op} #${n.id} accumulates in ${t} but computes its ${n.type.dtype} result in ${r.type(n.type.dtype)}`);
  return t;
}

/** What element expressions need to know about the kernel's surroundings. */
export interface ValueEnv {
  readonly r: CLikeRenderer;
  readonly views: ReadonlySet<Node>;
  readonly train: boolean;
  /**
   * The expression of a materialised buffer's base (a C pointer, a WGSL storage array): in a
   * kernel, its parameter by position (`kernelParams`), so that equal kernels get equal code.
   */
  readonly ptr: (n: Node) => string;
}

/** A kernel's buffers by parameter position (`kernelParams`): `b0`, `b1`, .. */
export function parameterNames(k: Pick<Kernel, 'name' | 'ops' | 'inputs' | 'outputs' | 'views'>): (n: Node) => string {
  const position = new Map(kernelParams(k).map((n, i) => [n, i]));
  return (n) => {
    const i = position.get(n);
    if (i === undefined) throw new Error(`internal: ${k.name} uses ${n.op} #${n.id}, which is not one of its parameters`);
    return `b${i}`;
  };
}

/**
 * The lines of a kernel's header comment (without comment markers): what it computes, the layers
 * and IR lines of its first instance, and the other kernels that share its code.
 */
export function kernelHeader(k: Kernel, instances: readonly Kernel[]): string[] {
  const ops = k.ops.map((n) => `${n.op}${n.meta.hint ? ` '${n.meta.hint}'` : ''}: ${formatType(n.type)}`);
  const lines = [`${k.name} (${k.kind}): ${ops.join(', ')}`];
  const scopes = [...new Set(instances.flatMap((i) => i.scopes).filter(Boolean))];
  lines.push(`layers: ${scopes.join(', ') || 'model'}`);
  if (instances.length > 1) lines.push(`${instances.length} instances: ${instances.map((i) => i.name).join(', ')}`);
  // In op order: a span where the op has one, else what it was imported or derived from.
  lines.push(`IR: ${[...new Set(k.ops.map((n) => describeOrigin(n.meta)).filter(Boolean))].join(' ')}`);
  return lines;
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
  /** Position of each member in the kernel: locals are named by it, so that equal kernels get equal code. */
  private readonly position: ReadonlyMap<Node, number>;
  /** Each dropout's slot: the kernel's n-th dropout draws from the n-th key it is given. */
  private readonly dropoutSlot: ReadonlyMap<Node, number>;
  readonly locals = new Map<Node, Local>();
  /** The loop's index; `here(n)` is a member's index at it, and a member read there comes from its local. */
  iteration: Index = [];
  usesStatus = false;
  usesSeed = false;
  private axisMap: Map<Node, readonly (number | undefined)[]> | undefined;

  constructor(readonly k: Pick<Kernel, 'name' | 'ops'>, readonly env: ValueEnv) {
    this.members = new Set(k.ops);
    this.position = new Map(k.ops.map((n, i) => [n, i]));
    this.dropoutSlot = new Map(dropoutOps(k).map((n, i) => [n, i]));
  }

  local(n: Node): string {
    const i = this.position.get(n);
    if (i === undefined) throw new Error(`internal: ${n.op} #${n.id} has no local in ${this.k.name}`);
    return `t${i}`;
  }

  /**
   * The iteration axis each dimension of `n` runs along (undefined for one with none). Right
   * alignment with the iteration is the rule, as broadcasting is; a reduction without keepdims
   * drops its reduced axes, so what it feeds in the kernel runs along the iteration axes that are
   * left. That is propagated forward through elementwise members and then back to members computed
   * only from buffers (an epilogue term such as `w1 + w2` added to such a reduction).
   */
  axesOf(n: Node): readonly (number | undefined)[] {
    this.axisMap ??= this.mapAxes();
    return this.axisMap.get(n) ?? this.aligned(n.type.shape.length);
  }

  /** Does `n` vary along the row, that is, is one of its dimensions on a row axis larger than 1? */
  variesAlong(n: Node, rowAxes: readonly number[]): boolean {
    return this.axesOf(n).some((a, d) => a !== undefined && rowAxes.includes(a) && n.type.shape[d]! > 1);
  }

  /** The index of `n` at the iteration point. */
  here(n: Node): Index {
    const shape = n.type.shape;
    return this.axesOf(n).map((a, i) => (shape[i] === 1 || a === undefined ? '0' : this.iteration[a]!));
  }

  private aligned(rank: number): (number | undefined)[] {
    const lead = this.iteration.length - rank;
    return Array.from({ length: rank }, (_, i) => (i + lead >= 0 ? i + lead : undefined));
  }

  private mapAxes(): Map<Node, readonly (number | undefined)[]> {
    const map = new Map<Node, readonly (number | undefined)[]>();
    /** The axes of a member operand's dimension `d` of `n`, right-aligned, when it has the same size. */
    const fromOperand = (n: Node, s: Node, d: number) => {
      const j = d - (n.type.shape.length - s.type.shape.length);
      return j >= 0 && map.has(s) && s.type.shape[j] === n.type.shape[d] ? map.get(s)![j] : null;
    };
    for (const n of this.k.ops) {
      if (opDef(n.op).group === 'reduce' && !n.attr<boolean>('keepdims')) {
        const src = map.get(n.srcs[0]!) ?? this.aligned(n.srcs[0]!.type.shape.length);
        const dropped = reducedAxes(n);
        map.set(n, src.filter((_, i) => !dropped.includes(i)));
      } else if (isElementwise(n) || isRowReduction(n)) {
        const sources = isElementwise(n) ? n.srcs : [n.srcs[0]!];
        if (!sources.some((s) => map.has(s))) continue;
        const own = this.aligned(n.type.shape.length);
        map.set(n, own.map((a, d) => sources.map((s) => fromOperand(n, s, d)).find((x) => x !== null) ?? a));
      }
    }
    for (const n of [...this.k.ops].reverse()) {
      if (!map.has(n) || !isElementwise(n)) continue;
      for (const s of n.srcs) {
        if (map.has(s) || !this.members.has(s) || !isElementwise(s)) continue;
        const lead = n.type.shape.length - s.type.shape.length;
        map.set(s, s.type.shape.map((_, j) => map.get(n)![j + lead]));
      }
    }
    return map;
  }

  private atIteration(n: Node, idx: Index): boolean {
    const b = this.here(n);
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
      // Through the view rule's index, or piecewise for the movement op without one (concat, of several operands).
      if (isMovement(n)) return isViewable(n) ? this.value(n.srcs[0]!, movementSourceIndex(n, idx)) : this.concatValue(n, idx);
      if (isRowReduction(n) || isMatmul(n)) throw new Error(`internal: ${this.k.name} reads ${n.op} #${n.id} away from its own row`);
      return this.valueOfOp(n, idx);
    }
    const { buffer, layout } = viewLayout(n, this.env.views);
    return r.loadAt(this.env.ptr(buffer), layoutOffset(layout, idx), n.type.dtype);
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
    return this.env.r.dropout(n, this.dropoutSlot.get(n)!, ravel(idx, n.type.shape), x);
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
  storedAlongRow(o: Node, rowVaries: (n: Node) => boolean): boolean {
    const { v } = this.stored(o);
    const l = this.locals.get(v);
    return l ? l.array : rowVaries(v) || isMovement(v);
  }


  /** The statement storing output `o` at the iteration point (through its movement chain, if any). */
  storeStatement(o: Node): string {
    const { v, chain } = this.stored(o);
    if (isMovement(v) && this.members.has(v)) {
      // A copy kernel: the iteration runs over the result itself and pulls through the ops.
      const at = this.here(o);
      return this.env.r.storeAt(this.env.ptr(o), ravel(at, o.type.shape), this.value(o, at), o.type.dtype);
    }
    const idx = this.here(v);
    return this.env.r.storeAt(this.env.ptr(o), storeOffset(v, [...chain].reverse(), idx), this.value(v, idx), o.type.dtype);
  }
}

/**
 * A model result that no kernel writes: a model input, a weight, an iota or constant, or a view of
 * any of these or of a buffer. `buffer` is what it reads (undefined for an iota or constant), and
 * `contiguous` says whether the result is that buffer's bytes as they are (a plain copy does).
 */
export interface ResultCopy {
  readonly result: Node;
  readonly buffer: Node | undefined;
  readonly contiguous: boolean;
}

export function resultCopies(results: readonly Node[], written: ReadonlySet<Node>, views: ReadonlySet<Node>): ResultCopy[] {
  const out: ResultCopy[] = [];
  for (const n of new Set(results)) {
    if (written.has(n)) continue;
    if (n.op === 'iota' || n.op === 'const') {
      out.push({ result: n, buffer: undefined, contiguous: false });
      continue;
    }
    const { buffer, layout } = viewLayout(n, views);
    if (buffer.op === 'iota' || buffer.op === 'const') out.push({ result: n, buffer: undefined, contiguous: false });
    else out.push({ result: n, buffer, contiguous: isContiguous(layout) });
  }
  return out;
}

/** Element `flat` (a flat counter over the result) of a result copy, read through its views. */
export function resultCopyValue(c: ResultCopy, env: ValueEnv, flat: string): string {
  return new ElementValues({ name: `copy of ${c.result.op} #${c.result.id}`, ops: [] }, env).value(c.result, unravel(flat, c.result.type.shape));
}
