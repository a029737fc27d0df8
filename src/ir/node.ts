import { formatSpan, type Span } from '../diag/span.js';
import type { OpName } from './ops.js';
import { formatType, type TensorType } from './types.js';

export type AttrValue = number | boolean | string | readonly number[];
export type Attrs = Readonly<Record<string, AttrValue>>;

/**
 * Where a node came from when that is not (only) a place in an IR file: a node of an imported ONNX
 * graph, or a node a pass made in place of another (the fused or rewritten form of node `from`).
 */
export type Origin =
  | { readonly kind: 'onnx'; readonly node: string }
  | { readonly kind: 'derived'; readonly from: number; readonly pass: string };

/** Where a node came from: its source span, the layer instance it belongs to, and a name hint. */
export interface Meta {
  readonly span?: Span;
  /** Dotted path of the layer instance, e.g. `encoder.layer.3.attention.self`; empty at top level. */
  readonly scope: string;
  /** The source-level name the value was bound to, used by the printer; empty when anonymous. */
  readonly hint: string;
  readonly origin?: Origin;
  /**
   * Set on the nodes autodiff's rules make, the backward pass: `gradient` on those that read a
   * gradient (directly or not), `recompute` on those computed from forward values only (layernorm's
   * row statistics, GELU's derivative at the forward input, a recompute pass's copies). The
   * difference decides what the forward must keep for the backward (src/kernel/saved.ts).
   */
  readonly backward?: 'gradient' | 'recompute';
}

/**
 * A node's origin as reports, plans and source maps show it: its IR span when it has one (a node a
 * pass derived from a spanned node keeps that span), else its ONNX node or what it was derived from.
 */
export function describeOrigin(m: Meta): string {
  if (m.span) return formatSpan(m.span);
  switch (m.origin?.kind) {
    case 'onnx':
      return `onnx node '${m.origin.node}'`;
    case 'derived':
      return `derived from node ${m.origin.from} by ${m.origin.pass}`;
    default:
      return '';
  }
}

/** The distinct origins of some nodes: spans in source order first, then the others in node order. */
export function describeOrigins(nodes: readonly Node[]): string[] {
  const spanned = nodes.flatMap((n) => (n.meta.span ? [n.meta.span] : [])).sort((x, y) => x.line - y.line || x.col - y.col);
  const others = nodes.filter((n) => !n.meta.span).map((n) => describeOrigin(n.meta)).filter(Boolean);
  return [...new Set([...spanned.map(formatSpan), ...others])];
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

function originKey(o: Origin | undefined): string {
  if (!o) return '';
  return o.kind === 'onnx' ? `onnx:${JSON.stringify(o.node)}` : `derived:${o.from}:${o.pass}`;
}

function metaKey(m: Meta): string {
  const s = m.span;
  return `${m.scope}|${m.hint}|${s ? `${s.file}:${s.line}:${s.col}:${s.endLine}:${s.endCol}` : ''}|${originKey(m.origin)}${m.backward ? `|${m.backward}` : ''}`;
}

function freezeAttrs(attrs: Attrs): Attrs {
  const out: Record<string, AttrValue> = {};
  for (const k of Object.keys(attrs).sort()) {
    const v = attrs[k]!;
    out[k] = Array.isArray(v) ? Object.freeze([...v]) : v;
  }
  return Object.freeze(out);
}

function freezeMeta(m: Meta): Meta {
  return Object.freeze(m.origin ? { ...m, origin: Object.freeze({ ...m.origin }) } : { ...m });
}

/**
 * Owns the intern table of one compilation; nothing is shared between contexts. Nodes are made
 * through a GraphBuilder (builder.ts), which fills attribute defaults and infers types before it
 * interns; test/builder.test.ts checks that nothing else calls `intern`.
 */
export class IrContext {
  private readonly table = new Map<string, Node>();
  private readonly order: Node[] = [];
  private nextId = 0;

  /** Every node made in this context, in creation order (which is topological). */
  get created(): readonly Node[] {
    return this.order;
  }

  intern(op: OpName, type: TensorType, srcs: readonly Node[], attrs: Attrs, meta: Meta): Node {
    const structuralKey = `${op}:${formatType(type)}(${srcs.map((s) => s.id).join(',')}){${attrsKey(attrs)}}`;
    const key = `${structuralKey}@${metaKey(meta)}`;
    const hit = this.table.get(key);
    if (hit) return hit;
    const n = new Node(this.nextId++, op, type, Object.freeze([...srcs]), freezeAttrs(attrs), freezeMeta(meta), structuralKey);
    this.table.set(key, n);
    this.order.push(n);
    return n;
  }

  get size(): number {
    return this.table.size;
  }
}
