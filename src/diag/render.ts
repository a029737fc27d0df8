import type { Diagnostic } from './diagnostics.js';
import { formatSpan, type Span } from './span.js';

export type SourceLookup = (file: string) => string | undefined;

/**
 * Renders diagnostics as a compiler does:
 *
 *   models/bert.ir:12:9: error[E0006]: cannot broadcast f32[2, 16] with f32[3]
 *      12 |   y = x + b;
 *         |       ^^^^^
 */
export function renderDiagnostic(d: Diagnostic, sources: SourceLookup): string {
  const where = d.span ? `${formatSpan(d.span)}: ` : '';
  const lines = [`${where}${d.severity}[${d.code}]: ${d.message}`];
  if (d.span) lines.push(...excerpt(d.span, sources));
  for (const n of d.notes) {
    lines.push(`  note: ${n.span ? `${formatSpan(n.span)}: ` : ''}${n.message}`);
  }
  return lines.join('\n');
}

export function renderDiagnostics(ds: readonly Diagnostic[], sources: SourceLookup): string {
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  const body = ds.map((d) => renderDiagnostic(d, sources)).join('\n');
  const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`]
    .filter(Boolean)
    .join(', ');
  return counts ? `${body}\n${counts} generated.\n` : '';
}

function excerpt(span: Span, sources: SourceLookup): string[] {
  const text = sources(span.file);
  if (text === undefined) return [];
  const srcLine = text.split(/\r?\n/)[span.line - 1];
  if (srcLine === undefined) return [];
  const gutter = String(span.line).length;
  // Columns count code points, as the lexer does; an emoji is one column but two UTF-16 units, and
  // usually two cells on a terminal, so the caret is laid out in UTF-16 units.
  const chars = Array.from(srcLine.replace(/\t/g, ' '));
  const endCol = span.endLine === span.line ? Math.max(span.endCol, span.col + 1) : chars.length + 1;
  const before = chars.slice(0, span.col - 1).join('').length;
  const width = Math.max(1, chars.slice(span.col - 1, Math.min(endCol, chars.length + 1) - 1).join('').length);
  return [
    ` ${String(span.line).padStart(gutter)} | ${chars.join('')}`,
    ` ${' '.repeat(gutter)} | ${' '.repeat(before)}${'^'.repeat(width)}`,
  ];
}
