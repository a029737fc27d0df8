import { DiagnosticError, makeDiagnostic, type Diagnostic } from '../../src/diag/diagnostics.js';
import { graphNodes } from '../../src/ir/graph.js';
import type { Node } from '../../src/ir/node.js';
import { formatType } from '../../src/ir/types.js';
import type { Module } from '../../src/kernel/module.js';

export type TargetName = 'c' | 'wgsl';

/*
 * What a backend cannot do, as located diagnostics rather than internal errors or code that does
 * not compile: thrown as a DiagnosticError, which the session reports with the source excerpt
 * (exit 1).
 */

/** Why a target cannot hold a tensor of this node's type, or undefined when it can. */
function unsupported(n: Node, target: TargetName): string | undefined {
  const d = n.type.dtype;
  if (target === 'wgsl' && d === 'i64') return 'WGSL has no 64-bit integers (use i32)';
  return undefined;
}

/** Throws a DiagnosticError naming every op whose type or value `target` cannot express. */
export function checkTarget(m: Module, target: TargetName): void {
  const diags: Diagnostic[] = [];
  for (const n of graphNodes(m.graph)) {
    const why = unsupported(n, target);
    if (!why) continue;
    const what = n.op === 'input' || n.op === 'param' ? `${n.op} '${n.attr<string>('name')}'` : `'${n.op}'`;
    diags.push(makeDiagnostic('E0007', { detail: `${what} of type ${formatType(n.type)} cannot be compiled for the ${target} target: ${why}` }, n.meta.span));
  }
  if (diags.length) throw new DiagnosticError(diags);
}
