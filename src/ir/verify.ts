import type { Graph } from './graph.js';
import { roots } from './graph.js';
import { describeOrigin, type Node } from './node.js';
import { checkAttrValue, OPS } from './ops.js';
import { formatType, typeEquals } from './types.js';

/**
 * Checks the invariants every stage must keep: known ops, arity, complete and valid attributes,
 * types that agree with the op's type rule, unique input and output names, unique parameter
 * bindings and dropout identities. A failure is a compiler bug, so it throws.
 */
export function verifyGraph(g: Graph, stage = 'graph'): void {
  const problems: string[] = [];
  const where = (n: Node) => {
    const origin = describeOrigin(n.meta);
    return `${n.op} #${n.id}${origin && ` (${origin})`}`;
  };
  const paramTypes = new Map<string, Node>();
  const dropoutIds = new Map<number, Node>();
  const seen = new Set<Node>();
  for (const n of g.body) {
    for (const src of n.srcs) if (!seen.has(src)) problems.push(`${where(n)} reads #${src.id}, which the body does not define before it`);
    seen.add(n);
  }
  for (const r of roots(g)) if (!seen.has(r)) problems.push(`${where(r)} is an input, output or tap but not in the body`);
  for (const n of g.body) {
    const def = OPS.get(n.op);
    if (!def) {
      problems.push(`unknown op '${n.op}'`);
      continue;
    }
    const [lo, hi] = def.arity;
    if (n.srcs.length < lo || n.srcs.length > hi) problems.push(`${where(n)} has ${n.srcs.length} operands`);
    for (const k of Object.keys(n.attrs)) if (!(k in def.attrs)) problems.push(`${where(n)} has unknown attribute '${k}'`);
    for (const [k, spec] of Object.entries(def.attrs)) {
      const v = n.attrs[k];
      if (v === undefined) problems.push(`${where(n)} lacks attribute '${k}'`);
      else if (checkAttrValue(spec, v)) problems.push(`${where(n)}: attribute '${k}' ${checkAttrValue(spec, v)}`);
    }
    if (def.group !== 'source' || n.op === 'iota') {
      const r = def.infer(n.srcs.map((s) => s.type), n.attrs, n.op);
      if ('error' in r) problems.push(`${where(n)}: ${r.error.detail}`);
      else if (!typeEquals(r.type, n.type)) problems.push(`${where(n)} is typed ${formatType(n.type)} but its rule gives ${formatType(r.type)}`);
    }
    if (n.op === 'const' && n.type.shape.length !== 0) problems.push(`${where(n)} is not a scalar`);
    if (n.op === 'param') {
      const name = n.attr<string>('name');
      const prev = paramTypes.get(name);
      if (prev && !typeEquals(prev.type, n.type)) problems.push(`parameter '${name}' bound with two types`);
      paramTypes.set(name, n);
    }
    if (n.op === 'dropout') {
      const id = n.attr<number>('id');
      if (id < 0) problems.push(`${where(n)} has no identity`);
      const prev = dropoutIds.get(id);
      // One id may be drawn by several dropouts of one shape and p: the mask depends only on the seed,
      // the id and the element index, so they share it (autodiff's backward regenerates the forward's).
      if (prev && prev.structuralKey !== n.structuralKey && (!typeEquals(prev.type, n.type) || prev.attr<number>('p') !== n.attr<number>('p'))) {
        problems.push(`dropout identity ${id} used twice`);
      }
      dropoutIds.set(id, n);
    }
  }
  const names = new Set<string>();
  for (const v of [...g.inputs.map((n) => ({ name: n.attr<string>('name') })), ...g.outputs, ...g.taps]) {
    if (names.has(v.name)) problems.push(`name '${v.name}' used twice among inputs, outputs and taps`);
    names.add(v.name);
  }
  if (problems.length) throw new Error(`internal: IR verification failed after ${stage}:\n  ${problems.join('\n  ')}`);
}
