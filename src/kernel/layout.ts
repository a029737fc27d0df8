import type { Node } from '../ir/node.js';
import { opDef } from '../ir/ops.js';
import type { Layout } from '../ir/view.js';

/** Strided views are the IR's (`src/ir/view.ts`); kernel plans and the backends index through them. */
export { contiguous, isContiguous, type Layout } from '../ir/view.js';

/** The layout after one movement op, by the op's view rule in the catalogue; undefined when the result is not a strided view. */
export function applyMovement(l: Layout, n: Node): Layout | undefined {
  return opDef(n.op).view?.layout(l, n);
}

/** Movement ops that only relabel where elements live (a bijection): a producer can store through them. */
export function isPermutationOnly(n: Node): boolean {
  return opDef(n.op).view?.kind === 'relabel';
}
