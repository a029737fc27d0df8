import type { Span } from '../../src/diag/span.js';

/** One line of generated code and the IR it implements (for the source map). */
export interface Line {
  readonly text: string;
  readonly span?: Span;
}

/** Indented lines of a function body, each with the IR span it implements. */
export class Writer {
  readonly lines: Line[] = [];
  private depth = 1;

  line(text: string, span?: Span): void {
    this.lines.push({ text: `${'  '.repeat(this.depth)}${text}`, span });
  }

  open(text: string, span?: Span): void {
    this.line(`${text} {`, span);
    this.depth++;
  }

  close(): void {
    this.depth--;
    this.line('}');
  }
}
