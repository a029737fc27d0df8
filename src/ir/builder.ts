import type { DType } from './dtype.js';
import { IrContext, type Attrs, type AttrValue, type Meta, type Node } from './node.js';
import { describeArity, opDef, type InferResult, type OpDef, type OpName } from './ops.js';
import { formatType, tensorType, typeEquals, type TensorType } from './types.js';

/** Why an op cannot be built over these operands, as the op's type rule says it. */
export type BuildError = Extract<InferResult, { error: unknown }>['error'];

export type BuildResult = { readonly node: Node } | { readonly error: BuildError };

/** `attrs` with every attribute the catalogue gives a default for and `attrs` leaves out. */
export function withDefaults(def: OpDef, attrs: Attrs): Record<string, AttrValue> {
  const full: Record<string, AttrValue> = { ...attrs };
  for (const [k, spec] of Object.entries(def.attrs)) if (!(k in full) && spec.default !== undefined) full[k] = spec.default;
  return full;
}

/** The provenance of a node a pass makes in place of `from`: `from`'s, marked as derived by `pass`. */
export function derivedMeta(meta: Meta, from: Node, pass: string): Meta {
  return { ...meta, origin: { kind: 'derived', from: from.id, pass } };
}

/**
 * The one way nodes are made: the front end, the passes and anything else that builds a graph
 * (an importer, autodiff) name an op, its operands, attributes and provenance, and the builder fills
 * attribute defaults from the op catalogue and infers the type with the op's rule before interning.
 * Sources (inputs, weights, constants) have declared types and their own methods.
 */
export class GraphBuilder {
  constructor(readonly ctx: IrContext = new IrContext()) {}

  /** Every node built in this context, in creation order (which is topological). */
  get created(): readonly Node[] {
    return this.ctx.created;
  }

  /** The node, or the type rule's complaint for whoever reads the program to report. */
  tryOp(op: OpName, srcs: readonly Node[], attrs: Attrs, meta: Meta): BuildResult {
    const def = opDef(op);
    const [lo, hi] = def.arity;
    if (srcs.length < lo || srcs.length > hi) throw new Error(`internal: '${op}' takes ${describeArity(def)}, built with ${srcs.length}`);
    if (def.group === 'source' && op !== 'iota') throw new Error(`internal: '${op}' has a declared type; build it with its own method`);
    const full = withDefaults(def, attrs);
    const missing = Object.keys(def.attrs).find((k) => !(k in full));
    if (missing !== undefined) return { error: { code: 'E0014', detail: 'is required', attr: missing } };
    const r = def.infer(srcs.map((s) => s.type), full, op);
    if ('error' in r) return r;
    return { node: this.ctx.intern(op, r.type, srcs, full, meta) };
  }

  /** The node; operands it cannot be built over are a bug of the caller (a pass), not of the program. */
  op(op: OpName, srcs: readonly Node[], attrs: Attrs, meta: Meta): Node {
    const r = this.tryOp(op, srcs, attrs, meta);
    if ('error' in r) throw new Error(`internal: built an invalid '${op}' over ${srcs.map((s) => formatType(s.type)).join(', ') || 'nothing'}: ${r.error.attr ? `'${r.error.attr}' ` : ''}${r.error.detail}`);
    return r.node;
  }

  /** A model input; `range` is its declared `in lo .. hi`, checked on the host before a run. */
  input(name: string, type: TensorType, meta: Meta, range: readonly number[] = []): Node {
    return this.ctx.intern('input', type, [], { name, range }, meta);
  }

  /** A weight, bound by its state-dict name. */
  param(name: string, type: TensorType, meta: Meta): Node {
    return this.ctx.intern('param', type, [], { name }, meta);
  }

  /** A scalar constant of a dtype. */
  constant(value: number, dtype: DType, meta: Meta): Node {
    return this.ctx.intern('const', tensorType(dtype, []), [], { value }, meta);
  }

  /**
   * `n` over new operands, with its op, attributes and provenance; `n` itself when they are its own.
   * Operands of other types give the type the op's rule infers for them.
   */
  rebuild(n: Node, srcs: readonly Node[]): Node {
    const sameTypes = srcs.length === n.srcs.length && srcs.every((s, i) => typeEquals(s.type, n.srcs[i]!.type));
    if (sameTypes) return this.ctx.intern(n.op, n.type, srcs, n.attrs, n.meta);
    return this.op(n.op, srcs, n.attrs, n.meta);
  }
}
