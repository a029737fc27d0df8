import { formatSpan } from '../diag/span.js';
import type { Graph } from './graph.js';
import type { AttrValue, Node } from './node.js';
import { opDef } from './ops.js';
import { formatType } from './types.js';

export interface PrintOptions {
  /** A comment line at the top, e.g. how the graph was produced. */
  readonly header?: string;
  /** Trailing `// scope (file:line:col)` comments with each op's provenance. */
  readonly locations?: boolean;
}

const RESERVED = new Set(['true', 'false', 'inf', 'nan', 'config', 'const', 'assert', 'layer', 'model', 'param', 'for', 'in', 'tap', 'return']);

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
function printedAttrs(n: Node): string[] {
  const def = opDef(n.op);
  const out: string[] = [];
  for (const [k, spec] of Object.entries(def.attrs)) {
    const v = n.attrs[k]!;
    const isDefault = spec.default !== undefined && JSON.stringify(spec.default) === JSON.stringify(v);
    if (!isDefault || (n.op === 'dropout' && k === 'id')) out.push(`${k}=${formatAttr(v)}`);
  }
  return out;
}

/**
 * Prints a graph as IR source: one `model` whose body is the flattened SSA form. The output parses
 * back to a structurally identical graph (test/roundtrip.test.ts).
 */
export function printGraph(g: Graph, opts: PrintOptions = {}): string {
  const nodes = g.body;
  const namer = new Namer(g.inputs.map((n) => n.attr<string>('name')));
  const lines: string[] = [];
  if (opts.header) lines.push(...opts.header.split('\n').map((l) => `// ${l}`));
  const ins = g.inputs.map((n) => `${n.attr<string>('name')}: ${formatType(n.type)}`);
  for (const n of g.inputs) namer.fix(n, n.attr<string>('name'));
  const outs = g.outputs.map((o) => `${o.name}: ${formatType(o.node.type)}`);
  lines.push(`model ${g.name}(${ins.join(', ')}) -> (${outs.join(', ')}) {`);
  for (const n of nodes) {
    if (n.op === 'input') continue;
    const loc = opts.locations && n.meta.span ? `  // ${n.meta.scope ? `${n.meta.scope} ` : ''}(${formatSpan(n.meta.span)})` : '';
    if (n.op === 'param') {
      const hf = n.attr<string>('name');
      lines.push(`  param ${namer.assign(n, hf)}: ${formatType(n.type)} = ${JSON.stringify(hf)};`);
      continue;
    }
    if (n.op === 'const') {
      lines.push(`  ${namer.assign(n, n.meta.hint || 'c')}: ${formatType(n.type)} = ${formatNumber(n.attr<number>('value'))};${loc}`);
      continue;
    }
    const args = [...n.srcs.map((s) => namer.get(s)), ...printedAttrs(n)];
    lines.push(`  ${namer.assign(n, n.meta.hint || 'v')}: ${formatType(n.type)} = ${n.op}(${args.join(', ')});${loc}`);
  }
  for (const t of g.taps) lines.push(`  tap ${JSON.stringify(t.name)} = ${namer.get(t.node)};`);
  lines.push(`  return ${g.outputs.map((o) => namer.get(o.node)).join(', ')};`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/**
 * A canonical text of the graph's structure without names or provenance: two graphs compute the
 * same thing in the same way exactly when their canonical texts are equal.
 */
export function canonicalForm(g: Graph): string {
  const nodes = g.body;
  const index = new Map<Node, number>();
  const lines = nodes.map((n, i) => {
    index.set(n, i);
    const attrs = Object.keys(n.attrs).sort().map((k) => `${k}=${JSON.stringify(n.attrs[k])}`);
    return `${i}: ${formatType(n.type)} ${n.op}(${n.srcs.map((s) => index.get(s)).join(',')}) {${attrs.join(',')}}`;
  });
  lines.push(`outputs ${g.outputs.map((o) => `${o.name}=${index.get(o.node)}`).join(' ')}`);
  lines.push(`taps ${g.taps.map((o) => `${o.name}=${index.get(o.node)}`).join(' ')}`);
  return lines.join('\n');
}
