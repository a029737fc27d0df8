import type { Diagnostic } from './diagnostics.js';
import { formatSpan, type Span } from './span.js';

export type SourceLookup = (file: string) => string | undefined;

/** Columns of a source line shown around the caret; a longer line is cut, marked with `...`. */
export const EXCERPT_WIDTH = 200;
/** Diagnostics rendered in full; the count line still counts them all. */
export const MAX_RENDERED = 100;

/**
 * Renders diagnostics as a compiler does:
 *
 *   models/bert.ir:12:9: error[E0006]: cannot broadcast f32[2, 16] with f32[3]
 *      12 |   y = x + b;
 *         |       ^^^^^
 *
 * Everything that comes from the input (source lines, and names quoted in messages) is made safe
 * for a terminal: control characters and bidirectional overrides are escaped, so a hostile file
 * cannot move the cursor or reorder what the user reads.
 */
export function renderDiagnostic(d: Diagnostic, sources: SourceLookup): string {
  return renderOne(d, lineLookup(sources));
}

export function renderDiagnostics(ds: readonly Diagnostic[], sources: SourceLookup): string {
  const lines = lineLookup(sources);
  const errors = ds.filter((d) => d.severity === 'error').length;
  const warnings = ds.length - errors;
  const shown = ds.slice(0, MAX_RENDERED).map((d) => renderOne(d, lines));
  if (ds.length > MAX_RENDERED) shown.push(`note: ${ds.length - MAX_RENDERED} more diagnostics not shown; fix the first ones and run again`);
  const counts = [errors && `${errors} error${errors > 1 ? 's' : ''}`, warnings && `${warnings} warning${warnings > 1 ? 's' : ''}`]
    .filter(Boolean)
    .join(', ');
  return counts ? `${shown.join('\n')}\n${counts} generated.\n` : '';
}

type LineLookup = (file: string, line: number) => string | undefined;

/** Source lines by number, each file split once however many diagnostics point into it. */
function lineLookup(sources: SourceLookup): LineLookup {
  const split = new Map<string, string[] | undefined>();
  return (file, line) => {
    if (!split.has(file)) split.set(file, sources(file)?.split(/\r?\n/));
    return split.get(file)?.[line - 1];
  };
}

function renderOne(d: Diagnostic, lines: LineLookup): string {
  const where = d.span ? `${escapeText(formatSpan(d.span))}: ` : '';
  const out = [`${where}${d.severity}[${d.code}]: ${escapeText(d.message)}`];
  if (d.span) out.push(...excerpt(d.span, lines));
  for (const n of d.notes) {
    out.push(`  note: ${n.span ? `${escapeText(formatSpan(n.span))}: ` : ''}${escapeText(n.message)}`);
  }
  return out.join('\n');
}

/**
 * How a character of the input is shown: as itself when printable, else as an escape. C0 and C1
 * controls and DEL become `\xNN`; bidirectional controls, zero-width and other format characters,
 * line and paragraph separators, and unpaired surrogates become `\u{N}`. A tab is one space in an
 * excerpt (`tab`), so that every character keeps one column and the caret lines up.
 */
function showChar(c: string, tab: string): string {
  if (c === '\t') return tab;
  const cp = c.codePointAt(0)!;
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (UNSAFE.test(c)) return `\\u{${cp.toString(16)}}`;
  return c;
}

/** Format characters (bidi controls, zero-width), separators other than space, unpaired surrogates. */
const UNSAFE = /^(?:\p{Cf}|\p{Zl}|\p{Zp}|\p{Cs})$/u;
const NEEDS_ESCAPE = /[\x00-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** A message or location with the input's unprintable characters escaped; tabs as `\t`. */
export function escapeText(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return s;
  return Array.from(s, (c) => (c === '\t' ? '\\t' : showChar(c, '\t'))).join('');
}

function excerpt(span: Span, lines: LineLookup): string[] {
  const srcLine = lines(span.file, span.line);
  if (srcLine === undefined) return [];
  const gutter = String(span.line).length;
  // Columns count code points, as the lexer does; an emoji is one column but two UTF-16 units, and
  // usually two cells on a terminal, so the caret is laid out in UTF-16 units of what is shown.
  const chars = Array.from(srcLine);
  const endCol = span.endLine === span.line ? Math.max(span.endCol, span.col + 1) : chars.length + 1;
  const first = Math.min(span.col - 1, chars.length);
  const last = Math.max(first + 1, Math.min(endCol - 1, chars.length));
  const [from, to] = excerptWindow(first, last, chars.length);
  const shown = (a: number, b: number) => chars.slice(a, b).map((c) => showChar(c, ' ')).join('');
  const lead = from > 0 ? '...' : '';
  const trail = to < chars.length ? '...' : '';
  const before = lead.length + shown(from, first).length;
  const width = Math.max(1, shown(first, Math.min(last, to)).length);
  return [
    ` ${String(span.line).padStart(gutter)} | ${lead}${shown(from, to)}${trail}`,
    ` ${' '.repeat(gutter)} | ${' '.repeat(before)}${'^'.repeat(width)}`,
  ];
}

/**
 * The columns [from, to) of a line of `length` to show for the range [first, last): the whole line
 * when it fits EXCERPT_WIDTH, else a window that starts a little before the range so the caret has
 * context on its left, and is cut at the window's width when the range itself is longer.
 */
function excerptWindow(first: number, last: number, length: number): [number, number] {
  if (length <= EXCERPT_WIDTH) return [0, length];
  const context = Math.min(first, Math.max(20, Math.floor((EXCERPT_WIDTH - (last - first)) / 2)));
  const from = Math.min(first - context, Math.max(0, length - EXCERPT_WIDTH));
  return [from, Math.min(length, from + EXCERPT_WIDTH)];
}
