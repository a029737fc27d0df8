/** A range of source text; lines and columns are 1-based, `end` is exclusive. */
export interface Span {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export function formatSpan(s: Span): string {
  return `${s.file}:${s.line}:${s.col}`;
}

export function compareSpans(a: Span, b: Span): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.col - b.col;
}
