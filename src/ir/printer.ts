import type { Graph } from './graph.js';
import { attrText, describeOrigin, type AttrValue, type Node } from './node.js';
import { graphNodes } from './graph.js';
import { opDef } from './ops.js';
import { formatType } from './types.js';
import { declaredRange, formatRange } from './inputRanges.js';

export interface PrintOptions {
  /** A comment line at the top, e.g. how the graph was produced. */
  readonly header?: string;
  /** Trailing `// scope (file:line:col)` comments with each op's provenance. */
  readonly locations?: boolean;
  /**
   * Spellings of a node's type and of its shape-valued attributes other than the numbers, e.g.
   * `f32[batch, seq, 128]` and `shape=[batch, seq, 2, 64]` over the config constants an importer
   * declares for dynamic axes; undefined keeps the numbers.
   */
  readonly spell?: {
    readonly type?: (n: Node) => string | undefined;
    readonly attr?: (n: Node, name: string) => string | undefined;
  };
  /** Names values may not take (config constants printed beside the model). */
  readonly reserved?: readonly string[];
}

const RESERVED = new Set(['true', 'false', 'inf', 'nan', 'config', 'const', 'assert', 'layer', 'model', 'param', 'for', 'in', 'tap', 'return', 'kernel', 'loss']);

/** Names values uniquely from their source-level hints. */
class Namer {
  private readonly used = new Set<string>();
  private readonly names = new Map<Node, string>();

  constructor(reserved: Iterable<string>) {
    for (const r of reserved) this.used.add(r);
  }

  /** Inputs keep their names: they are the model's interface. */
  fix(n: Node, name: string): void {
    this.names.set(n, name);
  }

  assign(n: Node, wanted: string): string {
    let base = wanted.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(base)) base = `_${base}`;
    if (RESERVED.has(base)) base = `${base}_`;
    let name = base;
    for (let k = 1; this.used.has(name); k++) name = `${base}_${k}`;
    this.used.add(name);
    this.names.set(n, name);
    return name;
  }

  get(n: Node): string {
    const s = this.names.get(n);
    if (s === undefined) throw new Error(`internal: printing node #${n.id} before its definition`);
    return s;
  }
}

export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  const s = String(v);
  return s;
}

function formatAttr(v: AttrValue): string {
  if (Array.isArray(v)) return `[${v.map(formatNumber).join(', ')}]`;
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return String(v);
  return /^(f32|f16|bf16|i32|i64|bool)$/.test(v as string) ? (v as string) : JSON.stringify(v);
}

/** Attributes that differ from their defaults, in declaration order; dropout's identity always. */
function printedAttrs(n: Node, spell?: PrintOptions['spell']): string[] {
  const def = opDef(n.op);
  const out: string[] = [];
  for (const [k, spec] of Object.entries(def.attrs)) {
    const v = n.attrs[k]!;
    const isDefault = spec.default !== undefined && JSON.stringify(spec.default) === JSON.stringify(v);
    if (!isDefault || (n.op === 'dropout' && k === 'id')) out.push(`${k}=${spell?.attr?.(n, k) ?? formatAttr(v)}`);
  }
  return out;
}

/**
 * Writes a model's text: the signature, one statement per node (in the order the caller chooses,
 * which must define values before their uses), taps and the return. The graph printer and the
 * kernel-plan printer both drive it.
 */
export class ModelWriter {
  private readonly namer: Namer;
  readonly lines: string[] = [];

