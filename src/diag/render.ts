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
  const endCol = span.endLine === span.line ? Math.max(span.endCol, span.col + 1) : srcLine.length + 1;
  const width = Math.max(1, Math.min(endCol, srcLine.length + 1) - span.col);
  const expanded = srcLine.replace(/\t/g, ' ');
  return [
    ` ${String(span.line).padStart(gutter)} | ${expanded}`,
    ` ${' '.repeat(gutter)} | ${' '.repeat(span.col - 1)}${'^'.repeat(width)}`,
  ];
}
