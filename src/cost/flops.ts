import type { Node } from '../ir/node.js';
import { opDef } from '../ir/ops.js';
import type { Flops } from '../ir/opRules.js';

/** The FLOPs split by unit, and their arithmetic, are the op catalogue's (`src/ir/opRules.ts`). */
export { addFlops, NO_FLOPS, totalFlops, type Flops } from '../ir/opRules.js';

/** Floating-point work of one node, by the `flops` rule of its op in the catalogue. */
export function opFlops(n: Node, train: boolean): Flops {
  return opDef(n.op).flops(n, train);
}
