import type { Span } from '../diag/span.js';
import type { OpName } from './ops.js';
import { formatType, type TensorType } from './types.js';

export type AttrValue = number | boolean | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Where a node came from: its source span, the layer instance it belongs to, and a name hint. */
export interface Meta {
  readonly span?: Span;
  /** Dotted path of the layer instance, e.g. `encoder.layer.3.attention.self`; empty at top level. */
  readonly scope: string;
  /** The source-level name the value was bound to, used by the printer; empty when anonymous. */
  readonly hint: string;
}

/**
 * An immutable IR node. Nodes are interned by their IrContext: two structurally equal nodes
 * (op, type, sources, attributes and provenance) are the same object, so a rewrite that changes
 * nothing returns the very node it was given and "did this pass change anything" is `===`.
 */
export class Node {
  constructor(
    readonly id: number,
    readonly op: OpName,
    readonly type: TensorType,
    readonly srcs: readonly Node[],
    readonly attrs: Attrs,
    readonly meta: Meta,
    /** The interning key without provenance: equal keys compute the same value (CSE uses it). */
    readonly structuralKey: string,
  ) {}

  attr<T extends AttrValue>(name: string): T {
    return this.attrs[name] as T;
  }
}

/** Unlike JSON, keeps inf, -inf, nan and -0 apart. */
export function attrText(v: AttrValue): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (Array.isArray(v)) return `[${v.map((x) => attrText(x)).join(',')}]`;
  return JSON.stringify(v);
}

function attrsKey(attrs: Attrs): string {
  return Object.keys(attrs)
    .sort()
    .map((k) => `${k}=${attrText(attrs[k]!)}`)
    .join(',');
}

function metaKey(m: Meta): string {
  const s = m.span;
  return `${m.scope}|${m.hint}|${s ? `${s.file}:${s.line}:${s.col}:${s.endLine}:${s.endCol}` : ''}`;
}

function freezeAttrs(attrs: Attrs): Attrs {
  const out: Record<string, AttrValue> = {};
  for (const k of Object.keys(attrs).sort()) {
    const v = attrs[k]!;
    out[k] = Array.isArray(v) ? Object.freeze([...v]) : v;
  }
  return Object.freeze(out);
}

/** Owns the intern table of one compilation; nothing is shared between contexts. */
export class IrContext {
  private readonly table = new Map<string, Node>();
  private readonly order: Node[] = [];
  private nextId = 0;

  /** Every node made in this context, in creation order (which is topological). */
  get created(): readonly Node[] {
    return this.order;
  }

  node(op: OpName, type: TensorType, srcs: readonly Node[], attrs: Attrs, meta: Meta): Node {
    const structuralKey = `${op}:${formatType(type)}(${srcs.map((s) => s.id).join(',')}){${attrsKey(attrs)}}`;
    const key = `${structuralKey}@${metaKey(meta)}`;
    const hit = this.table.get(key);
    if (hit) return hit;
    const n = new Node(this.nextId++, op, type, Object.freeze([...srcs]), freezeAttrs(attrs), Object.freeze({ ...meta }), structuralKey);
    this.table.set(key, n);
    this.order.push(n);
    return n;
  }

  /** The node with some fields changed; `n` itself when nothing changed. */
  replace(n: Node, changes: { srcs?: readonly Node[]; attrs?: Attrs; type?: TensorType; meta?: Meta; op?: OpName }): Node {
    return this.node(changes.op ?? n.op, changes.type ?? n.type, changes.srcs ?? n.srcs, changes.attrs ?? n.attrs, changes.meta ?? n.meta);
  }

  get size(): number {
    return this.table.size;
  }
}
