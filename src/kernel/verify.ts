import { graphNodes } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { isInline, isMemorySource, isViewable } from './classify.js';
import { kernelsOf } from './kernels.js';
import type { Module, Partition } from './module.js';

/**
 * Every live compute node is in exactly one kernel or is a view; nothing else is assigned; and no
 * view leads from a kernel back into it. A failure is a compiler bug.
 */
export function verifyPartition(m: Module, stage: string): void {
  const problems: string[] = [];
  const live = new Set(graphNodes(m.graph));
  for (const n of live) {
    const inGroup = m.partition.groupOf.has(n);
    const isView = m.partition.views.has(n);
    if (isMemorySource(n) || isInline(n)) {
      if (inGroup || isView) problems.push(`${n.op} #${n.id} is a source but is assigned to a kernel`);
    } else if (inGroup === isView) {
      problems.push(`${n.op} #${n.id} is ${inGroup ? 'both in a kernel and a view' : 'in no kernel'}`);
    }
    if (isView && !isViewable(n)) problems.push(`${n.op} #${n.id} cannot be a view`);
  }
  if (!problems.length) problems.push(...viewsWithinKernels(m, live));
  if (problems.length) throw new Error(`internal: kernel partition invalid after ${stage}:\n  ${problems.slice(0, 20).join('\n  ')}`);
}

/**
 * Views whose source and reader are ops of one kernel. A view belongs to no kernel: it is indexing
 * that its readers apply to a buffer, so it stands between kernels, after the one that writes its
 * source and before the one that reads it (the kernel printer places it so, and throws "printing
 * node #N before its definition" when it cannot). A view from a kernel's op to another op of the
 * same kernel has no such place. Through a chain of views, what counts is the kernel op the chain
 * starts from.
 */
function viewsWithinKernels(m: Module, live: ReadonlySet<Node>): string[] {
  const { groupOf, views } = m.partition;
  const problems: string[] = [];
  const sources = new Map<Node, ReadonlyMap<number, Node>>();
  for (const reader of live) {
    const g = groupOf.get(reader);
    if (g === undefined) continue;
    for (const v of new Set(reader.srcs)) {
      if (!views.has(v)) continue;
      const from = viewSources(v, m.partition, sources).get(g);
      if (from) {
        problems.push(`kernel '${kernelName(m, reader, g)}' reads its own ${from.op} #${from.id} through view ${v.op} #${v.id} (read by ${reader.op} #${reader.id}): a view stands between kernels, so its source must be in an earlier kernel`);
      }
    }
  }
  return problems;
}

/** The kernel ops a view's chain of views starts from, by kernel (group): the first one of each. */
function viewSources(v: Node, p: Partition, memo: Map<Node, ReadonlyMap<number, Node>>): ReadonlyMap<number, Node> {
  const known = memo.get(v);
  if (known) return known;
  const found = new Map<number, Node>();
  for (const s of v.srcs) {
    const g = p.groupOf.get(s);
    if (g !== undefined && !found.has(g)) found.set(g, s);
    if (!p.views.has(s)) continue;
    for (const [h, n] of viewSources(s, p, memo)) if (!found.has(h)) found.set(h, n);
  }
  memo.set(v, found);
  return found;
}

/** The kernel's name as plans print it; its group number when the kernels cannot be formed. */
function kernelName(m: Module, op: Node, group: number): string {
  try {
    return kernelsOf(m).find((k) => k.ops.includes(op))?.name ?? `group ${group}`;
  } catch {
    return `group ${group}`;
  }
}
