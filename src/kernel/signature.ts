import { attrText, type Node } from '../ir/node.js';
import { formatType } from '../ir/types.js';
import { isInline } from './classify.js';
import type { Kernel } from './kernels.js';
import type { Module } from './module.js';

/**
 * Kernels identified by what they compute. Two kernels with the same signature differ only in the
 * buffers they read and write and in the dropout streams they draw from (the `id` attribute, see
 * docs/dropout-rng.md), so a backend emits one function or shader for both and passes the buffers
 * and the dropout ids as arguments: BERT's encoder layers share a handful of kernels.
 *
 * The signature is everything code generation looks at: each op in kernel order with its type and
 * attributes (but not a dropout's id), where each operand comes from (a member by position, an
 * inline constant or iota by value, a view by its movement ops, a buffer by its position among the
 * kernel's parameters), which members are outputs, and a GEMM's schedule. Buffers are positional:
 * the inputs in the kernel's order, then the outputs that are not inputs (`kernelParams`). Whether
 * a buffer is a weight or an activation does not change the code, so it is not part of it.
 */

/**
 * The buffers a kernel reads and writes, in the order of its parameters (bindings): the inputs in
 * the order its ops first read them (through views), then the outputs. Not the kernel's `inputs`
 * order, which follows the graph: the attention mask of the first layer is made before that
 * layer's scores, and of the later layers after theirs.
 */
export function kernelParams(k: Pick<Kernel, 'ops' | 'inputs' | 'outputs' | 'views'>): Node[] {
  const inputs = new Set(k.inputs);
  const views = new Set(k.views);
  const seen = new Set<Node>();
  const read = (s: Node): void => {
    if (views.has(s)) s.srcs.forEach(read);
    else if (inputs.has(s)) seen.add(s);
  };
  for (const n of k.ops) n.srcs.forEach(read);
  for (const n of k.inputs) seen.add(n);
  return [...seen, ...k.outputs.filter((o) => !inputs.has(o))];
}

/** A kernel's dropout ops, in kernel order: slot `i` of a shared kernel draws from the i-th id. */
export function dropoutOps(k: Pick<Kernel, 'ops'>): Node[] {
  return k.ops.filter((n) => n.op === 'dropout');
}

function attrsText(n: Node): string {
  return Object.keys(n.attrs)
    .filter((a) => !(n.op === 'dropout' && a === 'id'))
    .sort()
    .map((a) => `${a}=${attrText(n.attrs[a]!)}`)
    .join(',');
}

/** The structural signature of one kernel (see above); equal signatures give equal code. */
export function kernelSignature(k: Kernel, m: Pick<Module, 'partition' | 'schedules'>): string {
  const member = new Map(k.ops.map((n, i) => [n, i]));
  const param = new Map(kernelParams(k).map((n, i) => [n, i]));
  const views = m.partition.views;
  const ref = (s: Node): string => {
    const i = member.get(s);
    if (i !== undefined) return `%${i}`;
    if (isInline(s)) return `${s.op}<${formatType(s.type)}>{${attrsText(s)}}`;
    if (views.has(s)) return `${s.op}<${formatType(s.type)}>{${attrsText(s)}}(${s.srcs.map(ref).join(',')})`;
    const p = param.get(s);
    if (p === undefined) throw new Error(`internal: kernel ${k.name} reads ${s.op} #${s.id}, which is not among its inputs`);
    return `$${p}<${formatType(s.type)}>`;
  };
  const ops = k.ops.map((n) => {
    const schedule = n.op === 'matmul' ? JSON.stringify(m.schedules?.get(n) ?? null) : '';
    const out = param.has(n) ? `=>$${param.get(n)}` : '';
    return `${n.op}<${formatType(n.type)}>{${attrsText(n)}}(${n.srcs.map(ref).join(',')})${schedule}${out}`;
  });
  // A buffer written but also read by the kernel, and the parameters' types, complete the picture.
  const params = kernelParams(k).map((n) => `${k.outputs.includes(n) ? 'w' : 'r'}<${formatType(n.type)}>`);
  return `${params.join(',')}|${ops.join(';')}`;
}

/** Kernels that share one function or shader: the first instance, and every instance in order. */
export interface KernelClass {
  readonly representative: Kernel;
  readonly instances: readonly Kernel[];
  readonly signature: string;
}

/** Groups kernels by signature, each signature computed once; classes in order of first instance. */
export function kernelClasses(kernels: readonly Kernel[], m: Pick<Module, 'partition' | 'schedules'>): { classes: KernelClass[]; classOf: Map<Kernel, KernelClass> } {
  const bySignature = new Map<string, { representative: Kernel; instances: Kernel[]; signature: string }>();
  const classOf = new Map<Kernel, KernelClass>();
  for (const k of kernels) {
    const signature = kernelSignature(k, m);
    let c = bySignature.get(signature);
    if (!c) bySignature.set(signature, (c = { representative: k, instances: [], signature }));
    c.instances.push(k);
    classOf.set(k, c);
  }
  return { classes: [...bySignature.values()], classOf };
}
