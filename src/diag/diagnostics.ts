import { CATALOGUE, type DiagCode } from './catalogue.js';
import { compareSpans, formatSpan, type Span } from './span.js';

export type Severity = 'error' | 'warning';

export interface Note {
  readonly message: string;
  readonly span?: Span;
}

export interface Diagnostic {
  readonly code: DiagCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: Span;
  readonly notes: readonly Note[];
}

export function makeDiagnostic(code: DiagCode, args: Record<string, string | number>, span?: Span, notes: Note[] = []): Diagnostic {
  const entry = CATALOGUE[code];
  const message = entry.template.replace(/\{(\w+)\}/g, (_, k: string) => {
    if (!(k in args)) throw new Error(`diagnostic ${code} is missing argument '${k}'`);
    return String(args[k]);
  });
  return { code, severity: entry.severity, message, span, notes };
}

/**
 * A user's or environment's mistake found deep inside a stage (a pass, a backend, a writer) that
 * holds no DiagnosticBag: thrown with its diagnostic, which the session adds and reports.
 */
export class DiagnosticError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('; '));
  }
}

export function diagnosticError(code: DiagCode, args: Record<string, string | number>, span?: Span, notes: Note[] = []): DiagnosticError {
  return new DiagnosticError([makeDiagnostic(code, args, span, notes)]);
}

/**
 * Collects diagnostics from every stage. A code at a source location is reported once: a layer
 * elaborated for each of its calls, or a loop body for each iteration, would otherwise repeat its
 * errors once per instance. When later instances say something else (other values, other parameter
 * names), the first gets a note counting them. Diagnostics without a location (about files and
 * options) are kept once per message.
 */
export class DiagnosticBag {
  private readonly list: Diagnostic[] = [];
  /** By code and location: the first diagnostic, and the distinct messages seen there. */
  private readonly byKey = new Map<string, { index: number; messages: Set<string> }>();
  private reported = 0;

  add(d: Diagnostic): void {
    if (d.severity === 'error') this.reported++;
    const key = d.span ? `${d.code}|${formatSpan(d.span)}` : `${d.code}||${d.message}`;
    const first = this.byKey.get(key);
    if (!first) {
      this.byKey.set(key, { index: this.list.length, messages: new Set([d.message]) });
      this.list.push(d);
      return;
    }
    if (first.messages.has(d.message)) return;
    first.messages.add(d.message);
    const kept = this.list[first.index]!;
    const more = first.messages.size - 1;
    const count = { message: `and ${more} more instance${more === 1 ? '' : 's'} of this ${kept.severity} here, with other values` };
    const notes = more === 1 ? [...kept.notes, count] : [...kept.notes.slice(0, -1), count];
    this.list[first.index] = { ...kept, notes };
  }

  emit(code: DiagCode, args: Record<string, string | number>, span?: Span, notes: Note[] = []): void {
    this.add(makeDiagnostic(code, args, span, notes));
  }

  get hasErrors(): boolean {
    return this.list.some((d) => d.severity === 'error');
  }

  get errorCount(): number {
    return this.list.filter((d) => d.severity === 'error').length;
  }

  /**
   * Errors reported so far, duplicates included: a stage compares it before and after to learn
   * whether it failed, which `errorCount` cannot tell when its errors repeat earlier ones.
   */
  get errorsReported(): number {
    return this.reported;
  }

  /**
   * In source order, so that output does not depend on the order stages ran in; diagnostics
   * without a location (about files or options) follow, in the order they were reported.
   */
  sorted(): Diagnostic[] {
    return [...this.list].sort((a, b) => {
      if (a.span && b.span) return compareSpans(a.span, b.span);
      return a.span ? -1 : b.span ? 1 : 0;
    });
  }
}

/** Thrown to stop a command after its diagnostics have been collected; the CLI renders them. */
export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly rendered: string) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}
