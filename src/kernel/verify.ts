import { graphNodes } from '../ir/graph.js';
import { isInline, isMemorySource, isViewable } from './classify.js';
import type { Module } from './module.js';

/** Every live compute node is in exactly one kernel or is a view; nothing else is assigned. A failure is a compiler bug. */
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
  if (problems.length) throw new Error(`internal: kernel partition invalid after ${stage}:\n  ${problems.slice(0, 20).join('\n  ')}`);
}
