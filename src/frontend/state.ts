import type { DiagnosticBag, Note } from '../diag/diagnostics.js';
import type { DiagCode } from '../diag/catalogue.js';
import type { Span } from '../diag/span.js';
import { GraphBuilder } from '../ir/builder.js';
import type { NamedValue } from '../ir/graph.js';
import type { Meta, Node } from '../ir/node.js';
import type { ExprContext } from './generated/BertIRParser.js';
import { MAX_NOTES } from './limits.js';
import { spanOf } from './parse.js';
import type { Program } from './program.js';
import type { Env, Value } from './values.js';

/** Signals that the current statement cannot go on; the error has been reported. */
export class Abort extends Error {}

/** Signals that elaboration as a whole cannot go on (a limit was hit); the error has been reported. */
export class Fatal extends Error {}

/** One layer instance being elaborated. */
export interface Frame {
  readonly layer: string;
  readonly scope: string;
  /** The instance's outermost scope: its dimensions, inputs and parameters. */
  readonly env: Env;
  returned?: { values: Value[]; span: Span };
  /** A statement failed: the instance's unused parameters may only look unused, so they are not reported. */
  failed: boolean;
}

export function joinScope(a: string, b: string): string {
  return a && b ? `${a}.${b}` : a || b;
}

/**
 * What the modules of the front end share while they elaborate one program for one config: the
 * graph being built, the constants, the layer calls under way and what has been reported.
 */
export class Elaboration {
  readonly builder = new GraphBuilder();

  // configs and constants (constants.ts)
  readonly constants = new Map<string, number | boolean>();
  readonly constSpans = new Map<string, Span>();
  /** Global constants defined by an expression, to explain a failed check in terms of it. */
  readonly constExprs = new Map<string, ExprContext>();
  /** Constants whose definition failed (already reported): reading one gives poison, not "unknown name". */
  readonly poisonedConstants = new Set<string>();
  /** Config constants given with --set. */
  readonly userSets = new Set<string>();

  // declaration checks (declarations.ts)
  /** Layers that call themselves (already reported by checkRecursion). */
  readonly recursive = new Set<string>();

  // layer instances (instantiate.ts)
  /** Names of the model's inputs and outputs, which taps may not reuse. */
  readonly modelNames = new Map<string, string>();
  readonly params = new Map<string, Node>();
  readonly taps: NamedValue[] = [];
  readonly kernels = new Map<string, Node[]>();
  currentKernel: { name: string; ops: Node[] } | undefined;
  readonly stack: { layer: string; scope: string; note: Note }[] = [];
  /** Parsed `{expr}` holes of interpolated strings, by offset in the source. */
  readonly holes = new Map<number, ExprContext | undefined>();
  steps = 0;

  // expressions (expressions.ts)
  /** Dropout ids in use, each with the mask it draws (its p and shape). */
  readonly dropoutIds = new Map<number, string>();
  nextDropoutId = 0;

  constructor(readonly p: Program, readonly diags: DiagnosticBag) {}

  span(ctx: { start: unknown; stop: unknown } & Parameters<typeof spanOf>[0]): Span {
    return spanOf(ctx, this.p.file);
  }

  /** Reports at `span`, with a note for each layer call that led there, innermost first. */
  error(code: DiagCode, args: Record<string, string | number>, span?: Span): void {
    const notes = this.stack.map((s) => s.note).reverse();
    if (notes.length > MAX_NOTES) notes.splice(MAX_NOTES, Infinity, { message: `and ${notes.length - MAX_NOTES} more layer calls` });
    this.diags.emit(code, args, span, notes);
  }

  fail(code: DiagCode, args: Record<string, string | number>, span?: Span): never {
    this.error(code, args, span);
    throw new Abort();
  }

  /** The parameter scope of the layer instance being elaborated. */
  currentScope(): string {
    return this.stack[this.stack.length - 1]?.scope ?? '';
  }

  /** The provenance of a node made here: the source span, the layer instance and the name it is bound to. */
  meta(span: Span, hint = '', scope = this.currentScope()): Meta {
    return { span, scope, hint };
  }
}
