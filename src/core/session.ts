import { CompileError, DiagnosticBag, DiagnosticError } from '../diag/diagnostics.js';
import { renderDiagnostics } from '../diag/render.js';
import { elaborate, type Elaborated } from '../frontend/elaborate.js';
import { GraphBuilder } from '../ir/builder.js';
import type { Node } from '../ir/node.js';
import { loadProgram, type Program } from '../frontend/program.js';
import { applyPrecision, type PrecisionPolicy } from '../ir/precision.js';
import { verifyGraph } from '../ir/verify.js';

/**
 * One compilation's diagnostics and the sources they point into. Every stage reports into it; a
 * stage that cannot go on throws CompileError with what was collected.
 */
export class Session {
  readonly diags = new DiagnosticBag();
  private readonly sources = new Map<string, string>();

  source(file: string, text: string): void {
    this.sources.set(file, text);
  }

  /** Diagnostics rendered with source excerpts, errors and warnings alike. */
  render(): string {
    return renderDiagnostics(this.diags.sorted(), (f) => this.sources.get(f));
  }

  /** Throws CompileError when errors have been reported. */
  check(): void {
    if (this.diags.hasErrors) this.fail();
  }

  fail(): never {
    throw new CompileError(this.diags.sorted(), this.render());
  }

  /** A session over the same sources with no diagnostics yet: one per config that `check` elaborates. */
  fork(): Session {
    const f = new Session();
    for (const [file, text] of this.sources) f.source(file, text);
    return f;
  }

  /** Runs a stage that reports a user's mistake by throwing it (a pass, a backend, a writer). */
  guard<T>(stage: () => T): T {
    try {
      return stage();
    } catch (e) {
      if (!(e instanceof DiagnosticError)) throw e;
      for (const d of e.diagnostics) this.diags.add(d);
      this.fail();
    }
  }
}

export interface BuildOptions {
  readonly config?: string;
  readonly sets?: ReadonlyMap<string, number>;
  /** A `loss` block to elaborate with the model (ElaborateOptions.loss). */
  readonly loss?: string;
  /** The precision policy (src/ir/precision.ts); absent or mode f32: the program as written. */
  readonly precision?: PrecisionPolicy;
}

export function loadText(s: Session, file: string, text: string): Program {
  s.source(file, text);
  const p = loadProgram(text, file, s.diags);
  s.check();
  return p!;
}

export function build(s: Session, p: Program, opts: BuildOptions): Elaborated {
  const e = elaborate(p, opts, s.diags);
  s.check();
  verifyGraph(e!.graph, 'elaboration');
  if (!opts.precision || opts.precision.mode === 'f32') return e!;
  return withPrecision(e!, opts.precision);
}

/** The model and its losses under a precision policy, before anything differentiates them. */
function withPrecision(e: Elaborated, policy: PrecisionPolicy): Elaborated {
  const losses = [...(e.losses?.values() ?? [])];
  const { graph, map } = applyPrecision(e.graph, policy, losses.map((l) => l.node));
  verifyGraph(graph, 'precision');
  if (!e.losses) return { ...e, graph };
  // A loss is a scalar the optimizer reads in f32, whatever the policy made of it.
  const f32 = (n: Node) => (n.type.dtype === 'f32' ? n : new GraphBuilder(graph.ctx).op('cast', [n], { to: 'f32' }, n.meta));
  return { ...e, graph, losses: new Map([...e.losses].map(([k, l]) => [k, { ...l, node: f32(map.get(l.node)!) }])) };
}
