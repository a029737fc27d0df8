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
 * Collects diagnostics from every stage. The same message at the same place is kept once: a layer
 * elaborated for each of its calls would otherwise repeat its errors once per call.
 */
export class DiagnosticBag {
  private readonly list: Diagnostic[] = [];
  private readonly seen = new Set<string>();

  add(d: Diagnostic): void {
    const key = `${d.code}|${d.span ? formatSpan(d.span) : ''}|${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(d);
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

  /** In source order, so that output does not depend on the order stages ran in. */
  sorted(): Diagnostic[] {
    return [...this.list].sort((a, b) => {
      if (a.span && b.span) return compareSpans(a.span, b.span);
      return a.span ? 1 : b.span ? -1 : 0;
    });
  }
}

/** Thrown to stop a command after its diagnostics have been collected; the CLI renders them. */
export class CompileError extends Error {
  constructor(readonly diagnostics: readonly Diagnostic[], readonly rendered: string) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}