  constructor(readonly g: Graph, private readonly opts: PrintOptions) {
    const plain = (name: string) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !RESERVED.has(name);
    this.namer = new Namer([...g.inputs.map((n) => n.attr<string>('name')).filter(plain), ...(opts.reserved ?? [])]);
    if (opts.header) this.lines.push(...opts.header.split('\n').map((l) => `// ${l}`));
    // A name that is not an identifier (`loss.R`, `grad.<weight>`) is spelled `id: type = "name"`.
    const ins = g.inputs.map((n) => {
      const name = n.attr<string>('name');
      const id = plain(name) ? name : this.namer.assign(n, name);
      if (plain(name)) this.namer.fix(n, name);
      return `${id}: ${this.typeOf(n)}${formatRange(declaredRange(n))}${id === name ? '' : ` = ${JSON.stringify(name)}`}`;
    });
    const results = new Namer(g.outputs.map((o) => o.name).filter(plain));
    const outs = g.outputs.map((o) => (plain(o.name) ? `${o.name}: ${this.typeOf(o.node)}` : `${results.assign(o.node, o.name)}: ${this.typeOf(o.node)} = ${JSON.stringify(o.name)}`));
    this.lines.push(`model ${g.name}(${ins.join(', ')}) -> (${outs.join(', ')}) {`);
  }

  private typeOf(n: Node): string {
    return this.opts.spell?.type?.(n) ?? formatType(n.type);
  }

  /** The statement defining `n`, at the given indentation. */
  node(n: Node, indent = '  '): void {
    if (n.op === 'input') return;
    const origin = this.opts.locations ? describeOrigin(n.meta) : '';
    const loc = origin ? `  // ${n.meta.scope ? `${n.meta.scope} ` : ''}(${origin})` : '';
    if (n.op === 'param') {
      const hf = n.attr<string>('name');
      this.lines.push(`${indent}param ${this.namer.assign(n, hf)}: ${this.typeOf(n)} = ${JSON.stringify(hf)};`);
    } else if (n.op === 'const') {
      this.lines.push(`${indent}${this.namer.assign(n, n.meta.hint || 'c')}: ${this.typeOf(n)} = ${this.opts.spell?.attr?.(n, 'value') ?? formatNumber(n.attr<number>('value'))};${loc}`);
    } else {
      const args = [...n.srcs.map((s) => this.namer.get(s)), ...printedAttrs(n, this.opts.spell)];
      this.lines.push(`${indent}${this.namer.assign(n, n.meta.hint || 'v')}: ${this.typeOf(n)} = ${n.op}(${args.join(', ')});${loc}`);
    }
  }

  line(text: string): void {
    this.lines.push(text);
  }

  finish(): string {
    for (const t of this.g.taps) this.lines.push(`  tap ${JSON.stringify(t.name)} = ${this.namer.get(t.node)};`);
    this.lines.push(`  return ${this.g.outputs.map((o) => this.namer.get(o.node)).join(', ')};`);
    this.lines.push('}');
    return `${this.lines.join('\n')}\n`;
  }
}

/**
 * Prints a graph as IR source: one `model` whose body is the flattened SSA form. The output parses
 * back to a structurally identical graph (test/roundtrip.test.ts).
 */
export function printGraph(g: Graph, opts: PrintOptions = {}): string {
  const w = new ModelWriter(g, opts);
  for (const n of g.body) w.node(n);
  return w.finish();
}

/**
 * A canonical text of the graph's structure without names or provenance: two graphs compute the
 * same thing in the same way exactly when their canonical texts are equal.
 */
export function canonicalForm(g: Graph, order: 'body' | 'live' = 'body'): string {
  const nodes = order === 'body' ? g.body : graphNodes(g);
  const index = new Map<Node, number>();
  const lines = nodes.map((n, i) => {
    index.set(n, i);
    const attrs = Object.keys(n.attrs).sort().map((k) => `${k}=${attrText(n.attrs[k]!)}`);
    return `${i}: ${formatType(n.type)} ${n.op}(${n.srcs.map((s) => index.get(s)).join(',')}) {${attrs.join(',')}}`;
  });
  lines.push(`outputs ${g.outputs.map((o) => `${o.name}=${index.get(o.node)}`).join(' ')}`);
  lines.push(`taps ${g.taps.map((o) => `${o.name}=${index.get(o.node)}`).join(' ')}`);
  return lines.join('\n');
}
