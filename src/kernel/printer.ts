import { graphNodes } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { ModelWriter, type PrintOptions } from '../ir/printer.js';
import { kernelsOf, type Kernel } from './kernels.js';
import type { Module } from './module.js';

function kernelComment(k: Kernel): string {
  const scopes = k.scopes.filter(Boolean);
  return `// ${k.kind}${k.init ? ', once at load' : ''}${scopes.length ? `; ${scopes.join(', ')}` : ''}`;
}

/**
 * Prints a module as IR source with its kernel plan: each kernel is a `kernel NAME { ... }` block
 * holding its ops; sources and views (movement ops folded into readers' indexing) stand outside the
 * blocks, just before the first kernel that needs them. Parsing the text back gives the same graph
 * and the same kernels.
 */
export function printModule(m: Module, opts: PrintOptions = {}): string {
  const w = new ModelWriter(m.graph, opts);
  const done = new Set<Node>();
  const kernels = kernelsOf(m);
  const inKernel = new Set(kernels.flatMap((k) => k.ops));
  /** Defines the sources and views `n` depends on that are not yet printed. */
  const outside = (n: Node) => {
    if (done.has(n) || inKernel.has(n)) return;
    n.srcs.forEach(outside);
    done.add(n);
    w.node(n);
  };
  for (const k of kernels) {
    for (const n of k.ops) n.srcs.forEach(outside);
    w.line(`  kernel ${k.name} {  ${kernelComment(k)}`);
    for (const n of k.ops) {
      w.node(n, '    ');
      done.add(n);
    }
    w.line('  }');
  }
  // Results that are views or sources, and dead code not yet removed.
  for (const n of graphNodes(m.graph)) outside(n);
  for (const n of m.graph.body) outside(n);
  return w.finish();
}
